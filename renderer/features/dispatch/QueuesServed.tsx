import { queueKey, queuesOf } from '../../../shared/domain/dispatch-queues';
import { useConsole } from '../../state/use-console';
import { setServedQueues, useServedQueues } from './served-queues';

/**
 * Which of the force's dispatch queues this desk serves: its untaken incidents alert here, the others' do not (they
 * alert at the desks that serve them, and the supervisor's). Every queue until set; a desk may not serve none, so the
 * last ticked queue cannot be unticked.
 */
export function QueuesServed() {
  const config = useConsole((s) => s.config);
  const served = useServedQueues();
  if (!config) return null;
  const queues = queuesOf(config);
  const keys = queues.map((q) => queueKey(q.queue));
  const ticked = (key: string) => served === null || served.has(key);
  const summary = served === null ? 'all' : queues.filter((q) => ticked(queueKey(q.queue))).map((q) => q.name).join(', ') || 'none';
  const toggle = (key: string, on: boolean) => {
    const next = keys.filter((k) => (k === key ? on : ticked(k)));
    if (next.length === 0) return;
    setServedQueues(next.length === keys.length ? null : next);
  };
  return (
    <details className="queues-served">
      <summary>Queues this desk serves: {summary}</summary>
      <fieldset>
        <legend>Queues this desk serves</legend>
        {queues.map(({ queue, name }) => {
          const key = queueKey(queue);
          return (
            <label key={key}>
              <input type="checkbox" checked={ticked(key)} onChange={(e) => toggle(key, e.target.checked)} /> {name}
            </label>
          );
        })}
      </fieldset>
    </details>
  );
}
