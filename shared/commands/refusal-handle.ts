import { z } from 'zod';
import { Name, Uuid } from '../domain/ids';
import { hasRole, mayIssue, type Operator, type Whose } from '../domain/operator';
import { handled, type RedoOf, type Refusal } from '../domain/refusal';
import { plainText } from '../domain/text';
import { wallClock } from '../domain/wall-clock';
import type { ForceConfig } from '../domain/force-config';
import type { AnyRecord, RecordKey } from '../domain/records';
import { conflict, reject, type ApplyContext, type ApplyResult, type CommandDefinition, type StateView } from './types';

/**
 * What `refusal.handle` records: a refused command done again as a new command, set aside with a reason, or sent
 * again as its own (only for a held command that itself redid another, whose resend carries that other's redo).
 */
export const HandleAction = z.enum(['redone', 'dismissed', 'resent']);
export type HandleAction = z.infer<typeof HandleAction>;

export const DismissReason = plainText({ min: 1, max: 500, empty: 'say why it is dismissed' });

export const HandleRefusalArgs = z
  .object({
    /** The refused command, as the server logged it. */
    commandId: Uuid,
    commandName: z.string().min(1).max(64),
    /** Who issued the refused command: they, or a supervisor, may handle it (null: the server could not read who). */
    issuedBy: Name.nullable(),
    action: HandleAction,
    /** Why it was dismissed (required), or a note on the redo (may be empty). */
    reason: plainText({ max: 500 }),
    /** The new command that did it again, when redone. */
    redoneAs: Uuid.nullable(),
  })
  .refine((args) => args.action !== 'dismissed' || args.reason.length > 0, { message: 'say why it is dismissed', path: ['reason'] })
  .refine((args) => (args.action !== 'dismissed') === (args.redoneAs !== null), { message: 'a redo names the command that did it again', path: ['redoneAs'] });
export type HandleRefusalArgs = z.infer<typeof HandleRefusalArgs>;

/**
 * Whether this operator may redo or dismiss a command another refused: its own issuer, or a supervisor (the only
 * one who may when the server could not read who issued it).
 */
export function mayHandleRefusal(operator: Pick<Operator, 'id' | 'roles'> | undefined, issuedBy: string | null): boolean {
  if (!operator) return false;
  return (issuedBy !== null && operator.id === issuedBy) || hasRole(operator, 'supervisor');
}

/**
 * Whose refused commands kept at a workstation an operator is shown there (shared/domain/operator.ts Whose): a
 * supervisor's, every one; anyone else's who may handle a refusal, their own; nobody else's (an auditor's) none. A
 * refused command carries its arguments (what a caller said), as a conflict does (shared/domain/conflict.ts).
 */
export function refusedShownTo(operator: Pick<Operator, 'id' | 'roles'> | null | undefined): Whose {
  if (!operator) return 'none';
  if (hasRole(operator, 'supervisor')) return { all: true };
  return mayIssue({ ...operator, active: true }, 'refusal.handle') ? { author: operator.id } : 'none';
}

const actionWords = { redone: 'redone', dismissed: 'dismissed', resent: 'sent again' } as const;

/** "dismissed by carol at 14:02: a duplicate", in the force's time. */
export function describeHandled(refusal: Refusal, config: ForceConfig): string {
  const action = refusal.action ? actionWords[refusal.action] : 'handled';
  const at = refusal.handledAt ? ` at ${wallClock(config.force.timeZone).time(refusal.handledAt)}` : '';
  return `${action} by ${refusal.handledBy ?? 'someone'}${at}${refusal.handledReason ? `: ${refusal.handledReason}` : ''}`;
}

const refusalKey = (id: string): RecordKey => ({ kind: 'refusal', id });

/**
 * Records that a refused command was handled: who did what about it, when, and why. The room's refusal record (if
 * the server made one) is marked handled; the refused command itself stays in the server's log as it was. A
 * dismissal that comes after someone did the command again loses visibly (a conflict: what was dismissed is done
 * after all); anything else that finds the refusal handled already changes nothing (two dismissals agree, and a
 * redo marks its refusal itself, see applyRedo).
 */
export const handleRefusal: CommandDefinition<HandleRefusalArgs> = {
  name: 'refusal.handle',
  args: HandleRefusalArgs,
  reads: (args) => [refusalKey(args.commandId)],
  apply(args, ctx, state) {
    const refusal = state.get('refusal', args.commandId);
    const issuedBy = refusal ? refusal.operator : args.issuedBy;
    const operator = state.get('operator', ctx.actor.operator);
    if (!ctx.trusted && !mayHandleRefusal(operator, issuedBy)) {
      return reject('forbidden', `only ${issuedBy ?? 'a supervisor'}${issuedBy ? ' or a supervisor' : ''} may ${args.action === 'dismissed' ? 'dismiss' : 'redo'} this refused command`);
    }
    if (!refusal) return { ok: true, changes: [] }; // refused before the server kept refusal records
    if (refusal.status === 'handled') {
      if (args.action === 'dismissed' && refusal.action !== 'dismissed') return conflict(`this refused command was already ${describeHandled(refusal, ctx.config)}`, refusalKey(refusal.id));
      return { ok: true, changes: [] };
    }
    const doc = handled(refusal, { action: args.action, by: ctx.actor.operator, at: ctx.issuedAt, reason: args.reason, redoneAs: args.redoneAs });
    return { ok: true, changes: [{ kind: 'refusal', id: refusal.id, doc }] };
  },
};

/** The records a command that redoes a refusal reads beyond its own: the refusal. */
export function redoReads(redoOf: RedoOf | undefined): RecordKey[] {
  return redoOf ? [refusalKey(redoOf.refusalId)] : [];
}

/**
 * For a command that does a refused one again (ctx.redoOf): the refusal marked handled by it, in the name of whoever
 * issued it; or why it may not be: they are neither the refused command's issuer nor a supervisor, or someone handled
 * the refusal first (a conflict: a refusal is never done twice by two people at two desks). Null when it redoes
 * nothing the server recorded (refused before the server kept refusal records).
 */
export function checkRedo(ctx: ApplyContext, state: StateView): { ok: true; marking: AnyRecord } | RefusedResult | null {
  const redoOf = ctx.redoOf;
  if (!redoOf) return null;
  const refusal = state.get('refusal', redoOf.refusalId);
  if (!refusal) return null;
  if (!ctx.trusted && !mayHandleRefusal(state.get('operator', ctx.actor.operator), refusal.operator)) {
    return { ok: false, code: 'forbidden', reason: `only ${refusal.operator ?? 'a supervisor'}${refusal.operator ? ' or a supervisor' : ''} may redo this refused command` };
  }
  if (refusal.status === 'handled') return { ok: false, code: 'conflict', reason: `this refused command was already ${describeHandled(refusal, ctx.config)}`, target: refusalKey(refusal.id) };
  const doc = handled(refusal, { action: redoOf.action, by: ctx.actor.operator, at: redoOf.at, reason: '', redoneAs: ctx.commandId ?? null });
  return { ok: true, marking: { kind: 'refusal', id: refusal.id, doc } };
}

/**
 * A command that redoes a refusal applies only if it may (checkRedo); its result then also marks the refusal
 * handled, in the same step. (Where the command itself is refused, the server still marks the refusal: the
 * exception passes to the new command's own conflict or refusal, see server/commands/plan-command.ts.)
 */
export function applyRedo(result: ApplyResult, ctx: ApplyContext, state: StateView): ApplyResult {
  const check = checkRedo(ctx, state);
  if (check === null) return result;
  if (!check.ok) return check;
  if (!result.ok) return result;
  return { ok: true, changes: [...result.changes, check.marking] };
}

type RefusedResult = Extract<ApplyResult, { ok: false }>;
