import { useEffect, useMemo, useState } from 'react';
import type { ContactView } from '../../../shared/contract/views';
import { contactSourceNames } from '../../../shared/domain/contact';
import { findDisposal } from '../../../shared/domain/force-config';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useWallClock } from '../../app/format';
import { elapsed, useNow } from '../../app/use-now';
import { consoleNow } from '../../app/console-clock';

/** How far back the supervisor's report of calls ended without an incident goes. */
const REPORT_HOURS = 24;

/**
 * What the supervisor reconciles: every answered call ends in an incident or a recorded disposal. Answered calls with
 * neither are listed with their age (those being taken now, and any left so), oldest first; calls ended without
 * an incident in the last day are reported by disposal, each with its note.
 */
export function CallRecords() {
  const api = useApi();
  const wall = useWallClock();
  const config = useConsole((s) => s.config);
  // Any change to a call may change either list: read both again.
  const contacts = useConsole((s) => s.contacts);
  const now = useNow(1000);
  const [unrecorded, setUnrecorded] = useState<ContactView[]>([]);
  const [disposed, setDisposed] = useState<ContactView[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const since = new Date(consoleNow() - REPORT_HOURS * 3_600_000).toISOString();
    Promise.all([api.call('contacts.unrecorded', {}), api.call('contacts.disposed', { since })]).then(
      ([open, ended]) => {
        if (!current) return;
        setUnrecorded(open.contacts);
        setDisposed(ended.contacts);
        setError(null);
      },
      (e: unknown) => current && setError((e as Error).message),
    );
    return () => {
      current = false;
    };
  }, [api, contacts]);

  const byDisposal = useMemo(() => {
    const counts = new Map<string, number>();
    for (const c of disposed) if (c.disposal) counts.set(c.disposal.code, (counts.get(c.disposal.code) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1]);
  }, [disposed]);
  if (!config) return null;
  const nameOf = (code: string) => findDisposal(config, code)?.name ?? code;

  return (
    <>
      {/* Each section focusable: it scrolls when long, and the keyboard must be able to scroll it too. */}
      <section aria-labelledby="unrecorded-heading" className="unrecorded-calls" tabIndex={0}>
        <h2 id="unrecorded-heading">Answered calls with no incident or disposal ({unrecorded.length})</h2>
        {error && <p role="alert">{error}</p>}
        <ul aria-label="Answered calls with no incident or disposal">
          {unrecorded.map((c) => (
            <li key={c.id}>
              {contactSourceNames[c.source]} from {c.callerNumber ?? 'a withheld number'}, answered by {c.answeredBy ?? 'nobody'} at {c.answeredAt ? wall.time(c.answeredAt) : '—'}:{' '}
              <strong>{elapsed(now - Date.parse(c.answeredAt ?? c.receivedAt))}</strong> {c.state === 'answered' ? 'since it was answered' : 'since it was answered, ended unrecorded'}
            </li>
          ))}
          {unrecorded.length === 0 && <li className="empty">Every answered call is on an incident or has a disposal.</li>}
        </ul>
      </section>
      <section aria-labelledby="disposed-heading" className="disposed-calls" tabIndex={0}>
        <h2 id="disposed-heading">
          Calls ended without an incident, last {REPORT_HOURS} hours ({disposed.length})
        </h2>
        {byDisposal.length > 0 && (
          <dl>
            {byDisposal.map(([code, count]) => (
              <div key={code}>
                <dt>{nameOf(code)}</dt>
                <dd>{count}</dd>
              </div>
            ))}
          </dl>
        )}
        <ul aria-label="Calls ended without an incident">
          {disposed.map((c) => (
            <li key={c.id}>
              {wall.time(c.receivedAt)} {contactSourceNames[c.source]} from {c.callerNumber ?? 'a withheld number'}: {c.disposal ? `${nameOf(c.disposal.code)} (${c.disposal.by}): ${c.disposal.note}` : ''}
            </li>
          ))}
          {disposed.length === 0 && <li className="empty">None.</li>}
        </ul>
      </section>
    </>
  );
}
