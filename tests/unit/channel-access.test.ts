import { describe, expect, it } from 'vitest';
import { CHANNEL_ACCESS, channelRefusal, channelRoles, mayUseChannel } from '../../shared/contract/channel-access';
import { CHANNEL_NAMES } from '../../shared/contract/channel-names';
import { Role } from '../../shared/domain/operator';
import { windowsFor } from '../../shared/domain/desk-layout';
import { AUDIT_READERS } from '../../server/audit/audit-routes';
import { MEASURE_READERS } from '../../server/measures/measures-routes';

/**
 * Who may use each channel of the console core, written out by role rather than by channel: the allowlist read the
 * other way round, so a channel given to a role by mistake shows here, and a channel added later is refused to every
 * role until both the allowlist and this table name it.
 */

/** Answered with nobody signed in: the workstation, signing in, its health, its map. */
const OPEN = ['session.get', 'session.signIn', 'session.signOut', 'config.get', 'clock.now', 'exercise.status', 'catchUp.status', 'sync.status', 'store.health', 'area.get', 'gazetteer.search', 'desk.reportFault'];
/** Any signed-in operator: their own session and desk; none shows a record. */
const SIGNED_IN = ['clock.nextTime', 'desk.report', 'desk.save', 'desk.layout', 'alarms.sound', 'sync.checkAgain'];

/** What a call handler reads and does: calls, history, incidents, call-backs, catch-up, their own refusals. */
const CALL_HANDLER = [
  'catchUp.start', 'catchUp.finish', 'catchUp.enterIncident', 'catchUp.outageCalls', 'catchUp.attachCall',
  'incidents.list', 'incidents.get', 'incidents.find', 'incidents.duplicates', 'incidents.create', 'incidents.addLog', 'incidents.update', 'incidents.close',
  'incidents.reopen', 'incidents.changeType', 'incidents.regrade', 'incidents.assessRisk', 'incidents.link',
  'shares.list', 'history.lookup', 'contacts.queue', 'contacts.unrecorded', 'contacts.disposed', 'contacts.answer', 'contacts.end', 'contacts.attach',
  'contacts.progress', 'contacts.record', 'drafts.get', 'drafts.save', 'drafts.clear', 'tasks.list', 'tasks.claim', 'tasks.attempt', 'tasks.complete',
  'markers.list', 'units.list', 'units.positions', 'conflicts.list', 'conflicts.resolve', 'sync.deadLetters', 'refusals.list', 'refused.redo', 'refused.dismiss',
];
/** A dispatcher adds units, deployments, shares, loans and transfers. */
const DISPATCHER = [
  ...CALL_HANDLER, 'incidents.takeOwnership', 'shares.create', 'shares.revoke', 'units.recommend', 'units.assign', 'units.deploy', 'units.setDuty', 'units.answerShiftEnd',
  'assignments.setStatus', 'assignments.confirmByRadio', 'assignments.answerLateRejection',
  'loans.list', 'loans.request', 'loans.accept', 'loans.decline', 'loans.withdraw', 'loans.return', 'loans.takeBack',
  'transfers.list', 'transfers.offer', 'transfers.accept', 'transfers.decline', 'transfers.withdraw',
];
/** The exercise's records a trainer watches and replays on a training workstation, and never on a live one. */
const TRAINER_IN_EXERCISE = ['incidents.list', 'incidents.get', 'incidents.find', 'shares.list', 'conflicts.list', 'contacts.queue', 'contacts.unrecorded', 'contacts.disposed', 'tasks.list', 'markers.list', 'units.list', 'units.positions', 'units.recommend', 'loans.list', 'transfers.list'];

const LIVE: Record<Role, readonly string[]> = {
  call_handler: CALL_HANDLER,
  dispatcher: DISPATCHER,
  supervisor: [...DISPATCHER, 'incidents.decideDowngrade', 'markers.add', 'audit.query', 'audit.export', 'measures.get'],
  /** The exercise, and their own refused commands. */
  trainer: ['exercise.timeline', 'exercise.control', 'exercise.trainees', 'exercise.review', 'sync.deadLetters', 'refusals.list', 'refused.redo', 'refused.dismiss'],
  /** The administration: accounts, erasure, sharing arrangements; warning markers as a command; their own refused commands. */
  admin: [
    'admin.accounts', 'admin.addOperator', 'admin.setRoles', 'admin.setActive', 'admin.setPassword', 'admin.unlock', 'admin.erase', 'admin.erasePreview',
    'arrangements.list', 'arrangements.propose', 'arrangements.approve', 'arrangements.withdraw', 'markers.add', 'sync.deadLetters', 'refusals.list', 'refused.redo', 'refused.dismiss',
  ],
  /** The audit log, and nothing else. */
  auditor: ['audit.query', 'audit.export'],
};

const expected = (role: Role, channel: string, training: boolean): boolean =>
  OPEN.includes(channel) || SIGNED_IN.includes(channel) || LIVE[role].includes(channel) || (training && role === 'trainer' && TRAINER_IN_EXERCISE.includes(channel));

describe('the channel allowlist', () => {
  it('has an entry for every channel of the contract, and for nothing else', () => {
    expect(Object.keys(CHANNEL_ACCESS).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('is written out by role here for every channel: a channel this table does not name is one nobody has decided', () => {
    const named = new Set([...OPEN, ...SIGNED_IN, ...Object.values(LIVE).flat(), ...TRAINER_IN_EXERCISE]);
    expect(CHANNEL_NAMES.filter((channel) => !named.has(channel))).toEqual([]);
  });

  const table = CHANNEL_NAMES.flatMap((channel) => Role.options.flatMap((role) => [false, true].map((training) => [channel, role, training] as const)));
  it.each(table)('%s for a %s (training workstation: %s)', (channel, role, training) => {
    expect(mayUseChannel({ id: 'someone', roles: [role] }, channel, { training })).toBe(expected(role, channel, training));
  });

  it('answers nobody signed in only on the open channels, and refuses a channel it does not know to everyone', () => {
    for (const channel of CHANNEL_NAMES) expect(mayUseChannel(null, channel, { training: false })).toBe(OPEN.includes(channel));
    expect(channelRoles('incidents.export', { training: false })).toEqual([]);
    expect(channelRefusal({ id: 'carol', roles: [...Role.options] }, 'incidents.export', { training: false })).toBe('incidents.export is for no operator');
  });

  it('says which role a refused read needs, and which the operator holds; an action is refused as its command would be', () => {
    expect(channelRefusal({ id: 'eve', roles: ['auditor'] }, 'incidents.get', { training: false })).toBe(
      'eve is not a call handler, dispatcher or supervisor: incidents.get is for them alone (eve is an auditor)',
    );
    expect(channelRefusal({ id: 'admin', roles: ['admin'] }, 'measures.get', { training: false })).toBe('admin is not a supervisor: measures.get is for them alone (admin is a force administrator)');
    expect(channelRefusal({ id: 'tina', roles: ['trainer'] }, 'units.list', { training: true })).toBeNull();
    expect(channelRefusal({ id: 'alice', roles: ['call_handler'] }, 'units.deploy', { training: false })).toBe('alice may not deploy or reserve a unit');
    expect(channelRefusal(null, 'tasks.list', { training: false })).toBe('nobody is signed in at this workstation');
  });

  it('agrees with the server on who may ask the audit log and the room’s measures', () => {
    for (const channel of ['audit.query', 'audit.export'] as const) expect([...(channelRoles(channel, { training: false }) as Role[])].sort()).toEqual([...AUDIT_READERS].sort());
    expect(channelRoles('measures.get', { training: false })).toEqual(MEASURE_READERS);
  });
});

describe('the windows each role is offered', () => {
  it('offers an auditor none to open (their desk is the audit log), an administrator the administration alone, the room its windows', () => {
    expect(windowsFor(['auditor'])).toEqual([]);
    expect(windowsFor(['admin'])).toEqual(['administration']);
    expect(windowsFor(['trainer'])).toEqual(['incidents', 'resources', 'map']);
    // The Supervisor window (the room's picture, breaches, handoffs and refused commands) is no call handler's.
    expect(windowsFor(['call_handler'])).toEqual(['incidents', 'calltaking', 'resources', 'map']);
    expect(windowsFor(['dispatcher'])).toEqual(['incidents', 'calltaking', 'resources', 'map', 'supervisor']);
    expect(windowsFor(['supervisor', 'admin'])).toEqual(['incidents', 'calltaking', 'resources', 'map', 'supervisor', 'administration']);
  });

  it('offers no window whose records the role may not read', () => {
    // Each window's first read: what it cannot show anything without.
    const reads = { incidents: 'incidents.list', calltaking: 'contacts.queue', resources: 'units.list', map: 'units.positions', supervisor: 'incidents.list', administration: 'admin.accounts' } as const;
    for (const role of Role.options) {
      for (const window of windowsFor([role])) expect(mayUseChannel({ id: 'x', roles: [role] }, reads[window], { training: true }), `${role} in ${window}`).toBe(true);
    }
  });
});
