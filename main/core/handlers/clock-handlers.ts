import { ApiError } from '../../../shared/contract/errors';
import { instantOf } from '../../../shared/domain/time';
import { wallClock } from '../../../shared/domain/wall-clock';
import type { ExerciseClock } from '../../../shared/domain/exercise-clock';
import type { CoreContext, HandlerGroup } from '../core-context';

type ClockChannels = 'clock.now' | 'clock.nextTime';

/**
 * Time as the core keeps it: its injectable clock (which tests and exercises move) and the force's wall clock. A
 * window asks here rather than reading its own machine's clock and zone.
 */
export function clockHandlers(ctx: CoreContext, exercise: ExerciseClock | null = null): HandlerGroup<ClockChannels> {
  const wall = wallClock(ctx.config.force.timeZone);
  return {
    // A training workstation's windows are given the exercise clock's state, to reckon a paused or sped-up time from.
    'clock.now': () => (exercise ? { now: instantOf(ctx.clock), exercise: exercise.state() } : { now: instantOf(ctx.clock) }),
    'clock.nextTime': ({ text }) => {
      const next = wall.nextTime(text, ctx.clock.now());
      if (!next.ok) throw new ApiError('bad_request', next.message);
      return { at: new Date(next.at).toISOString() };
    },
  };
}
