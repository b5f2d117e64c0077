import { ApiError } from '../../../shared/contract/errors';
import type { ReviewAccess } from '../../sync/server-link';
import type { CoreContext, HandlerGroup } from '../core-context';
import { askerOf, askServer } from './audit-handlers';
import type { CoreExercise } from './exercise-handlers';

/**
 * The exercise's after-action review, asked of the training server for the signed-in trainer at the trainer's desk:
 * it is computed there, from the server's own record, so it shows what really happened on every desk; online only.
 */
export function reviewHandlers(ctx: CoreContext, link: Partial<ReviewAccess>, exercise: CoreExercise | null): HandlerGroup<'exercise.review'> {
  return {
    'exercise.review': () => {
      if (!exercise) throw new ApiError('bad_request', 'this is a live workstation: there is no exercise to review');
      if (exercise.desk !== 'trainer') throw new ApiError('bad_request', "the exercise is reviewed at the trainer's workstation, not at a trainee's");
      return askServer(() => link.review?.(askerOf(ctx)), OFFLINE);
    },
  };
}

const OFFLINE = "The review is computed by the exercise's training server, which cannot be reached now: ask again when this workstation is connected.";
