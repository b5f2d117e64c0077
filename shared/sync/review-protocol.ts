import { z } from 'zod';
import { Name } from '../domain/ids';
import { Instant } from '../domain/time';

/**
 * The exercise's after-action review (shared/training/review-view.ts), computed once by the training server from its
 * own record and asked over HTTP by the trainer's workstation for its signed-in trainer. A live server has no such
 * path; a training server answers it only for a trainer of its force.
 */
export const REVIEW_PATH = '/v1/exercise/review';

export const ReviewRequest = z.object({ operator: Name, ticket: z.string().min(1).max(2000), issuedAt: Instant }).strict();
export type ReviewRequest = z.input<typeof ReviewRequest>;
