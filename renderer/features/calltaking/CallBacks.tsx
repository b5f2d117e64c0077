import { useId, useMemo, useState } from 'react';
import type { TaskView } from '../../../shared/contract/views';
import { callsOf, claimInForce } from '../../../shared/domain/call-backs';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';
import { useNow } from '../../app/use-now';
import { focusById } from '../../app/focus';
import { clearSaved, keepTypedSince } from '../../app/typed-since';

/**
 * Call-backs owed: after abandoned or silent 999 calls, someone must ring back and say what came of it. One task per
 * number, with every call from it and every attempt to ring back. A handler claims one before ringing, and everyone
 * sees it taken; the claim lapses by itself if it is not worked. A withheld or unknown number cannot be rung back:
 * its task says what to do instead.
 */
export function CallBacks() {
  const tasksById = useConsole((s) => s.tasks);
  const tasks = useMemo(() => Object.values(tasksById).filter((t) => t.state === 'open').sort((a, b) => a.createdAt.localeCompare(b.createdAt)), [tasksById]);
  if (tasks.length === 0) return null;
  return (
    <section className="call-backs" aria-labelledby="call-backs-heading">
      <h2 id="call-backs-heading">Call-backs ({tasks.length})</h2>
      <ul aria-label="Call-backs owed">
        {tasks.map((task) => (
          <CallBack key={task.id} task={task} />
        ))}
      </ul>
    </section>
  );
}

function CallBack({ task }: { task: TaskView }) {
  const wall = useWallClock();
  const api = useApi();
  const me = useConsole((s) => s.session?.operator?.id);
  const advice = useConsole((s) => s.config?.calls.callBacks.withheldAdvice);
  const announce = useConsole((s) => s.announce);
  const now = useNow(5000);
  const action = useAction();
  const [result, setResult] = useState('');
  const id = useId();
  const claim = claimInForce(task, now);
  const mine = claim !== null && claim.by === me;
  const callable = task.kind === 'call_back';
  const who = task.callerNumber ?? 'a withheld number';
  const calls = callsOf(task);
  const title = callable ? `Ring back ${who}` : `${who === 'a withheld number' ? 'Withheld number' : `Unknown number (${who})`}: cannot be rung back`;

  const act = (run: () => Promise<unknown>, said: string, then?: () => void) =>
    void action.run(async () => {
      await run();
      clearSaved(() => setResult(keepTypedSince(result)));
      announce(said);
      then?.();
    });

  return (
    <li className="call-back" aria-labelledby={`${id}-title`} data-claimed={claim ? (mine ? 'mine' : 'other') : 'no'}>
      <h3 id={`${id}-title`}>{title}</h3>
      <p>
        {task.reason}. {calls.length === 1 ? '1 call' : `${calls.length} calls`}: {calls.map((c) => `${wall.time(c.at)}${c.outcome === 'silent' ? ' (silent)' : ''}`).join(', ')}
      </p>
      {!callable && <p className="advice">{advice}</p>}
      {task.attempts.length > 0 && (
        <ul aria-label={`Attempts to ring ${who}`} className="attempts">
          {task.attempts.map((a) => (
            <li key={a.id}>
              {wall.time(a.at)} {a.by}: {a.result}
            </li>
          ))}
        </ul>
      )}
      <p className="claim">
        {claim
          ? mine
            ? `Claimed by you until ${wall.time(claim.until)}${task.pending ? ': not yet confirmed by the server, so others may not see it yet. Ring once it is.' : '.'}`
            : `Claimed by ${claim.by} until ${wall.time(claim.until)}: leave it to them.`
          : task.claim
            ? `Not claimed: ${task.claim.by}’s claim lapsed at ${wall.time(task.claim.until)}.`
            : 'Not claimed.'}
      </p>
      {!mine ? (
        <button
          type="button"
          disabled={action.busy || claim !== null}
          // Once claimed, the keyboard goes to what came of it: the button it was on is gone.
          onClick={() => act(() => api.call('tasks.claim', { taskId: task.id, taskVersion: task.version }), `Call-back to ${who} claimed`, () => focusById(`${id}-result`))}
        >
          {callable ? `Claim call-back to ${who}` : `Claim the call-back of ${wall.time(task.createdAt)} (${who})`}
        </button>
      ) : (
        <div className="work">
          <label htmlFor={`${id}-result`}>{callable ? `What came of ringing ${who}` : 'What was done'}</label>
          <input id={`${id}-result`} value={result} maxLength={500} onChange={(e) => setResult(e.target.value)} />
          {callable && (
            <button
              type="button"
              disabled={action.busy}
              onClick={() => act(() => api.call('tasks.attempt', { taskId: task.id, result: result.trim() || 'No answer' }), `Attempt to ring ${who} kept; still yours`)}
            >
              Not reached
            </button>
          )}
          <button type="button" disabled={action.busy} onClick={() => act(() => api.call('tasks.complete', { taskId: task.id, outcome: result.trim() }), `Call-back to ${who} done`)}>
            Done
          </button>
        </div>
      )}
      {action.error && <p role="alert">{action.error}</p>}
    </li>
  );
}
