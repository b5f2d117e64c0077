import { useId, useMemo, useState, type FormEvent } from 'react';
import type { AuditEntryView, AuditQueryResponse, AuditQuestion, DisclosedTo } from '../../../shared/sync/audit-protocol';
import type { WallClock } from '../../../shared/domain/wall-clock';
import { useApi } from '../../state/use-api';
import { useConsole } from '../../state/use-console';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { consoleNow } from '../../app/console-clock';
import { saveFile } from './save-file';
import { codeNamesOf } from '../../../shared/domain/audit-words';
import { auditClockWords, isDoubtfulClock } from '../../../shared/domain/audit-clock';
import { auditTime, describeQuestion, entryDetail, incidentQuestion, isBookkeeping, recordWords, whatWords } from './audit-words';

type About = 'reference' | 'operator' | 'disclosures';

/** The id of the first field, for whoever opens the panel to put the keyboard there. */
export const AUDIT_FIRST_FIELD = 'audit-reference';

/**
 * The auditor's questions to the server's audit log, by keyboard: who looked at or changed an incident (by its
 * reference or its id, before or after its erasure), what an operator did between two times (typed on the force's clocks), every disclosure; the answer a
 * page at a time, newest first, and any answer exported as a CSV file for a stated purpose. Online only: the log is
 * on the server, and the server logs every question (the reason given goes with it) and every export.
 */
export function AuditPanel() {
  const api = useApi();
  const wall = useWallClock();
  const id = useId();
  const connection = useConsole((s) => s.sync?.connection ?? null);
  const [about, setAbout] = useState<About>('reference');
  // Disclosures to other forces are what a question about disclosures is mostly for; the audit log's own exports
  // (each a disclosure to the reader who took it) would fill the answer, so they are asked for apart.
  const [disclosedTo, setDisclosedTo] = useState<DisclosedTo>('other-forces');
  const [reference, setReference] = useState('');
  const [operator, setOperator] = useState('');
  const today = wall.date(consoleNow());
  const [span, setSpan] = useState({ fromDate: today, fromTime: '00:00', toDate: today, toTime: '23:59' });
  const [reason, setReason] = useState('');
  const [purpose, setPurpose] = useState('');
  const [asked, setAsked] = useState<AuditQuestion | null>(null);
  /** The reason the question on screen was asked with: its next pages go with the same reason, whatever is typed since. */
  const [askedReason, setAskedReason] = useState('');
  const [entries, setEntries] = useState<AuditEntryView[]>([]);
  /** Names of the records the entries are about, gathered over the pages, and the incidents a reference found. */
  const [labels, setLabels] = useState<AuditQueryResponse['labels']>({});
  const [found, setFound] = useState<AuditQueryResponse['records']>([]);
  /** What the question on screen is about as people know it (an incident asked by id, by its reference), for its heading. */
  const [subject, setSubject] = useState<AuditQueryResponse['subject']>(undefined);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const asking = useAction();
  const exporting = useAction();
  const online = connection === 'online';

  const question = (): AuditQuestion | string => {
    if (about === 'reference') return incidentQuestion(reference) ?? 'Enter an incident reference (or the incident’s id).';
    if (about === 'disclosures') return { about: 'disclosures', to: disclosedTo };
    if (!operator.trim()) return 'Enter the operator’s name.';
    const from = wall.timeOn(span.fromDate, span.fromTime);
    if (!from.ok) return `From: ${from.message}`;
    const to = wall.timeOn(span.toDate, span.toTime);
    if (!to.ok) return `To: ${to.message}`;
    if (to.at <= from.at) return 'To must be later than From: the end of the span is not included.';
    return { about: 'operator', operator: operator.trim(), from: new Date(from.at).toISOString(), to: new Date(to.at).toISOString() };
  };

  const ask = async (event: FormEvent) => {
    event.preventDefault();
    // The answer on screen is always the answer to the question it is headed with: a new question, even one refused
    // before it is sent, takes the old answer away (read under the new question, it would be put to the wrong person).
    setAsked(null);
    setEntries([]);
    setLabels({});
    setFound([]);
    setSubject(undefined);
    setNextCursor(null);
    setExported(null);
    const q = question();
    if (typeof q === 'string') return setProblem(q);
    // The server refuses a question without a reason too; said here first, nothing is sent.
    if (!reason.trim()) return setProblem('Say why you are looking at the audit log: the reason is kept with the question.');
    setProblem(null);
    await asking.run(async () => {
      const answer = await api.call('audit.query', { question: q, reason, limit: 50 });
      setAsked(q);
      setAskedReason(reason);
      setEntries(answer.entries);
      setLabels(answer.labels);
      setFound(answer.records);
      setSubject(answer.subject);
      setNextCursor(answer.nextCursor);
    });
  };

  const more = () =>
    asked &&
    nextCursor &&
    void asking.run(async () => {
      const answer = await api.call('audit.query', { question: asked, reason: askedReason, limit: 50, cursor: nextCursor });
      setEntries((shown) => [...shown, ...answer.entries]);
      setLabels((known) => ({ ...known, ...answer.labels }));
      setNextCursor(answer.nextCursor);
      // The button goes with the last page: the keyboard goes to the entries rather than out of the panel.
      if (!answer.nextCursor) document.getElementById(`${id}-entries`)?.focus();
    });

  const exportCsv = () =>
    asked &&
    void exporting.run(async () => {
      if (!purpose.trim()) throw new Error('Say what the file is for: the purpose is kept in the audit log with the export.');
      const file = await api.call('audit.export', { question: asked, purpose });
      saveFile(file.fileName, file.csv, 'text/csv;charset=utf-8');
      setExported(`Exported ${file.rows} ${file.rows === 1 ? 'entry' : 'entries'} to ${file.fileName}; the export is in the audit log as a disclosure to you.`);
    });

  return (
    <section className="audit-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Audit log</h2>
      {!online && (
        <p role="status">
          {connection === 'connecting' || connection === null
            ? 'Connecting to the central server… The audit log is kept there, so questions wait until it answers.'
            : 'Offline: the audit log is kept on the central server, which this workstation cannot reach now. Ask again once the console is connected.'}
        </p>
      )}
      <form onSubmit={(e) => void ask(e)} aria-label="Question to the audit log">
        <fieldset>
          <legend>Ask about</legend>
          {(
            [
              ['reference', 'An incident: who looked at or changed it, and why'],
              ['operator', 'An operator: what they looked at or did between two times'],
              ['disclosures', 'Every disclosure'],
            ] as const
          ).map(([value, label]) => (
            <label key={value}>
              <input type="radio" name={`${id}-about`} value={value} checked={about === value} onChange={() => setAbout(value)} /> {label}
            </label>
          ))}
        </fieldset>
        {about === 'reference' && (
          <p className="audit-field">
            <label htmlFor={AUDIT_FIRST_FIELD}>Incident reference (or id)</label>
            <input id={AUDIT_FIRST_FIELD} value={reference} onChange={(e) => setReference(e.target.value)} autoComplete="off" />
          </p>
        )}
        {about === 'disclosures' && (
          <fieldset>
            <legend>Disclosures</legend>
            {(
              [
                ['other-forces', 'To other forces only (shares, arrangements, offers, loans)'],
                ['all', 'All, with the audit log’s own exports'],
              ] as const
            ).map(([value, label]) => (
              <label key={value}>
                <input type="radio" name={`${id}-disclosed-to`} value={value} checked={disclosedTo === value} onChange={() => setDisclosedTo(value)} /> {label}
              </label>
            ))}
          </fieldset>
        )}
        {about === 'operator' && (
          <div className="audit-span">
            <label>
              Operator <input value={operator} onChange={(e) => setOperator(e.target.value)} autoComplete="off" />
            </label>
            <label>
              From date <input value={span.fromDate} onChange={(e) => { const value = e.target.value; setSpan((s) => ({ ...s, fromDate: value })); }} placeholder="yyyy-mm-dd" />
            </label>
            <label>
              From time <input value={span.fromTime} onChange={(e) => { const value = e.target.value; setSpan((s) => ({ ...s, fromTime: value })); }} placeholder="hh:mm" />
            </label>
            <label>
              To date <input value={span.toDate} onChange={(e) => { const value = e.target.value; setSpan((s) => ({ ...s, toDate: value })); }} placeholder="yyyy-mm-dd" />
            </label>
            <label>
              To time <input value={span.toTime} onChange={(e) => { const value = e.target.value; setSpan((s) => ({ ...s, toTime: value })); }} placeholder="hh:mm" />
            </label>
            <p className="hint">Force time ({wall.timeZone}); where an hour comes twice, add BST or GMT. The end is not included.</p>
          </div>
        )}
        <p className="audit-field">
          <label htmlFor={`${id}-reason`}>Why you are looking (kept in the audit log)</label>
          <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} aria-required="true" />
        </p>
        {/* Not disabled while busy (a second ask is ignored): a disabled button drops the keyboard out of the dialog. */}
        <button type="submit" disabled={!online}>
          Ask
        </button>
      </form>
      {(problem ?? asking.error) && <p role="alert">{problem ?? inWords(asking.error)}</p>}
      {asked && <h3 id={`${id}-asked`}>{describeQuestion(asked, wall, subject)}</h3>}
      {asked && <AuditAnswer id={`${id}-entries`} entries={entries} wall={wall} asked={asked} labels={labels} found={found} />}
      {asked && nextCursor && (
        <button type="button" onClick={more} disabled={!online}>
          Show older entries
        </button>
      )}
      {asked && (
        <form className="audit-export" aria-label="Export the answer" onSubmit={(e) => (e.preventDefault(), exportCsv())}>
          <label htmlFor={`${id}-purpose`}>Purpose of the file (kept in the audit log)</label>
          <input id={`${id}-purpose`} value={purpose} onChange={(e) => setPurpose(e.target.value)} maxLength={500} />
          <button type="submit" disabled={!online} aria-describedby={`${id}-asked`}>
            Export as CSV
          </button>
          {exporting.error && <p role="alert">{inWords(exporting.error)}</p>}
          {exported && <p role="status">{exported}</p>}
        </form>
      )}
    </section>
  );
}

/** The entries found, newest first: when (at the workstation, and as the server recorded it), who, what, and the detail. */
function AuditAnswer({ id, entries, wall, asked, labels, found }: { id: string; entries: AuditEntryView[]; wall: WallClock; asked: AuditQuestion; labels: AuditQueryResponse['labels']; found: AuditQueryResponse['records'] }) {
  // The force's names of its grades, incident types and closing codes, for the values of a change ("Emergency (1)").
  const config = useConsole((s) => s.config);
  const names = useMemo(() => (config ? codeNamesOf(config) : undefined), [config]);
  if (entries.length === 0) return <p role="status">Nothing in the audit log answers that question.</p>;
  // The system's own bookkeeping (a record's version and time of last change, altered by every command) is in the
  // log and in an exported file, but says nothing to a reader here: left out, and said how many.
  const shown = entries.filter((entry) => !isBookkeeping(entry));
  const left = entries.length - shown.length;
  const leftOut = left > 0 && (
    <p className="hint">
      {left} bookkeeping {left === 1 ? 'change' : 'changes'} (a record’s version and time of last change) not shown; the log keeps {left === 1 ? 'it' : 'them'}, and an export has {left === 1 ? 'it' : 'them'}.
    </p>
  );
  if (shown.length === 0) return <div id={id} tabIndex={-1}>{leftOut}</div>;
  return (
    <>
      <table id={id} className="audit-entries" aria-label="Audit entries" tabIndex={-1}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Recorded</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Record</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((entry) => (
            <tr key={entry.seq}>
              <td>
                {auditTime(wall, entry.issuedAt)}
                {/* Its two times differ by more than the allowed skew: late (done offline), or a clock not to be believed. */}
                {entry.clock && <span className={isDoubtfulClock(entry.clock) ? 'audit-clock doubtful' : 'audit-clock'}>{auditClockWords(entry.clock, wall)}</span>}
              </td>
              <td>{auditTime(wall, entry.recordedAt)}</td>
              <td>
                {entry.operator} at {entry.workstation}
              </td>
              <td>{whatWords(entry)}</td>
              <td>{recordWords(entry, labels, asked, found)}</td>
              <td>{entryDetail(entry, wall, labels, names)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {leftOut}
    </>
  );
}

/**
 * A refusal as the server or the core words it ("audit.query: question.to: must be after the start of the span"),
 * without the channel and field paths a reader has no use for ("To: must be after the start of the span").
 */
function inWords(message: string | null): string | null {
  if (!message) return message;
  const fields: Record<string, string> = { 'question.to': 'To', 'question.from': 'From', 'question.operator': 'Operator', 'question.reference': 'Incident reference', 'question.recordId': 'Incident id', purpose: 'Purpose', reason: 'Reason' };
  const bare = message.replace(/^audit\.(query|export): /, '');
  return bare.replace(/^([\w.]+): /, (whole, path: string) => (fields[path] ? `${fields[path]}: ` : whole));
}
