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

const focus = (id: string) => document.getElementById(id)?.focus();

/** The incidents window: the open incidents, the selected one with its log, the map, and the always-visible status. */
export function App() {
  const phase = useConsole((s) => s.phase);
  const loadError = useConsole((s) => s.loadError);
  const config = useConsole((s) => s.config);
  const announcement = useConsole((s) => s.announcement);
  const [creating, setCreating] = useState(false);

  useHotkeys({
    newIncident: () => setCreating(true),
    writeLog: () => focus(LOG_INPUT_ID),
    focusList: () => focus(INCIDENT_LIST_ID),
    findLocation: () => {
      const input = document.getElementById(LOCATION_SEARCH_ID) as HTMLInputElement | null;
      input?.focus();
      input?.select();
    },
    focusMap: () => document.querySelector<HTMLElement>('.map-panel canvas')?.focus(),
    home: () => {
      if (!creating) focus(INCIDENT_LIST_ID);
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
      </header>
      {phase === 'failed' && <p role="alert">The console could not load: {loadError}</p>}
      <main className="workspace">
        <IncidentList onOpen={() => focus(LOG_INPUT_ID)} />
        <IncidentDetail />
        <MapPanel />
      </main>
      <ShortcutLegend />
      <SyncStatusBar />
      <div className="visually-hidden" role="status" aria-label="Announcements">
        {announcement}
      </div>
      <NewIncidentDialog open={creating} onClose={closeDialog} />
    </div>
  );
}
