import type { ChannelNameList } from './channel-names';
import { commandWords } from '../commands/command-words';
import { permissions, roleNames, type Operator, type Role } from '../domain/operator';

/**
 * Who may use each channel of the contract, as an allowlist: a role may use a channel only if the channel's entry
 * names it (directly, or through the command the channel issues). Checked in the console core for the signed-in
 * operator before any handler runs (main/core/console-core.ts), and read by windows so that a desk never asks what
 * its operator may not see. Every channel has an entry: the table's type refuses a channel without one.
 *
 * - `open`: answered with nobody signed in: who the workstation is, how to sign in, its configuration, clock, link
 *   and file health, its map and gazetteer (public geography), and a window's report of its own fault.
 * - `signedIn`: any signed-in operator, whatever their roles: their own session and desk (where its windows are, the
 *   saved layout), the time a typed clock time means, whether a window sounds an alarm, looking at a blocked link again.
 *   None of these shows a record.
 * - `roles`: the roles that need it. `exercise`: on a training workstation a trainer may use it too (the exercise's
 *   records are the trainer's to watch and replay; on a live workstation a trainer has none).
 * - `command`: an action that issues that command: whoever may issue it (shared/domain/operator.ts permissions). The
 *   command's own rules still decide each case.
 */
export type ChannelAccess =
  | { kind: 'open' }
  | { kind: 'signedIn' }
  | { kind: 'roles'; roles: readonly Role[]; exercise?: true }
  | { kind: 'command'; command: string };

const open: ChannelAccess = { kind: 'open' };
const signedIn: ChannelAccess = { kind: 'signedIn' };
const roles = (...named: Role[]): ChannelAccess => ({ kind: 'roles', roles: named });
/** The room's records, which a trainer watches in an exercise. */
const roomRecords = (...named: Role[]): ChannelAccess => ({ kind: 'roles', roles: named, exercise: true });
const command = (name: string): ChannelAccess => ({ kind: 'command', command: name });

/** Those who take calls and work the room's incidents: a call handler, a dispatcher, a supervisor. */
const ROOM: Role[] = ['call_handler', 'dispatcher', 'supervisor'];
/** Those who run units, loans and transfers between forces. */
const DISPATCH: Role[] = ['dispatcher', 'supervisor'];

export const CHANNEL_ACCESS: Record<ChannelNameList, ChannelAccess> = {
  'session.get': open,
  'session.signIn': open,
  'session.signOut': open,
  'config.get': open,
  'clock.now': open,
  'exercise.status': open,
  'catchUp.status': open,
  'sync.status': open,
  'store.health': open,
  'area.get': open,
  'gazetteer.search': open,
  'desk.reportFault': open,

  'clock.nextTime': signedIn,
  'desk.report': signedIn,
  'desk.save': signedIn,
  'desk.layout': signedIn,
  'alarms.sound': signedIn,
  'sync.checkAgain': signedIn,

  // Catch-up enters the paper kept while the system was down: the room's roles, who kept it.
  'catchUp.start': roles(...ROOM),
  'catchUp.finish': roles(...ROOM),
  'catchUp.enterIncident': command('incident.create'),
  'catchUp.outageCalls': roles(...ROOM),
  'catchUp.attachCall': command('contact.answerOnPaper'),

  'exercise.timeline': roles('trainer'),
  'exercise.control': roles('trainer'),
  'exercise.trainees': roles('trainer'),
  'exercise.review': roles('trainer'),

  'incidents.list': roomRecords(...ROOM),
  'incidents.get': roomRecords(...ROOM),
  'incidents.find': roomRecords(...ROOM),
  'incidents.duplicates': roles(...ROOM),
  'incidents.create': command('incident.create'),
  'incidents.addLog': command('incident.addLog'),
  'incidents.update': command('incident.update'),
  'incidents.close': command('incident.close'),
  'incidents.takeOwnership': command('incident.takeOwnership'),
  'incidents.reopen': command('incident.reopen'),
  'incidents.changeType': command('incident.changeType'),
  'incidents.regrade': command('incident.regrade'),
  'incidents.decideDowngrade': command('incident.decideDowngrade'),
  'incidents.assessRisk': command('incident.assessRisk'),
  'incidents.link': command('incident.link'),

  'shares.list': roomRecords(...ROOM),
  'shares.create': command('share.create'),
  'shares.revoke': command('share.revoke'),

  'history.lookup': roles(...ROOM),
  'contacts.queue': roomRecords(...ROOM),
  'contacts.unrecorded': roomRecords(...ROOM),
  'contacts.disposed': roomRecords(...ROOM),
  'contacts.answer': command('contact.answer'),
  'contacts.end': command('contact.end'),
  'contacts.attach': command('contact.attach'),
  'contacts.progress': command('moment.recorded'),
  'contacts.record': command('contact.receive'),
  // The call form's drafts hold what a caller said: the form's, as the calls are.
  'drafts.get': roles(...ROOM),
  'drafts.save': roles(...ROOM),
  'drafts.clear': roles(...ROOM),

  'tasks.list': roomRecords(...ROOM),
  'tasks.claim': command('task.claim'),
  'tasks.attempt': command('task.attempt'),
  'tasks.complete': command('task.complete'),

  'markers.list': roomRecords(...ROOM),
  'markers.add': command('marker.add'),

  'units.list': roomRecords(...ROOM),
  'units.positions': roomRecords(...ROOM),
  'units.recommend': roomRecords(...DISPATCH),
  'units.assign': command('unit.assign'),
  'units.deploy': command('unit.assign'),
  'units.setDuty': command('unit.setDuty'),
  'units.answerShiftEnd': command('unit.answerShiftEnd'),
  'assignments.setStatus': command('assignment.setStatus'),
  'assignments.confirmByRadio': command('assignment.confirmByRadio'),
  'assignments.answerLateRejection': command('assignment.answerLateRejection'),

  // A conflict is a command that lost to a newer change, with what its author typed: the room's roles ask, and are
  // shown only those shared/domain/conflict.ts conflictScope gives them (their own; a supervisor, the room's; a
  // trainer, the exercise's): the workstation holds its force's, for a supervisor at any desk (sync-handlers.ts).
  'conflicts.list': roomRecords(...ROOM),
  'conflicts.resolve': command('conflict.resolve'),
  // Refused commands carry their arguments (the record they were about): whoever may handle a refusal.
  'sync.deadLetters': command('refusal.handle'),
  'refusals.list': command('refusal.handle'),
  'refused.redo': command('refusal.handle'),
  'refused.dismiss': command('refusal.handle'),

  'loans.list': roomRecords(...DISPATCH),
  'loans.request': command('loan.request'),
  'loans.accept': command('loan.accept'),
  'loans.decline': command('loan.decline'),
  'loans.withdraw': command('loan.withdraw'),
  'loans.return': command('loan.return'),
  'loans.takeBack': command('loan.takeBack'),
  'arrangements.list': roles('admin'),
  'arrangements.propose': command('arrangement.propose'),
  'arrangements.approve': command('arrangement.approve'),
  'arrangements.withdraw': command('arrangement.withdraw'),
  'transfers.list': roomRecords(...DISPATCH),
  'transfers.offer': command('transfer.offer'),
  'transfers.accept': command('transfer.accept'),
  'transfers.decline': command('transfer.decline'),
  'transfers.withdraw': command('transfer.withdraw'),

  'admin.accounts': roles('admin'),
  'admin.addOperator': command('operator.add'),
  'admin.setRoles': command('operator.setRoles'),
  'admin.setActive': command('operator.setActive'),
  'admin.setPassword': roles('admin'),
  'admin.unlock': roles('admin'),
  'admin.erase': roles('admin'),
  'admin.erasePreview': roles('admin'),

  // The server asks again (server/audit/audit-routes.ts AUDIT_READERS, server/measures/measures-routes.ts).
  'audit.query': roles('supervisor', 'auditor'),
  'audit.export': roles('supervisor', 'auditor'),
  'measures.get': roles('supervisor'),
};

/** Where the channel is asked: on a training workstation (an exercise's records) or a live one. */
export interface ChannelPlace {
  training: boolean;
}

/**
 * The roles that may use `channel` at this place, or `open` / `signedIn` for channels that ask no role. Unknown
 * channels: none (nobody).
 */
export function channelRoles(channel: string, place: ChannelPlace): readonly Role[] | 'open' | 'signedIn' {
  const access = (CHANNEL_ACCESS as Record<string, ChannelAccess | undefined>)[channel];
  if (!access) return [];
  switch (access.kind) {
    case 'open':
    case 'signedIn':
      return access.kind;
    case 'roles':
      return access.exercise && place.training ? [...access.roles, 'trainer'] : access.roles;
    case 'command':
      return permissions[access.command] ?? [];
  }
}

/**
 * Why `operator` (null: nobody signed in) may not use `channel` here, in words, or null when they may. An action is
 * refused as its command would be ("dan may not take charge of an incident"); any other channel names the role it
 * needs and those the operator holds ("eve is not a call handler, dispatcher or supervisor: incidents.get is for
 * them alone (eve is an auditor)").
 */
export function channelRefusal(operator: Pick<Operator, 'id' | 'roles'> | null, channel: string, place: ChannelPlace): string | null {
  const allowed = channelRoles(channel, place);
  if (allowed === 'open') return null;
  if (!operator) return 'nobody is signed in at this workstation';
  if (allowed === 'signedIn' || operator.roles.some((role) => allowed.includes(role))) return null;
  const access = (CHANNEL_ACCESS as Record<string, ChannelAccess | undefined>)[channel];
  if (access?.kind === 'command') return `${operator.id} may not ${commandWords(access.command)}`;
  if (allowed.length === 0) return `${channel} is for no operator`;
  return `${operator.id} is not ${withArticle(inWords(allowed, 'or'))}: ${channel} is for them alone (${operator.id} is ${withArticle(inWords(operator.roles, 'and'))})`;
}

/** Whether the signed-in `operator` may use `channel` here (see channelRefusal). */
export function mayUseChannel(operator: Pick<Operator, 'id' | 'roles'> | null | undefined, channel: ChannelNameList, place: ChannelPlace): boolean {
  return channelRefusal(operator ?? null, channel, place) === null;
}

function inWords(named: readonly Role[], join: 'or' | 'and'): string {
  const words = named.map((role) => roleNames[role].toLowerCase());
  return words.length <= 1 ? (words[0] ?? 'no role') : `${words.slice(0, -1).join(', ')} ${join} ${words.at(-1)!}`;
}

function withArticle(words: string): string {
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}

/**
 * The read each kind of record pushed to windows (`records.changed`, `units.moved`) is shown by: a window is sent a
 * kind only when its operator may make that read, so an event never shows what a request would refuse.
 */
export const RECORD_READS = {
  incidents: 'incidents.list',
  logEntries: 'incidents.get',
  units: 'units.list',
  assignments: 'units.list',
  conflicts: 'conflicts.list',
  contacts: 'contacts.queue',
  tasks: 'tasks.list',
  markers: 'markers.list',
  refusals: 'refusals.list',
  loans: 'loans.list',
  arrangements: 'arrangements.list',
  transfers: 'transfers.list',
  positions: 'units.positions',
} as const satisfies Record<string, ChannelNameList>;
