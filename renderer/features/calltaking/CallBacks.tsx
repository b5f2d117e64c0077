import { useMemo, useState } from 'react';
import { useConsole } from '../../state/use-console';
import { useApi } from '../../state/use-api';
import { useAction } from '../../app/use-action';
import { useWallClock } from '../../app/format';

/** Call-backs owed: after an abandoned or silent 999 call, someone must ring back and say what came of it. */
export function CallBacks() {
  const wall = useWallClock();
  const api = useApi();
  const tasksById = useConsole((s) => s.tasks);
  const tasks = useMemo(() => Object.values(tasksById).filter((t) => t.state === 'open').sort((a, b) => a.createdAt.localeCompare(b.createdAt)), [tasksById]);
  const [outcomes, setOutcomes] = useState<Record<string, string>>({});
  const action = useAction();
  if (tasks.length === 0) return null;
  return (
    <section className="call-backs" aria-label="Call-backs">
      <h2>Call-backs ({tasks.length})</h2>
      <ul>
        {tasks.map((task) => (
          <li key={task.id}>
            <strong>{task.callerNumber ?? 'withheld'}</strong> {task.reason}, {wall.time(task.createdAt)}
            <label>
              Outcome of the call-back to {task.callerNumber ?? 'the caller'}
              <input value={outcomes[task.id] ?? ''} maxLength={500} onChange={(e) => setOutcomes((o) => ({ ...o, [task.id]: e.target.value }))} />
            </label>
            <button type="button" disabled={action.busy || !(outcomes[task.id] ?? '').trim()} onClick={() => void action.run(() => api.call('tasks.complete', { taskId: task.id, outcome: outcomes[task.id]!.trim() }))}>
              Done
            </button>
          </li>
        ))}
      </ul>
      {action.error && <p role="alert">{action.error}</p>}
    </section>
  );
}
