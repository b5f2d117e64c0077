import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { complete, inlineHelp, parseCommandLine, type Intent } from '../../../shared/command-line/grammar';
import type { IncidentView } from '../../../shared/contract/views';
import { displayReference, provisionalReferenceShownTo } from '../../../shared/domain/incident';
import { useConsole } from '../../state/use-console';
import { clearSaved, putBack } from '../../app/typed-since';
import { inTurn } from '../../app/use-action';

export const COMMAND_LINE_ID = 'command-line';

/**
 * The command line: verbs with completion (Tab or arrow keys and Enter) and help as you type. It always names the
 * incident it acts on, so nobody writes in the wrong log; what a verb does is the desk's to say (onIntent).
 */
export function CommandLine({ target, onIntent }: { target: IncidentView | null; onIntent(intent: Intent): Promise<string> }) {
  const config = useConsole((s) => s.config);
  const units = useConsole((s) => s.units);
  const incidents = useConsole((s) => s.incidents);
  // Not yet brought up to date by the server since the core started (connecting, or out of reach since): a call sign
  // not known here may be a unit not yet received.
  const receiving = useConsole((s) => s.sync === null || s.sync.lastSyncedAt === null);
  const [line, setLine] = useState('');
  const [active, setActive] = useState(0);
  // `seen`: how many commands had been entered when it was shown.
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string; seen: number } | null>(null);
  const commands = useRef(inTurn());
  const entered = useRef(0);
  const id = useId();

  const context = useMemo(
    () => ({
      grades: config?.grades ?? [],
      closingCodes: config?.closingCodes ?? [],
      incidentTypes: config?.incidentTypes ?? [],
      units: Object.values(units).map((u) => ({ callSign: u.callSign, available: u.duty === 'on_duty' && !u.commitment, bookedOn: u.duty !== 'off_duty' })),
      references: Object.values(incidents)
        .filter((i) => i.status === 'open')
        // The provisional reference only where this force's workstation minted it (a shared incident's is blank).
        .flatMap((i) => [displayReference(i), provisionalReferenceShownTo(i, config?.force.code ?? '')].filter((r): r is string => !!r)),
      receiving,
    }),
    [config, units, incidents, receiving],
  );
  const completions = useMemo(() => (line.trim() ? complete(line, context) : []), [line, context]);
  const reference = target ? displayReference(target) : null;

  // A command goes as Enter is pressed, the line emptied in the key's own event, so the next is typed on an empty line
  // whatever the desk's load; carried out one after another, in the order entered (inTurn). Kept on the line until
  // done instead, a command typed ahead ran into it ("Manager wants him chargedLOG Officer on scene" logged).
  const run = () => {
    const parsed = parseCommandLine(line, context);
    if (!parsed.ok) {
      setOutcome({ ok: false, text: parsed.message, seen: entered.current });
      return;
    }
    const sent = line;
    setLine('');
    const seq = ++entered.current;
    void commands.current(() => onIntent(parsed.intent)).then(
      // A failure stays shown over a command entered before it appeared and done after it: that one was not an answer to it.
      (text) => setOutcome((shown) => (shown && !shown.ok && shown.seen >= seq ? shown : { ok: true, text, seen: entered.current })),
      (error: unknown) => {
        setOutcome({ ok: false, text: (error as Error).message, seen: entered.current });
        clearSaved(() => setLine(putBack(sent)));
      },
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Tab' && completions.length && !event.shiftKey) {
      event.preventDefault();
      setLine(completions[Math.min(active, completions.length - 1)]!.line);
      setActive(0);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((a) => Math.max(0, Math.min(completions.length - 1, a + (event.key === 'ArrowDown' ? 1 : -1))));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      run();
    }
  };

  return (
    // A landmark of its own, so a screen reader's landmark list reaches it as it does the desk around it.
    <div className="command-line" role="region" aria-label="Command line">
      <label htmlFor={COMMAND_LINE_ID}>
        Command {reference ? <>for <strong>{reference}</strong></> : '(no incident selected)'}
      </label>
      <input
        id={COMMAND_LINE_ID}
        role="combobox"
        aria-expanded={completions.length > 0}
        aria-controls={`${id}-completions`}
        aria-describedby={`${id}-help`}
        aria-activedescendant={completions.length ? `${id}-completion-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        value={line}
        maxLength={4000}
        onChange={(e) => {
          setLine(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={`${id}-completions`} role="listbox" aria-label="Completions" hidden={completions.length === 0}>
        {completions.map((c, i) => (
          <li key={c.line} id={`${id}-completion-${i}`} role="option" aria-selected={i === active}>
            <strong>{c.label}</strong> {c.note}
          </li>
        ))}
      </ul>
      <p id={`${id}-help`} className="help">
        {inlineHelp(line)}
      </p>
      {outcome && (
        <p role={outcome.ok ? 'status' : 'alert'} aria-label="Command result">
          {outcome.text}
        </p>
      )}
    </div>
  );
}
