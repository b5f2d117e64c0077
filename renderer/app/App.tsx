import { useState } from 'react';
import { useHotkeys } from '../keyboard/use-hotkeys';
import { useConsole } from '../state/use-console';
import { IncidentDetail, LOG_INPUT_ID } from '../features/incidents/IncidentDetail';
import { INCIDENT_LIST_ID, IncidentList } from '../features/incidents/IncidentList';
import { NewIncidentDialog } from '../features/incidents/NewIncidentDialog';
import { SyncStatusBar } from '../features/status/SyncStatusBar';
import { LOCATION_SEARCH_ID } from '../features/map/LocationSearch';
import { MapPanel } from '../features/map/MapPanel';
import { ShortcutLegend } from './ShortcutLegend';
import { SignIn } from '../features/session/SignIn';
import { ConflictInbox } from '../features/conflicts/ConflictInbox';
import { RefusedCommands } from '../features/status/RefusedCommands';
import { FIND_INPUT_ID, FindIncident } from '../features/incidents/FindIncident';
import { roleNames } from '../../shared/domain/operator';

const focus = (id: string) => document.getElementById(id)?.focus();

/** The incidents window: the open incidents, the selected one with its log, the map, and the always-visible status. */
export function App() {
  const phase = useConsole((s) => s.phase);
  const loadError = useConsole((s) => s.loadError);
  const config = useConsole((s) => s.config);
  const announcement = useConsole((s) => s.announcement);
  const session = useConsole((s) => s.session);
  const signOut = useConsole((s) => s.signOut);
  const [creating, setCreating] = useState(false);
  const [dialog, setDialog] = useState<'conflicts' | 'refused' | null>(null);
  const operator = session?.operator ?? null;

  useHotkeys({
    newIncident: () => operator && setCreating(true),
    writeLog: () => focus(LOG_INPUT_ID),
    focusList: () => focus(INCIDENT_LIST_ID),
    find: () => focus(FIND_INPUT_ID),
    conflicts: () => operator && setDialog('conflicts'),
    refused: () => operator && setDialog('refused'),
    findLocation: () => {
      const input = document.getElementById(LOCATION_SEARCH_ID) as HTMLInputElement | null;
      input?.focus();
      input?.select();
    },
    focusMap: () => document.querySelector<HTMLElement>('.map-panel canvas')?.focus(),
    home: () => {
      if (!creating && !dialog) focus(INCIDENT_LIST_ID);
    },
  });

  const closeDialog = () => {
    setCreating(false);
    // Back to the known place, with the new incident (if any) selected.
    requestAnimationFrame(() => focus(INCIDENT_LIST_ID));
  };

  return (
    <div className="app">
      <header className="app-header">
        <h1>Cordon</h1>
        <span className="force">{config?.force.name}</span>
        <span className="role">Incidents</span>
        {operator && (
          <span className="operator">
            {operator.displayName} ({operator.roles.map((r) => roleNames[r]).join(', ')})
            {session?.signInMode === 'offline' && <span className="badge">signed in offline</span>}{' '}
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </span>
        )}
      </header>
      {phase === 'failed' && <p role="alert">The console could not load: {loadError}</p>}
      {phase === 'ready' && !operator ? (
        <SignIn />
      ) : (
        <>
          <main className="workspace">
            <div className="list-column">
              <FindIncident onFound={() => focus(INCIDENT_LIST_ID)} />
              <IncidentList onOpen={() => focus(LOG_INPUT_ID)} />
            </div>
            <IncidentDetail />
            <MapPanel />
          </main>
          <ShortcutLegend />
        </>
      )}
      <SyncStatusBar />
      <div className="visually-hidden" role="status" aria-label="Announcements">
        {announcement}
      </div>
      {operator && <NewIncidentDialog open={creating} onClose={closeDialog} />}
      {operator && <ConflictInbox open={dialog === 'conflicts'} onClose={() => (setDialog(null), requestAnimationFrame(() => focus(INCIDENT_LIST_ID)))} />}
      {operator && <RefusedCommands open={dialog === 'refused'} onClose={() => (setDialog(null), requestAnimationFrame(() => focus(INCIDENT_LIST_ID)))} />}
    </div>
  );
}
