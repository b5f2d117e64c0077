import { useState } from 'react';
import { useWallClockIfLoaded } from '../../app/format';
import { useConsole } from '../../state/use-console';
import { PaperIncidentDialog } from './PaperIncidentDialog';
import { useMayUse } from '../session/use-may';

/**
 * After an outage, on every window of the desk (live or training alike): the system is back, and the records kept on
 * paper meanwhile are to be entered with their own times. Offers catch-up; in catch-up, a paper incident (with its
 * log lines and units) is entered from here, a log line on an incident already there from its log form ("Time on
 * paper"), and Finish catch-up ends it. Everything entered is marked back-entered, with who entered it and when.
 */
export function CatchUpBar() {
  const outage = useConsole((s) => s.outage);
  const signedIn = useConsole((s) => s.session?.operator != null);
  // Paper is entered by those who kept it (the room's roles): an auditor or administrator is offered nothing here.
  const mayCatchUp = useMayUse('catchUp.start');
  const setCatchUp = useConsole((s) => s.setCatchUp);
  const wall = useWallClockIfLoaded();
  const [entering, setEntering] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!outage?.outage || !signedIn || !mayCatchUp || !(outage.offered || outage.active)) return null;
  const since = wall ? wall.dateTime(outage.outage.from) : outage.outage.from;
  const act = (start: { from?: string } | null) => void setCatchUp(start).then(() => setError(null), (e: Error) => setError(e.message));
  if (!outage.active) {
    return (
      <span className="system-back">
        <span role="status">The system is back. Enter the records kept on paper since {since}, each with the time written on it.</span>{' '}
        <button type="button" onClick={() => act({})}>
          Enter paper records
        </button>{' '}
        <button type="button" onClick={() => act(null)}>
          Nothing on paper
        </button>
        {error && <span role="alert">{error}</span>}
      </span>
    );
  }
  return (
    <span className="catch-up-mode" role="region" aria-label="Catch-up">
      <span>Catch-up: records kept on paper since {since} are entered with their own times, marked back-entered.</span>{' '}
      <button type="button" onClick={() => setEntering(true)}>
        Enter a paper incident
      </button>{' '}
      <button type="button" onClick={() => act(null)}>
        Finish catch-up
      </button>
      {error && <span role="alert">{error}</span>}
      <PaperIncidentDialog open={entering} outageFrom={outage.outage.from} onClose={() => setEntering(false)} />
    </span>
  );
}
