import { describe, expect, it } from 'vitest';
import { ExerciseClock, exerciseTimeFrom } from '../../shared/domain/exercise-clock';
import { ManualClock } from '../../shared/domain/time';
import { ExerciseScheduler } from '../../node-common/exercise-scheduler';
import { ManualScheduler } from '../fakes/manual-scheduler';

const START = Date.parse('2026-12-04T22:30:00Z');
const MINUTE = 60_000;

function exercise(): { real: ManualClock; clock: ExerciseClock } {
  const real = new ManualClock(Date.parse('2026-11-30T10:00:00Z'));
  return { real, clock: new ExerciseClock(START, real) };
}

describe('the exercise clock', () => {
  it('stands at the scenario’s start until the trainer starts it', () => {
    const { real, clock } = exercise();
    real.advance(10 * MINUTE);
    expect(clock.now()).toBe(START);
    clock.start();
    real.advance(MINUTE);
    expect(clock.now()).toBe(START + MINUTE);
  });

  it('stops while paused and runs on from where it stopped when resumed', () => {
    const { real, clock } = exercise();
    clock.start();
    real.advance(2 * MINUTE);
    clock.pause();
    real.advance(30 * MINUTE);
    expect(clock.now()).toBe(START + 2 * MINUTE);
    expect(clock.state()).toMatchObject({ at: '2026-12-04T22:32:00.000Z', running: false, speed: 1 });
    clock.resume();
    real.advance(MINUTE);
    expect(clock.now()).toBe(START + 3 * MINUTE);
  });

  it('runs at 2×, 4× and 8×, keeping what elapsed at the old speed', () => {
    const { real, clock } = exercise();
    clock.start();
    real.advance(MINUTE);
    clock.setSpeed(8);
    real.advance(MINUTE);
    expect(clock.now()).toBe(START + 9 * MINUTE);
    clock.setSpeed(2);
    real.advance(MINUTE);
    expect(clock.now()).toBe(START + 11 * MINUTE);
    clock.setSpeed(4);
    clock.pause();
    real.advance(MINUTE);
    expect(clock.now()).toBe(START + 11 * MINUTE);
  });

  it('jumps forwards to the next inject, never back', () => {
    const { clock } = exercise();
    clock.jumpTo(START + 5 * MINUTE);
    expect(clock.now()).toBe(START + 5 * MINUTE);
    clock.jumpTo(START + MINUTE);
    expect(clock.now()).toBe(START + 5 * MINUTE);
  });

  it('a trainee’s clock follows the server’s state, and a repeat of the same state never takes it back', () => {
    const { real, clock: server } = exercise();
    const trainee = new ExerciseClock(START, real);
    trainee.follow(server.state());
    server.start();
    server.setSpeed(4);
    trainee.follow(server.state());
    real.advance(MINUTE);
    expect(trainee.now()).toBe(START + 4 * MINUTE);
    // The hello on a reconnection repeats the last change's state, read a moment before it arrives: no step back.
    const read = server.state();
    real.advance(100);
    trainee.follow(read);
    expect(trainee.now()).toBe(START + 4 * MINUTE + 400);
  });

  it('a trainee that ran on through a pause it never heard is put back to the server’s time when it hears it again', () => {
    const { real, clock: server } = exercise();
    const trainee = new ExerciseClock(START, real);
    server.start();
    server.setSpeed(8);
    trainee.follow(server.state());
    expect(trainee.hearsServer()).toBe(true);
    real.advance(MINUTE);
    // The link is lost (the system is down): the desk runs on, unconfirmed, while the trainer pauses.
    trainee.unheard();
    expect(trainee.hearsServer()).toBe(false);
    server.pause();
    real.advance(MINUTE);
    expect(trainee.now()).toBe(START + 16 * MINUTE);
    // Back: the server's hello.
    trainee.follow(server.state());
    expect(trainee.now()).toBe(START + 8 * MINUTE);
    expect(trainee.state()).toMatchObject({ running: false, speed: 8 });
    expect(trainee.hearsServer()).toBe(true);
    real.advance(MINUTE);
    expect(trainee.now()).toBe(server.now());
  });

  it('an older announcement arriving late does not win over a newer one', () => {
    const { real, clock: server } = exercise();
    const trainee = new ExerciseClock(START, real);
    server.start();
    const running = server.state();
    real.advance(MINUTE);
    server.pause();
    trainee.follow(server.state());
    trainee.follow(running);
    real.advance(MINUTE);
    expect(trainee.now()).toBe(START + MINUTE);
    expect(trainee.state().running).toBe(false);
  });

  it('a training server started again (another clock) is followed as it is, though its changes are fewer', () => {
    const { real, clock: server } = exercise();
    const trainee = new ExerciseClock(START, real);
    server.start();
    server.setSpeed(8);
    real.advance(MINUTE);
    server.pause();
    trainee.follow(server.state());
    const again = new ExerciseClock(START + 2 * MINUTE, real, 'again');
    trainee.follow(again.state());
    expect(trainee.now()).toBe(START + 2 * MINUTE);
  });

  it('tells its listeners of every change, so the server can announce it', () => {
    const { clock } = exercise();
    const seen: string[] = [];
    clock.onChange((state) => seen.push(`${state.running ? 'running' : 'paused'} ${state.speed}×`));
    clock.start();
    clock.setSpeed(2);
    clock.pause();
    expect(seen).toEqual(['running 1×', 'running 2×', 'paused 2×']);
  });

  it('a window reckons the exercise’s time from a state, standing still while paused', () => {
    const state = { at: '2026-12-04T22:30:00.000Z', running: true, speed: 2 as const };
    expect(exerciseTimeFrom(state, 1000, 1000 + MINUTE)).toBe(START + 2 * MINUTE);
    expect(exerciseTimeFrom({ ...state, running: false }, 1000, 1000 + MINUTE)).toBe(START);
  });
});

describe('timers on the exercise clock', () => {
  it('fire after exercise time, sooner at 8×, and never while paused or before the start, even when due', () => {
    const { real, clock } = exercise();
    const ticks = new ManualScheduler();
    const scheduler = new ExerciseScheduler(clock, 100, ticks);
    const fired: string[] = [];
    scheduler.setTimeout(() => fired.push('ring'), 60_000);
    scheduler.setTimeout(() => fired.push('note'), 0);
    scheduler.fireDue();
    expect(fired).toEqual([]);
    clock.start();
    scheduler.fireDue();
    expect(fired).toEqual(['note']);
    clock.setSpeed(8);
    real.advance(7_000);
    scheduler.fireDue();
    expect(fired).toEqual(['note']);
    real.advance(1_000);
    scheduler.fireDue();
    expect(fired).toEqual(['note', 'ring']);
    scheduler.setTimeout(() => fired.push('abandon'), 10_000);
    clock.pause();
    real.advance(MINUTE);
    scheduler.fireDue();
    expect(fired).toEqual(['note', 'ring']);
    clock.resume();
    real.advance(1_250);
    scheduler.fireDue();
    expect(fired).toEqual(['note', 'ring', 'abandon']);
  });
});
