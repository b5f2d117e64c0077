import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ERASABLE_WORDS, ErasableKind, type ErasableKind as Kind } from '../../../shared/domain/erasure';
import { useAction } from '../../app/use-action';
import { useApi } from '../../state/use-api';
import { clearSaved, keepTypedSince } from '../../app/typed-since';

export const ERASE_KIND_ID = 'admin-erase-kind';

const WHAT: Record<Kind, string> = {
  incident: 'Incident reference (or id)',
  contact: 'Call id',
  marker: 'Warning marker id',
};

/**
 * The records manager's part of the administrator's desk (shared/domain/erasure.ts): erase a closed incident by its
 * reference, or a call or warning marker by its id, with the reason (the end of its retention period, or the lawful
 * request it answers). Nothing happens until the administrator confirms, having been told what goes with it and that
 * it cannot be undone; the server must be reachable, and says why it refuses (an open incident, one erased already).
 */
export function EraseRecord({ onDone }: { onDone(message: string): void }) {
  const api = useApi();
  const [kind, setKind] = useState<Kind>('incident');
  const [record, setRecord] = useState('');
  const [reason, setReason] = useState('');
  // What the administrator is asked to confirm: the record as found here, and what goes with it.
  const [confirming, setConfirming] = useState<{ record: string; goes: string[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const action = useAction();

  const ask = (event: FormEvent) => {
    event.preventDefault();
    if (!record.trim()) return setProblem(`Enter the ${WHAT[kind].toLowerCase()} to erase.`);
    if (!reason.trim()) return setProblem('Give the reason for the erasure: the retention period, or the request it answers.');
    setProblem(null);
    // What goes is counted first, by the server with the erasure's own search, so the confirmation says exactly what
    // the erasure takes (and an open incident is refused before anyone is asked to confirm).
    void action.run(async () => {
      const preview = await api.call('admin.erasePreview', { kind, record: record.trim() });
      if (preview.problem) return setProblem(`The ${preview.record} cannot be erased: ${preview.problem}.`);
      setConfirming({ record: preview.record, goes: preview.goes });
    });
  };
  // The choice that does nothing has the keyboard once the confirmation is up (and its buttons usable): an erasure
  // cannot be undone.
  const asking = confirming !== null && !action.busy;
  useEffect(() => {
    if (asking) cancelRef.current?.focus();
  }, [asking]);
  const erase = () =>
    void action.run(async () => {
      const { done } = await api.call('admin.erase', { kind, record: record.trim(), reason: reason.trim() });
      clearSaved(() => {
        setConfirming(null);
        setRecord(keepTypedSince(record));
        setReason(keepTypedSince(reason));
      });
      onDone(`Done: ${done}`);
    });
  const cancel = () => {
    setConfirming(null);
    document.getElementById(ERASE_KIND_ID)?.focus();
  };

  return (
    <section aria-labelledby="erase-heading" className="erase-record">
      <h2 id="erase-heading">Erase a record</h2>
      <p className="hint">
        A closed incident goes with its log, deployments, calls and their call-back tasks (this force’s records only: another force’s that refer to it stay that force’s). Every workstation deletes it; the audit log keeps who did what and
        when, never the values.
      </p>
      <form onSubmit={ask} aria-labelledby="erase-heading">
        <label htmlFor={ERASE_KIND_ID}>Kind of record</label>
        <select id={ERASE_KIND_ID} value={kind} disabled={confirming !== null} onChange={(e) => setKind(e.target.value as Kind)}>
          {ErasableKind.options.map((k) => (
            <option key={k} value={k}>
              {ERASABLE_WORDS[k]}
            </option>
          ))}
        </select>
        <label htmlFor="admin-erase-record">{WHAT[kind]}</label>
        <input id="admin-erase-record" autoComplete="off" value={record} disabled={confirming !== null} onChange={(e) => setRecord(e.target.value)} />
        <label htmlFor="admin-erase-reason">Reason for the erasure</label>
        <input id="admin-erase-reason" autoComplete="off" value={reason} disabled={confirming !== null} onChange={(e) => setReason(e.target.value)} />
        {problem && <p role="alert">{problem}</p>}
        {!confirming && (
          <button type="submit" disabled={action.busy}>
            Erase…
          </button>
        )}
      </form>
      {confirming && (
        <div role="group" aria-labelledby="erase-confirm-words" aria-describedby="erase-confirm-goes" className="confirm" onKeyDown={(e) => e.key === 'Escape' && !action.busy && cancel()}>
          <p id="erase-confirm-words">
            Erase the {confirming.record}, for “{reason.trim()}”? This cannot be undone.
          </p>
          <div id="erase-confirm-goes">
            {confirming.goes.length === 0 ? (
              <p>Nothing else goes with it.</p>
            ) : (
              <>
                <p>With it go:</p>
                <ul aria-label="What goes with it">
                  {confirming.goes.map((words) => (
                    <li key={words}>{words}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
          <button type="button" disabled={action.busy} onClick={erase}>
            Erase for good
          </button>
          <button type="button" ref={cancelRef} disabled={action.busy} onClick={cancel}>
            Keep it
          </button>
        </div>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </section>
  );
}
