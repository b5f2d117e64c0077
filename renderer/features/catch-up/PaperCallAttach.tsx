import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ContactView } from '../../../shared/contract/views';
import { contactSourceNames } from '../../../shared/domain/contact';
import { displayReference, type Incident } from '../../../shared/domain/incident';
import { useWallClock } from '../../app/format';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { clearSaved, keepChosenSince, keepTypedSince } from '../../app/typed-since';

/**
 * In catch-up, on an incident already there: a further call that rang while the system was down, answered on the
 * handset and noted on this incident's paper, attached to it as answered at the time the paper gives (hh:mm, on the
 * day the system went down unless a date is typed). The calls offered are those that rang during the outage and
 * nobody has dealt with, each by the time it rang, its source and number. Keyboard: the fields in order, Enter attaches.
 */
export function PaperCallAttach({ incident, outageFrom }: { incident: Pick<Incident, 'id' | 'reference' | 'provisionalReference'>; outageFrom: string }) {
  const api = useApi();
  const wall = useWallClock();
  const announce = useConsole((s) => s.announce);
  const [calls, setCalls] = useState<ContactView[]>([]);
  const [contactId, setContactId] = useState('');
  const [time, setTime] = useState('');
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asked, setAsked] = useState(0);
  const id = useId();

  useEffect(() => {
    let live = true;
    api.call('catchUp.outageCalls', {}).then(
      ({ calls }) => live && setCalls(calls),
      () => live && setCalls([]),
    );
    return () => {
      live = false;
    };
  }, [api, asked, outageFrom]);

  if (calls.length === 0) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!contactId || !time.trim()) {
      setError(`Still needed: ${[!contactId && 'the call', !time.trim() && 'the time it was answered'].filter(Boolean).join(', ')}.`);
      return;
    }
    setBusy(true);
    try {
      await api.call('catchUp.attachCall', { incidentId: incident.id, contactId, answeredAt: { date: date.trim() || wall.date(outageFrom), time: time.trim() } });
      announce(`Call answered on paper attached to ${displayReference(incident)}, back-entered`);
      clearSaved(() => {
        setContactId(keepChosenSince(contactId));
        setTime(keepTypedSince(time));
        setDate(keepTypedSince(date));
      });
      setError(null);
      setAsked((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="paper-call-attach" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <span id={`${id}-title`}>A further call on this incident&apos;s paper, answered while the system was down:</span>{' '}
      <label>
        Further call on paper{' '}
        <select value={contactId} onChange={(e) => setContactId(e.target.value)}>
          <option value="">Choose the call…</option>
          {calls.map((call) => (
            <option key={call.id} value={call.id}>
              {wall.timeWithSeconds(call.receivedAt)} on {wall.date(call.receivedAt)}: {contactSourceNames[call.source]} from {call.callerNumber ?? 'a withheld number'}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Time further call answered <input autoComplete="off" placeholder="hh:mm" value={time} onChange={(e) => setTime(e.target.value)} />
      </label>{' '}
      <label>
        Date further call answered <input autoComplete="off" placeholder={wall.date(outageFrom)} value={date} onChange={(e) => setDate(e.target.value)} />
      </label>{' '}
      <button type="submit" disabled={busy}>
        Attach call answered on paper
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
