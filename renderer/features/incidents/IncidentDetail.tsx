import { PaperCallAttach } from '../catch-up/PaperCallAttach';
import { describeLocation, needsFollowUp } from '../../../shared/domain/location';
import { incidentPriority } from '../../../shared/domain/common-priority';
import { Fragment, useMemo, useRef, useState, type FormEvent } from 'react';
import { displayReference, openedBy, provisionalReferenceShownTo } from '../../../shared/domain/incident';
import { describeAuthor } from '../../../shared/domain/relay';
import { backEnteredText } from '../../../shared/domain/back-entry';
import { logOf } from '../../state/console-store';
import { useConsole } from '../../state/use-console';
import { useWallClock } from '../../app/format';
import { inTurn } from '../../app/use-action';
import { gradeLabel, incidentTypeName, isProvisional, openedAsName, sharedLabel } from './describe';
import { IncidentActions } from './IncidentActions';
import { PendingDowngrade } from './PendingDowngrade';
import { RelatedIncidents } from './RelatedIncidents';
import { RiskAssessment } from './RiskAssessment';
import { Recommendations } from '../dispatch/Recommendations';
import { AttendanceClock } from '../dispatch/AttendanceClock';
import { WarningMarkerForm } from './WarningMarkerForm';
import { HandoffStanding } from '../dispatch/HandoffStanding';
import { BorrowedUnits } from '../loans/BorrowedUnits';
import { OfferIncident } from '../transfers/OfferIncident';
import { IncidentShares } from '../sharing/IncidentShares';
import { useKeptView } from '../sharing/use-kept-view';
import { clearSaved, putBack } from '../../app/typed-since';

export const LOG_INPUT_ID = 'log-input';
const LOG_REFUSED_ID = 'log-input-refused';

/**
 * The selected incident and its log. The log input names the incident it writes to, and keeps a separate draft
 * per incident, so text typed for one can never land in another's log.
 */
export function IncidentDetail() {
  const wall = useWallClock();
  const selectedId = useConsole((s) => s.selectedId);
  const incident = useConsole((s) => (s.selectedId ? s.incidents[s.selectedId] : undefined));
  const logs = useConsole((s) => s.logs);
  const config = useConsole((s) => s.config);
  const addLogEntry = useConsole((s) => s.addLogEntry);
  const catchUp = useConsole((s) => s.catchUp);
  const [paperTimes, setPaperTimes] = useState<Record<string, string>>({});
  // The day a paper time is on: the day the system went down unless the operator types another (past midnight).
  const [paperDates, setPaperDates] = useState<Record<string, string>>({});
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  // The log lines entered at this desk, saved one at a time in the order entered (submit).
  const lines = useRef(inTurn());
  // A refusal is about the incident it was written to: it goes when another is selected (shown under another
  // incident's log box, "NBR may not write to it" read as that incident's).
  const [error, setError] = useState<{ incidentId: string; message: string } | null>(null);
  if (error && error.incidentId !== selectedId) setError(null);
  const entries = useMemo(() => (selectedId ? logOf({ logs }, selectedId) : []), [logs, selectedId]);
  // The view this force kept of an incident it transferred: its log is the new owner's, so the desk says where it went.
  const kept = useKeptView(incident);

  if (!incident) {
    return (
      <section className="incident-detail empty" aria-label="No incident selected">
        <p>Select an incident in the list (arrow keys) or press F2 to create one.</p>
      </section>
    );
  }

  const reference = displayReference(incident);
  // Held through a share (or a view kept after a transfer): the other force's incident, never this force's to queue.
  const viewOnly = incident.sharedView?.tier === 'view';
  const otherForce = incident.sharedView !== undefined || (config !== null && incident.force !== config.force.code);
  // Opened here and transferred away: who of this force created it, and where, still come (INCIDENT_SHOWN_TO_OPENER).
  const openedHere = config !== null && openedBy(incident) === config.force.code;
  const provisionalShown = config ? provisionalReferenceShownTo(incident, config.force.code) : null;
  const openedAs = openedAsName(config, incident);
  const draft = drafts[incident.id] ?? '';

  // Each line goes as Enter is pressed: taken from the box and the box emptied in the key's own event, so the next line
  // is typed into an empty box, whatever the desk's load; saved one after another, in the order entered (inTurn).
  // Kept in the box until saved instead, a line typed straight after it ran into it ("Line 06 suspect ran northLine
  // 07 ...", tryout15d), or took the first letters typed after its own Enter.
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = incident.id;
    const text = draft;
    if (!text.trim()) return;
    const paperTime = paperTimes[id] ?? '';
    const date = paperDates[id]?.trim();
    const paper = catchUp ? { time: paperTime, ...(date ? { date } : {}), outageFrom: catchUp.outageFrom } : undefined;
    setDrafts((d) => ({ ...d, [id]: '' }));
    setPaperTimes((t) => ({ ...t, [id]: '' }));
    // A refusal shown stays until the next Enter: a line entered before it, saved after, does not take it away.
    setError(null);
    void lines.current(() => addLogEntry(id, text, paper)).catch((e: unknown) => {
      setError({ incidentId: id, message: (e as Error).message });
      clearSaved(() => {
        setDrafts((d) => ({ ...d, [id]: putBack(text)(d[id] ?? '') }));
        setPaperTimes((t) => ({ ...t, [id]: t[id] || paperTime }));
      });
    });
  };

  return (
    <section className="incident-detail" aria-label={`Incident ${reference}`}>
      <header>
        <h2>
          {reference}
          {/* A space before what follows, so the heading's name reads "DMO-20261201-0004 (WS1-P0004)", never run together. */}
          {isProvisional(incident) ? (
            <>
              {' '}
              <span className="badge">provisional reference</span>
            </>
          ) : (
            // Only the provisional reference this force's own workstation minted: another force's incident comes
            // without it (share-cut.ts), and one transferred from another force names that force's workstation.
            provisionalShown && (
              <>
                {' '}
                <span className="secondary">({provisionalShown})</span>
              </>
            )
          )}
        </h2>
        <dl>
          <dt>Type</dt>
          <dd>
            {incidentTypeName(config, incident)}
            {openedAs && <span className="secondary"> (opened as {openedAs})</span>}
          </dd>
          {incident.sharedView ? (
            <>
              {/* Another force's incident, shared with this one: its common priority, and whose it is, never its grade. */}
              <dt>Priority</dt>
              <dd data-priority={incident.sharedView.commonPriority ?? undefined} data-shared-from={incident.force}>
                {sharedLabel(incident)}: {incident.force}&apos;s incident, shared with this force ({incident.sharedView.tier})
              </dd>
            </>
          ) : (
            <>
              <dt>Grade</dt>
              <dd data-grade={incident.grade} data-priority={config ? (incidentPriority(config, incident) ?? undefined) : undefined}>
                {gradeLabel(config, incident.grade)} <AttendanceClock incident={incident} />
              </dd>
            </>
          )}
          <dt>Location</dt>
          <dd>
            {describeLocation(incident.location)}
            {/* A space first, so the text reads "12 Quarry Lane unverified: follow up", not run together. */}
            {needsFollowUp(incident.location) && <> <span className="badge">unverified: follow up</span></>}
          </dd>
          {/* Another force's incident waits in none of this force's queues (its Priority says whose it is). */}
          {!otherForce && (
            <>
              <dt>Queue</dt>
              <dd>
                <HandoffStanding incident={incident} />
              </dd>
            </>
          )}
          <dt>Created</dt>
          <dd>
            {/* Another force's incident: who made it, and where, are not sent (share-cut.ts fills both with the force). */}
            {otherForce && !openedHere
              ? `${wall.timeWithSeconds(incident.createdAt)}: ${incident.force}'s incident, created at ${incident.force}`
              : `${wall.timeWithSeconds(incident.createdAt)} by ${incident.createdBy} at ${incident.createdAtWorkstation}`}
            {incident.backEntered && <span className="back-entered"> (kept on paper; {backEnteredText(wall, incident.backEntered)})</span>}
          </dd>
          {(incident.reopenings ?? []).map((r) => (
            <Fragment key={r.at}>
              <dt>Reopened</dt>
              <dd>
                {wall.dateTime(r.at)} by {r.by}: {r.reason} (had closed {wall.dateTime(r.closedAt)} as {r.closingCode}, by {r.closedBy})
              </dd>
            </Fragment>
          ))}
        </dl>
      </header>
      {/* Another force's incident: first what its share's tier lets this force do, then only that (shared/domain/assist-writes.ts). */}
      {incident.sharedView && <IncidentShares key={`shares-${incident.id}`} incident={incident} logSize={entries.length} />}
      {/* Each part keyed by the incident: a message (a refusal, "added") or a half-filled form is about the incident it
          was made on, and goes when another is selected. */}
      {!incident.sharedView && <PendingDowngrade key={`downgrade-${incident.id}`} incident={incident} />}
      {!incident.sharedView && <RiskAssessment key={`risk-${incident.id}`} incident={incident} />}
      {(!incident.sharedView || incident.sharedView.tier === 'assist') && <Recommendations key={incident.id} incident={incident} />}
      {!incident.sharedView && <BorrowedUnits key={`loans-${incident.id}`} incident={incident} />}
      {/* The owner's shares after what waits on a decision (a downgrade, the risk, the units proposed): Tab meets those first. */}
      {!incident.sharedView && <IncidentShares key={`shares-${incident.id}`} incident={incident} logSize={entries.length} />}
      {!incident.sharedView && <OfferIncident key={`offers-${incident.id}`} incident={incident} />}
      {!incident.sharedView && <RelatedIncidents key={`related-${incident.id}`} incident={incident} />}
      {!incident.sharedView && <WarningMarkerForm key={`markers-${incident.id}`} incident={incident} />}
      {!incident.sharedView && <IncidentActions key={`actions-${incident.id}`} incident={incident} />}
      {/* The log region around the list, not on it: role="log" on the <ol> would take its list semantics away. */}
      <div role="log" aria-label={`Log of ${reference}`}>
        <ol className="log">
          {entries.map((entry) => (
            <li key={entry.id}>
              <time dateTime={entry.at}>{wall.timeWithSeconds(entry.at)}</time> <span className="author">{describeAuthor(entry.author, entry.workstation, entry.relay, entry.signedIn)}{entry.byForce && ` (${entry.byForce})`}</span>{' '}
              <span className="text">{entry.text}</span>
              {entry.backEntered && <span className="back-entered"> {backEnteredText(wall, entry.backEntered)}</span>}
              {entry.pending && <span className="pending"> not yet on the server</span>}
            </li>
          ))}
          {/* At the view tier the new owner's line saying so is not sent: the old owner's desk says it from its kept view. */}
          {kept && viewOnly && (
            <li className="transferred">
              <time dateTime={kept.at}>{wall.timeWithSeconds(kept.at)}</time>{' '}
              <span className="text">
                Ownership transferred from {kept.sharedWith} to {incident.force} ({wall.dateTimeZoned(kept.at)}, accepted by {kept.by}): it is {incident.force}&apos;s incident now, and {kept.sharedWith} keeps a view of it; {incident.force}&apos;s log from then on is not shared at the view tier
              </span>
            </li>
          )}
          {entries.length === 0 && <li className="empty">{viewOnly ? `The log is not shared at the view tier: ${incident.force} shares its log only to assist.` : 'Nothing logged yet.'}</li>}
        </ol>
      </div>
      {/* Disabled at the view tier, the reason its description: the force may not write in another force's log
          (shared/domain/assist-writes.ts). Shown, so the reason is there to read where the log box is. */}
      <form className="log-form" onSubmit={submit}>
        <label htmlFor={LOG_INPUT_ID}>
          Log entry for <strong>{reference}</strong>
        </label>
        <input
          id={LOG_INPUT_ID}
          autoComplete="off"
          value={draft}
          maxLength={4000}
          disabled={viewOnly}
          aria-describedby={viewOnly ? LOG_REFUSED_ID : undefined}
          onChange={(e) => setDrafts((d) => ({ ...d, [incident.id]: e.target.value }))}
        />
        {catchUp && (
          <label>
            Time on paper{' '}
            <input autoComplete="off" placeholder="hh:mm" value={paperTimes[incident.id] ?? ''} onChange={(e) => setPaperTimes((t) => ({ ...t, [incident.id]: e.target.value }))} />
          </label>
        )}
        {catchUp && (
          <label>
            Date on paper{' '}
            <input
              autoComplete="off"
              placeholder={wall.date(catchUp.outageFrom)}
              value={paperDates[incident.id] ?? ''}
              onChange={(e) => setPaperDates((t) => ({ ...t, [incident.id]: e.target.value }))}
            />
          </label>
        )}
        {viewOnly && (
          <p id={LOG_REFUSED_ID} className="secondary">
            {incident.force} has shared {reference} with this force to view only: this force may not write in its log.
          </p>
        )}
        <button type="submit" disabled={viewOnly || !draft.trim()}>
          Add to log
        </button>
        {error && error.incidentId === incident.id && <p role="alert">{error.message}</p>}
      </form>
      {catchUp && incident.sharedView === undefined && <PaperCallAttach key={`paper-${incident.id}`} incident={incident} outageFrom={catchUp.outageFrom} />}
    </section>
  );
}
