import { recordReceipt } from './assignment-receipt';
import { commandWords } from './command-words';
import { setAssignmentStatus } from './assignment-set-status';
import { resolveConflict } from './conflict-resolve';
import { addLogEntry } from './incident-add-log';
import { closeIncident } from './incident-close';
import { reopenIncident } from './incident-reopen';
import { changeIncidentType } from './incident-change-type';
import { createIncident } from './incident-create';
import { takeOwnership } from './incident-take-ownership';
import { updateIncident } from './incident-update';
import { assignUnit } from './unit-assign';
import { registerUnit } from './unit-register';
import { setUnitDuty } from './unit-set-duty';
import { registerOperator } from './operator-register';
import { operatorSignedIn } from './operator-signed-in';
import { operatorSignInRefused } from './operator-sign-in-refused';
import { operatorSignedOut } from './operator-signed-out';
import { recordConsulted } from './record-consulted';
import { recordMoment } from './moment-recorded';
import { addOperator, setOperatorActive, setOperatorRoles } from './operator-accounts';
import { answerContact, attachContact, endContact, locateContact, receiveContact } from './contact-commands';
import { attemptTask, claimTask, completeTask } from './task-commands';
import { decideDowngrade, regradeIncident } from './incident-grading';
import { assessRisk, linkIncidents, unlinkIncidents } from './incident-risk-and-links';
import { addMarker, removeMarker } from './marker-commands';
import { applyRedo, handleRefusal, redoReads } from './refusal-handle';
import { answerLateRejection, confirmByRadio, raiseReceiptAlarm, raiseReservationDue } from './deployment-alarms';
import { handoffOverdue } from './incident-handoff-overdue';
import { answerShiftEnd, shiftEnded } from './unit-shift-end';
import { acceptLoan, declineLoan, requestLoan, returnLoan, withdrawLoan } from './loan-commands';
import { takeBackLoan } from './loan-take-back';
import { revokeShare, shareIncident } from './share-commands';
import { recordDeployment } from './deployment-record';
import { answerContactOnPaper } from './contact-answer-on-paper';
import { approveArrangement, proposeArrangement, withdrawArrangement } from './arrangement-commands';
import { acceptTransfer, declineTransfer, offerTransfer, withdrawTransfer } from './transfer-commands';
import { isFact, isWorkstationFact, mayIssue } from '../domain/operator';
import { isDeadlineClaim } from '../domain/automatic';
import { relayRefusal } from '../domain/relay';
import type { ApplyContext, ApplyResult, CommandDefinition, StateView } from './types';
import type { RecordKey } from '../domain/records';
import type { RedoOf } from '../domain/refusal';
import { describeIssues } from '../validation';

/** Every command the system knows, by name. Adding a command means adding it here and nowhere else. */
export const commandDefinitions = Object.fromEntries(
  [
    createIncident,
    addLogEntry,
    updateIncident,
    closeIncident,
    reopenIncident,
    changeIncidentType,
    takeOwnership,
    registerUnit,
    assignUnit,
    setAssignmentStatus,
    recordReceipt,
    setUnitDuty,
    resolveConflict,
    registerOperator,
    addOperator,
    setOperatorRoles,
    setOperatorActive,
    operatorSignedIn,
    operatorSignInRefused,
    operatorSignedOut,
    recordConsulted,
    recordMoment,
    receiveContact,
    answerContact,
    locateContact,
    endContact,
    attachContact,
    completeTask,
    claimTask,
    attemptTask,
    regradeIncident,
    decideDowngrade,
    assessRisk,
    linkIncidents,
    unlinkIncidents,
    addMarker,
    removeMarker,
    handleRefusal,
    raiseReceiptAlarm,
    handoffOverdue,
    confirmByRadio,
    answerLateRejection,
    raiseReservationDue,
    shiftEnded,
    answerShiftEnd,
    requestLoan,
    acceptLoan,
    declineLoan,
    withdrawLoan,
    returnLoan,
    takeBackLoan,
    shareIncident,
    revokeShare,
    recordDeployment,
    answerContactOnPaper,
    proposeArrangement,
    approveArrangement,
    withdrawArrangement,
    offerTransfer,
    acceptTransfer,
    declineTransfer,
    withdrawTransfer,
  ].map(
    (definition) => [definition.name, definition as CommandDefinition<unknown>],
  ),
) as Record<string, CommandDefinition<unknown>>;

export const commandNames = Object.keys(commandDefinitions);

export type ParsedCommand = { definition: CommandDefinition<unknown>; args: unknown };

/** Looks a command up and validates its arguments; a clear message when either is wrong. */
export function parseCommand(name: string, args: unknown): { ok: true; command: ParsedCommand } | { ok: false; reason: string } {
  const definition = commandDefinitions[name];
  if (!definition) return { ok: false, reason: `unknown command "${name}"` };
  const parsed = definition.args.safeParse(args);
  if (!parsed.success) return { ok: false, reason: `${name}: ${describeIssues(parsed.error)}` };
  return { ok: true, command: { definition, args: parsed.data } };
}

/** The records a command reads: its own, its operator's (for the permission check), and the refusal it redoes. */
export function readsOf(command: ParsedCommand, operator: string, redoOf?: RedoOf): RecordKey[] {
  return [...command.definition.reads(command.args), { kind: 'operator', id: operator }, ...redoReads(redoOf)];
}

/**
 * Applies a command if its operator may issue it, or, for a terminal's or the telephony switch's message relayed by
 * a workstation, if that relay's allowlist takes it (shared/domain/relay.ts: no operator's roles are involved either
 * way). The same check runs on the workstation (which offers only what the operator may do) and on the server
 * (which accepts only that).
 */
export function applyCommand(command: ParsedCommand, ctx: ApplyContext, state: StateView): ApplyResult {
  if (ctx.relay) {
    const { name } = command.definition;
    const offeredTo = (contactId: string) => state.get('contact', contactId)?.workstation;
    const refused = relayRefusal(ctx.relay, { name, args: command.args, operator: ctx.actor.operator, workstation: ctx.actor.workstation, redoes: ctx.redoOf !== undefined }, offeredTo);
    if (refused) return { ok: false, code: 'forbidden', reason: refused };
  } else if (!ctx.trusted && !isFact(command.definition.name) && !isWorkstationFact(command.definition.name) && !isDeadlineClaim(command.definition.name) && !mayIssue(state.get('operator', ctx.actor.operator), command.definition.name)) {
    // An account deactivated is said as such, not as a role missing: no role would let its commands through.
    const account = state.get('operator', ctx.actor.operator);
    const by = account?.deactivated ? ` by ${account.deactivated.by}` : '';
    const why = account?.active === false ? `: ${ctx.actor.operator}'s account was deactivated${by}` : '';
    return { ok: false, code: 'forbidden', reason: `${ctx.actor.operator} may not ${commandWords(command.definition.name)}${why}` };
  }
  return applyRedo(command.definition.apply(command.args, ctx, state), ctx, state);
}
