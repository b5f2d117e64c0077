import { ApiError } from '../../../shared/contract/errors';
import { displayReference } from '../../../shared/domain/incident';
import type { ExerciseClock } from '../../../shared/domain/exercise-clock';
import type { ExerciseStatus } from '../../../shared/training/exercise-view';
import type { ExerciseRoom } from '../../../shared/training/exercise-room';
import type { ExerciseRunner } from '../../adapters/exercise/exercise-runner';
import type { CoreContext, HandlerGroup } from '../core-context';

type ExerciseChannels = 'exercise.status' | 'exercise.timeline' | 'exercise.control' | 'exercise.trainees';

/**
 * A training workstation's exercise, as the core runs it: on the trainer's desk the scenario's runner and the exercise
 * clock the training server reads; on a trainee's, the clock that follows the server's. Null on a live workstation.
 */
export interface CoreExercise {
  desk: 'trainer' | 'trainee';
  clock: ExerciseClock;
  /** The trainer's desk only. */
  runner?: ExerciseRunner;
  /** The trainer's desk only: the trainees as its training server sees them. */
  room?: ExerciseRoom;
  title: string | null;
}

export function exerciseStatus(exercise: CoreExercise): ExerciseStatus {
  // The trainer's clock is the one the training server reads; a trainee's is confirmed only while it hears the server.
  return { desk: exercise.desk, title: exercise.title, clock: exercise.clock.state(), confirmed: exercise.desk === 'trainer' || exercise.clock.hearsServer() };
}

/**
 * The exercise's channels. The trainer's controls need a trainer signed in at the trainer's desk: a trainee cannot
 * pause the room, and a trainer at a trainee's desk is told where the controls are.
 */
export function exerciseHandlers(ctx: CoreContext, exercise: CoreExercise | null): HandlerGroup<ExerciseChannels> {
  const trainerDesk = (): { exercise: CoreExercise; runner: ExerciseRunner } => {
    if (!exercise) throw new ApiError('bad_request', 'this is a live workstation: there is no exercise here');
    if (!exercise.runner) throw new ApiError('bad_request', "the exercise is run from the trainer's workstation, not from a trainee's");
    if (!ctx.session.signedIn?.operator.roles.includes('trainer')) throw new ApiError('forbidden', 'only a trainer may run the exercise');
    return { exercise, runner: exercise.runner };
  };
  return {
    'exercise.status': () => (exercise ? exerciseStatus(exercise) : null),
    'exercise.timeline': () => trainerDesk().runner.timeline(),
    // Who has joined and signed in, and what each has done (the training server's), named by the records this desk holds.
    'exercise.trainees': () =>
      trainerDesk().exercise.room?.trainees({
        liveContacts: ctx.store.view.liveContacts(),
        incident: (id) => {
          const incident = ctx.store.view.get('incident', id);
          return incident ? { reference: displayReference(incident), open: incident.status === 'open' } : null;
        },
      }) ?? [],
    'exercise.control': (request) => {
      const { exercise: running, runner } = trainerDesk();
      const { clock } = running;
      try {
        switch (request.action) {
          case 'start':
            clock.start();
            break;
          case 'resume':
            clock.resume();
            break;
          case 'pause':
            clock.pause();
            break;
          case 'speed':
            clock.setSpeed(request.speed);
            break;
          case 'next':
            runner.jumpToNext();
            break;
          case 'injectNow':
            runner.injectNow(request.index);
            break;
          case 'addCall':
            runner.addCall(request.source, request.callerNumber || null);
            break;
        }
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError('bad_request', (error as Error).message);
      }
      ctx.log.info({ action: request.action, operator: ctx.session.signedIn?.operator.id }, 'exercise control');
      return exerciseStatus(running);
    },
  };
}
