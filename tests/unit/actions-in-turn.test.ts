import { describe, expect, it } from 'vitest';
import { inTurn } from '../../renderer/app/use-action';

// The trainer's clock controls (renderer/features/training/ExerciseBanner.tsx): a pause pressed while the start is
// still on its way to the training server is applied after it, never swallowed.
describe('actions in turn', () => {
  it('runs a press made while the last is in flight once that one settles, in order, none dropped', async () => {
    const turn = inTurn();
    const done: string[] = [];
    let finishStart!: () => void;
    const start = turn(() => new Promise<void>((resolve) => (finishStart = resolve)).then(() => done.push('start')));
    const pause = turn(async () => done.push('pause'));
    await Promise.resolve();
    expect(done).toEqual([]);
    finishStart();
    await Promise.all([start, pause]);
    expect(done).toEqual(['start', 'pause']);
  });

  it('goes on to the next after one fails, and gives each its own outcome', async () => {
    const turn = inTurn();
    const refused = turn(() => Promise.reject(new Error('the training server is not reachable')));
    const next = turn(async () => 'resumed');
    await expect(refused).rejects.toThrow('not reachable');
    await expect(next).resolves.toBe('resumed');
  });
});
