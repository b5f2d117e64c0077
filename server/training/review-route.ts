import type { Logger } from 'pino';
import { describeIssues } from '../../shared/validation';
import type { Role } from '../../shared/domain/operator';
import { ReviewRequest } from '../../shared/sync/review-protocol';
import { exerciseReview, type ReviewHistoryEntry } from '../../shared/training/exercise-review';
import type { ExerciseReview } from '../../shared/training/review-view';
import type { Scenario } from '../../shared/training/scenario';
import { FIRST_FORCE } from '../../shared/domain/force';
import { HttpError } from '../http/read-body';
import { admitAsker } from '../access/check-asker';
import { readRecords } from '../measures/measures-routes';
import type { ServerRules } from '../commands/plan-command';
import type { EnrolledDevice, ServerStorage } from '../storage/storage';

/** Who may ask for the review: the trainer (trainees see it on the trainer's screen, or in the exported file). */
export const REVIEW_READERS: readonly Role[] = ['trainer'];

/** Audit entries read per page while the record is gathered. */
const PAGE = 2000;

export interface ReviewRouteDeps {
  storage: ServerStorage;
  rules: ServerRules;
  log: Logger;
  device: EnrolledDevice;
  ticketSecret: string;
  /** The scenario the exercise plays (null: a training server started without one, which has nothing to review). */
  scenario: Scenario | null;
}

/**
 * The after-action review of the exercise so far (shared/training/exercise-review.ts), computed from the server's own
 * record: the records as they stand (contacts, incidents, assignments of the asking workstation's force, over the
 * exercise from the scenario's start to the exercise clock's now) and the audit log's entries of every change and of
 * the desks' moments (units proposed, calls located and graded on the form), which
 * say who did what when. Refusals: 400 for a malformed request, 403 for a ticket that is not good or an operator who
 * is not a trainer of the workstation's force, 404 for a server with no scenario.
 */
export async function handleReview(body: unknown, deps: ReviewRouteDeps): Promise<ExerciseReview> {
  const now = deps.rules.now();
  // The asker first: a role refused the review learns nothing of what the request takes.
  await admitAsker(body, 'review', { ...deps, now }, REVIEW_READERS, 'may not see the exercise review: only a trainer may');
  const parsed = ReviewRequest.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `review: ${describeIssues(parsed.error)}`);
  if (!deps.scenario) throw new HttpError(404, 'this server plays no scenario, so there is no exercise to review');
  const force = deps.device.force;
  if (force === null) throw new HttpError(403, 'this workstation belongs to no force: enrol it again for its force');
  const from = deps.scenario.startsAt;
  const to = new Date(Math.max(now, Date.parse(from) + 1000)).toISOString();
  const records = readRecords(await deps.storage.measureRecords(from, to, force), deps.log);
  const history: ReviewHistoryEntry[] = [];
  for (let after = 0; ; ) {
    const page = await deps.storage.auditEntries(after, PAGE);
    for (const entry of page) {
      // The asking force's own entries (one of no force, written before entries named theirs, is the first force's).
      if ((entry.force ?? FIRST_FORCE) !== force || (entry.kind !== 'collection' && entry.kind !== 'alteration' && entry.kind !== 'moment')) continue;
      // Taken when the server took it at the latest: a trainee's desk that ran ahead of the exercise clock (it could not
      // hear a pause) said times still to come, and the review counts by the exercise clock.
      history.push(Date.parse(entry.issuedAt) > Date.parse(entry.recordedAt) ? { ...entry, issuedAt: entry.recordedAt } : entry);
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.seq;
  }
  return exerciseReview({ scenario: deps.scenario, config: deps.rules.config, records, history, nowMs: now });
}
