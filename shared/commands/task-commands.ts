import { z } from 'zod';
import { withTaskDefaults, type Task } from '../domain/contact';
import { claimInForce, claimUntil } from '../domain/call-backs';
import { Uuid } from '../domain/ids';
import type { RecordKey } from '../domain/records';
import { plainText } from '../domain/text';
import { wallClock } from '../domain/wall-clock';
import { conflict, missing, reject, type ApplyContext, type ApplyResult, type CommandDefinition, type StateView } from './types';

/** The task as the rules read it (see withTaskDefaults), or undefined. */
function readTask(state: StateView, id: string): Task | undefined {
  const doc = state.get('task', id);
  return doc && withTaskDefaults(doc);
}

/**
 * Working a call-back: a handler claims the task (compare-and-set, so two handlers never both ring the caller),
 * records each attempt to ring back, and says what came of it. A claim lapses by itself when not worked for the
 * force's lapse time: it carries its expiry, judged at each command's own time.
 */

/** The records a command on a call-back reads: the task it changes. */
const taskReads = (args: { taskId: string }): RecordKey[] => [{ kind: 'task', id: args.taskId }];

/**
 * The task the command names, when the operator may work it now; otherwise why not, as the result to return:
 * missing, already done, or claimed by another handler whose claim is still in force at the command's time.
 */
function workableTask(taskId: string, ctx: ApplyContext, state: StateView): Task | ApplyResult {
  const task = readTask(state, taskId);
  if (!task) return missing({ kind: 'task', id: taskId }, 'the call-back');
  const target = { kind: 'task' as const, id: task.id };
  if (task.state === 'done') return conflict(`the call-back is already done${task.doneBy ? ` by ${task.doneBy}` : ''}: ${task.outcome ?? ''}`.trim(), target);
  const claim = claimInForce(task, Date.parse(ctx.issuedAt));
  if (claim && claim.by !== ctx.actor.operator) {
    return conflict(`${claim.by} has claimed this call-back (until ${wallClock(ctx.config.force.timeZone).time(claim.until)}): leave it to them`, target);
  }
  return task;
}

export const ClaimTaskArgs = z.object({
  taskId: Uuid,
  /** The version of the task the handler saw unclaimed (or with a lapsed claim). */
  taskVersion: z.number().int().positive(),
});
export type ClaimTaskArgs = z.infer<typeof ClaimTaskArgs>;

/**
 * Claims a call-back, so that others see it taken and do not ring the caller too. Contended: if the task changed
 * since the handler looked (someone else claimed it, a new call came, it was done), the claim loses and waits in
 * the conflict inbox; so a claim made offline that someone else beat is a conflict, never a second caller. Claiming
 * again a task one already holds renews the claim.
 */
export const claimTask: CommandDefinition<ClaimTaskArgs> = {
  name: 'task.claim',
  args: ClaimTaskArgs,
  reads: taskReads,
  apply(args, ctx, state) {
    const current = workableTask(args.taskId, ctx, state);
    if ('ok' in current) return current;
    const mine = claimInForce(current, Date.parse(ctx.issuedAt))?.by === ctx.actor.operator;
    if (!mine && current.version !== args.taskVersion) {
      return conflict('the call-back changed since you looked (a new call, an attempt, or a claim that has lapsed): look again before claiming it', { kind: 'task', id: current.id });
    }
    const claim = { by: ctx.actor.operator, at: ctx.issuedAt, until: claimUntil(ctx.issuedAt, ctx.config.calls.callBacks.claimLapseMinutes) };
    return { ok: true, changes: [{ kind: 'task', id: current.id, doc: { ...current, claim, version: current.version + 1 } }] };
  },
  redo: (args, state) => ({ ...args, taskVersion: state.get('task', args.taskId)?.version ?? args.taskVersion }),
};

export const AttemptTaskArgs = z.object({
  taskId: Uuid,
  attemptId: Uuid,
  result: plainText({ min: 1, max: 500, empty: 'say what happened (no answer, voicemail…)' }),
});

/**
 * Records a ring-back that did not settle the task (no answer, voicemail), with its time: the task shows every
 * attempt. It keeps, or takes, the handler's claim, renewed from now; another handler's claim in force refuses it.
 */
export const attemptTask: CommandDefinition<z.infer<typeof AttemptTaskArgs>> = {
  name: 'task.attempt',
  args: AttemptTaskArgs,
  reads: taskReads,
  apply(args, ctx, state) {
    // The same attempt again (the command sent twice) changes nothing, whatever has become of the task since.
    if (readTask(state, args.taskId)?.attempts.some((a) => a.id === args.attemptId)) return { ok: true, changes: [] };
    const current = workableTask(args.taskId, ctx, state);
    if ('ok' in current) return current;
    if (current.kind === 'no_call_back') return reject('invalid', 'the number was withheld or is unknown: it cannot be rung back');
    const held = claimInForce(current, Date.parse(ctx.issuedAt));
    const claim = { by: ctx.actor.operator, at: held?.at ?? ctx.issuedAt, until: claimUntil(ctx.issuedAt, ctx.config.calls.callBacks.claimLapseMinutes) };
    const attempt = { id: args.attemptId, by: ctx.actor.operator, at: ctx.issuedAt, result: args.result };
    return { ok: true, changes: [{ kind: 'task', id: current.id, doc: { ...current, attempts: [...current.attempts, attempt], claim, version: current.version + 1 } }] };
  },
};

export const CompleteTaskArgs = z.object({ taskId: Uuid, outcome: plainText({ min: 1, max: 500, empty: 'say what came of it' }) });

/** Closes a call-back with what came of it. Refused while another handler's claim is in force, and once done. */
export const completeTask: CommandDefinition<z.infer<typeof CompleteTaskArgs>> = {
  name: 'task.complete',
  args: CompleteTaskArgs,
  reads: taskReads,
  apply(args, ctx, state) {
    const current = workableTask(args.taskId, ctx, state);
    if ('ok' in current) return current;
    return { ok: true, changes: [{ kind: 'task', id: current.id, doc: { ...current, state: 'done', doneBy: ctx.actor.operator, doneAt: ctx.issuedAt, outcome: args.outcome, version: current.version + 1 } }] };
  },
};
