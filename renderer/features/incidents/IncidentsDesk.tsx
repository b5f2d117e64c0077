import { useState } from 'react';
import type { IncidentView } from '../../../shared/contract/views';
import { displayReference } from '../../../shared/domain/incident';
import { useConsole } from '../../state/use-console';
import { useSelectedIncident } from '../../state/use-selected-incident';
import { useHotkeys } from '../../keyboard/use-hotkeys';
import { focusById } from '../../app/focus';
import { PanelBoundary } from '../../app/PanelBoundary';
import { ShortcutLegend } from '../../app/ShortcutLegend';
import { CommandLine } from '../command-line/CommandLine';
import { useIntents } from '../command-line/use-intents';
import { LOCATION_SEARCH_ID } from '../map/LocationSearch';
import { MapPanel } from '../map/MapPanel';
import { focusMap } from '../map/focus-map';
import { FindIncident } from './FindIncident';
import { IncidentDetail, LOG_INPUT_ID } from './IncidentDetail';
import { INCIDENT_LIST_ID, IncidentList } from './IncidentList';
import { NewIncidentDialog } from './NewIncidentDialog';
import { BreachAlarms } from '../dispatch/BreachAlarms';
import { DeskAlarms } from '../dispatch/DeskAlarms';
import { HandoffAlarms } from '../dispatch/HandoffAlarms';
import { QueuesServed } from '../dispatch/QueuesServed';
import { RECOMMENDATIONS_ID } from '../dispatch/Recommendations';
import { LoanRequests } from '../loans/LoanRequests';
import { DeskReplayBar, ReplayQueue, useDeskReplayState } from '../training/DeskReplay';
import { TransferOffers } from '../transfers/TransferOffers';
import { useShareRequest } from '../sharing/IncidentShares';
import { LoanAnswers } from '../loans/LoanAnswers';
import { LentUnits } from '../loans/LentUnits';

/**
 * Why the selected incident cannot be shared from this desk, or null if it can: another force's incident (held
 * through a share, or kept in view after a transfer) is that force's to share, and a share is never passed on.
 */
export function shareRefusal(incident: Pick<IncidentView, 'force' | 'reference' | 'provisionalReference'> | null, ownForce: string | null): string | null {
  if (!incident) return 'Select an incident to share it with another force';
  if (ownForce !== null && incident.force !== ownForce) return `${displayReference(incident)} is ${incident.force}'s incident: only ${incident.force} shares it (a share is never passed on)`;
  return null;
}

/** The incidents window: the open incidents, the selected one with its log and actions, the map, the command line. */
export function IncidentsDesk({ dialogOpen }: { dialogOpen: boolean }) {
  const [creating, setCreating] = useState(false);
  const target = useSelectedIncident();
  // A replay of an exercise drives the queue and the map in place of the live desk, until Esc.
  const replay = useDeskReplayState();
  const askToShare = useShareRequest((s) => s.ask);
  const ownForce = useConsole((s) => s.config?.force.code ?? null);
  const announce = useConsole((s) => s.announce);
  // Shift+F7 shares the selected incident: only its owning force shares it, so at a holder's desk it says why not.
  const shareIncident = () => {
    const refused = shareRefusal(target, ownForce);
    if (refused) announce(refused);
    else askToShare();
  };
  const onIntent = useIntents(target, {
    new: async () => {
      setCreating(true);
      return 'New incident';
    },
  });

  useHotkeys('incidents', {
    newIncident: () => setCreating(true),
    // At the view tier the log box is disabled (its description says why): F3 says it too, rather than nothing.
    writeLog: () => (target?.sharedView?.tier === 'view' ? announce(`${target.force} has shared ${displayReference(target)} with this force to view only: this force may not write in its log`) : focusById(LOG_INPUT_ID)),
    focusList: () => focusById(INCIDENT_LIST_ID),
    focusRecommendations: () => focusById(RECOMMENDATIONS_ID),
    findLocation: () => focusById(LOCATION_SEARCH_ID, true),
    focusMap,
    shareIncident,
    home: () => {
      if (!creating && !dialogOpen) focusById(INCIDENT_LIST_ID);
    },
  });

  return (
    <>
      <main className="workspace" data-replay={replay !== null}>
        <PanelBoundary part="the replay on the desk">
          <DeskReplayBar />
        </PanelBoundary>
        <div className="list-column">
          <PanelBoundary part="the desk alarms">
            <DeskAlarms />
          </PanelBoundary>
          <PanelBoundary part="the breach alarms">
            <BreachAlarms />
          </PanelBoundary>
          <PanelBoundary part="the requests for a unit from other forces">
            <LoanRequests />
          </PanelBoundary>
          <PanelBoundary part="the incidents offered by other forces">
            <TransferOffers />
          </PanelBoundary>
          <PanelBoundary part="the answers from other forces to this force's requests for a unit">
            <LoanAnswers />
          </PanelBoundary>
          <PanelBoundary part="the units lent to other forces">
            <LentUnits />
          </PanelBoundary>
          <PanelBoundary part="the untaken incidents' alarms">
            <HandoffAlarms />
          </PanelBoundary>
          <PanelBoundary part="the queues this desk serves">
            <QueuesServed />
          </PanelBoundary>
          <PanelBoundary part="the incident search">
            <FindIncident onFound={() => focusById(INCIDENT_LIST_ID)} />
          </PanelBoundary>
          <PanelBoundary part="the incident list">
            {replay ? <ReplayQueue replay={replay} /> : <IncidentList onOpen={() => focusById(LOG_INPUT_ID)} />}
          </PanelBoundary>
        </div>
        {/* Hidden, not unmounted, in a replay: the live incident and what is being typed in its log wait for Esc. */}
        <div className="detail-slot" hidden={replay !== null}>
          <PanelBoundary part="the incident details">
            <IncidentDetail />
          </PanelBoundary>
        </div>
        <PanelBoundary part="the map panel">
          <MapPanel />
        </PanelBoundary>
      </main>
      <PanelBoundary part="the command line">
        <CommandLine target={target} onIntent={onIntent} />
      </PanelBoundary>
      <ShortcutLegend role="incidents" hide={shareRefusal(target, ownForce) ? ['shareIncident'] : []} />
      <PanelBoundary part="the new incident form">
        <NewIncidentDialog
          open={creating}
          onClose={() => setCreating(false)}
          // Back to the known place, with the new incident (if any) selected, once the dialog has let go of the keyboard.
          onClosed={() => focusById(INCIDENT_LIST_ID)}
        />
      </PanelBoundary>
    </>
  );
}
