import { useState } from 'react';
import { useHotkeys } from '../../keyboard/use-hotkeys';
import { useConsole } from '../../state/use-console';
import { focusById } from '../../app/focus';
import { ShortcutLegend } from '../../app/ShortcutLegend';
import { CommandLine } from '../command-line/CommandLine';
import { useIntents } from '../command-line/use-intents';
import { LOCATION_SEARCH_ID } from '../map/LocationSearch';
import { MapPanel } from '../map/MapPanel';
import { FindIncident } from './FindIncident';
import { IncidentDetail, LOG_INPUT_ID } from './IncidentDetail';
import { INCIDENT_LIST_ID, IncidentList } from './IncidentList';
import { NewIncidentDialog } from './NewIncidentDialog';
import { BreachAlarms } from '../dispatch/BreachAlarms';
import { DeskAlarms } from '../dispatch/DeskAlarms';
import { RECOMMENDATIONS_ID } from '../dispatch/Recommendations';

/** The incidents window: the open incidents, the selected one with its log and actions, the map, the command line. */
export function IncidentsDesk({ dialogOpen }: { dialogOpen: boolean }) {
  const [creating, setCreating] = useState(false);
  const target = useConsole((s) => (s.selectedId ? (s.incidents[s.selectedId] ?? null) : null));
  const onIntent = useIntents(target, {
    new: async () => {
      setCreating(true);
      return 'New incident';
    },
  });

  useHotkeys('incidents', {
    newIncident: () => setCreating(true),
    writeLog: () => focusById(LOG_INPUT_ID),
    focusList: () => focusById(INCIDENT_LIST_ID),
    focusRecommendations: () => focusById(RECOMMENDATIONS_ID),
    findLocation: () => focusById(LOCATION_SEARCH_ID, true),
    focusMap: () => document.querySelector<HTMLElement>('.map-panel canvas')?.focus(),
    home: () => {
      if (!creating && !dialogOpen) focusById(INCIDENT_LIST_ID);
    },
  });

  return (
    <>
      <main className="workspace">
        <div className="list-column">
          <DeskAlarms />
          <BreachAlarms />
          <FindIncident onFound={() => focusById(INCIDENT_LIST_ID)} />
          <IncidentList onOpen={() => focusById(LOG_INPUT_ID)} />
        </div>
        <IncidentDetail />
        <MapPanel />
      </main>
      <CommandLine target={target} onIntent={onIntent} />
      <ShortcutLegend role="incidents" />
      <NewIncidentDialog
        open={creating}
        onClose={() => {
          setCreating(false);
          // Back to the known place, with the new incident (if any) selected.
          focusById(INCIDENT_LIST_ID);
        }}
      />
    </>
  );
}
