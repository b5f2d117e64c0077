import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../shared/contract/channels';
import type { GeoPoint } from '../../../shared/domain/location';
import { displayReference } from '../../../shared/domain/incident';
import { warningNames } from '../../../shared/domain/marker';
import { contactSourceNames } from '../../../shared/domain/contact';
import { useApi } from '../../state/use-api';
import { useWallClock } from '../../app/format';
import { useConsole } from '../../state/use-console';
import { ReasonPrompt } from '../../app/ReasonPrompt';

type History = ResponseOf<'history.lookup'>;

/**
 * What is known here and of this caller, shown where the handler cannot miss it: warnings on the location first
 * (as an alert), then earlier incidents at the place and earlier calls from the number.
 */
export function HistoryPanel({ point, locationText, callerNumber, currentContactId }: { point: GeoPoint | null; locationText: string | null; callerNumber: string | null; currentContactId: string | null }) {
  const api = useApi();
  const wall = useWallClock();
  const config = useConsole((s) => s.config);
  const [history, setHistory] = useState<History | null>(null);
  // The reason given to see what the force wants one for (a caller's older calls, another force's calls or
  // incidents), for this number at this place, and whether it is being asked.
  const [reason, setReason] = useState<{ asked: string; text: string } | null>(null);
  const [asking, setAsking] = useState(false);
  const lat = point?.lat;
  const lon = point?.lon;
  const asked = JSON.stringify([callerNumber, locationText, lat, lon]);
  const givenReason = reason && reason.asked === asked ? reason.text : null;

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      const at = lat !== undefined && lon !== undefined ? { lat, lon } : null;
      void api.call('history.lookup', { point: at, locationText, callerNumber: callerNumber || null, reason: givenReason, answering: currentContactId }).then((found) => current && setHistory(found));
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, lat, lon, locationText, callerNumber, givenReason, currentContactId]);

  if (!history) return null;
  const withheld = history.olderCallsWithheld;
  const incidentsWithheld = history.incidentsWithheld;
  const whyWithheld = [withheld?.why, incidentsWithheld?.why].filter(Boolean).join('; ');
  const { markers, incidents } = history;
  const contacts = history.contacts.filter((c) => c.id !== currentContactId);
  return (
    <section className="history" aria-label="Warnings and history">
      {markers.length > 0 && (
        <div role="alert" className="warnings">
          {markers.map((m) => (
            <p key={m.id}>
              <strong>Warning: {m.warnings.map((w) => warningNames[w]).join(', ')}</strong> at {m.address}
              {m.note && <> ({m.note})</>}
            </p>
          ))}
        </div>
      )}
      <h3>At this location</h3>
      {incidents.length === 0 ? (
        <p className="empty">No earlier incidents here.</p>
      ) : (
        <ul aria-label="Earlier incidents here">
          {incidents.map((i) => (
            <li key={i.id}>
              {displayReference(i)} {wall.dateTime(i.createdAt)} {i.type} ({i.status})
            </li>
          ))}
        </ul>
      )}
      {incidentsWithheld && (
        <p>
          {incidentsWithheld.count} {incidentsWithheld.count === 1 ? 'incident' : 'incidents'} here not shown: {incidentsWithheld.why}.{' '}
          <button type="button" onClick={() => setAsking(true)}>
            Show incidents not shown
          </button>
        </p>
      )}
      <h3>From this number</h3>
      {contacts.length === 0 ? (
        <p className="empty">No earlier calls from this number.</p>
      ) : (
        <ul aria-label="Earlier calls from this number">
          {contacts.map((c) => (
            <li key={c.id}>
              {wall.dateTime(c.receivedAt)} {contactSourceNames[c.source]}: {c.state}
              {c.disposal && ` (${config?.calls.disposals.find((d) => d.code === c.disposal?.code)?.name ?? c.disposal.code}: ${c.disposal.note})`}
            </li>
          ))}
        </ul>
      )}
      {withheld && callerNumber && (
        <p>
          {withheld.count} {withheld.count === 1 ? 'call' : 'calls'} from this number not shown: {withheld.why}.{' '}
          <button type="button" onClick={() => setAsking(true)}>
            Show calls not shown
          </button>
        </p>
      )}
      {asking && (
        <ReasonPrompt
          why={`Give a reason to see this: ${whyWithheld || 'what was left out'}`}
          offered={callerNumber ? `Taking a call from ${callerNumber}` : `Taking a call about ${locationText ?? 'this place'}`}
          onGive={(text) => {
            setReason({ asked, text });
            setAsking(false);
          }}
          onCancel={() => setAsking(false)}
        />
      )}
    </section>
  );
}
