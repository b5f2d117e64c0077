import { describe, expect, it } from 'vitest';
import { commandDefinitions, commandNames } from '../../shared/commands/registry';
import { FACTS, mayIssue, Role } from '../../shared/domain/operator';
import { RecordSet } from '../fakes/rules-harness';
import { lastAdministratorProblem } from '../../shared/commands/operator-accounts';

/**
 * What each role may do, written out by role rather than by command: the allowlist read the other way round, so a
 * command given to a role by mistake shows here. A role this table does not name (one added later) is expected to
 * grant nothing until it is written here.
 */
const GRANTS: Partial<Record<string, readonly string[]>> = {
  call_handler: [
    'incident.create', 'incident.addLog', 'incident.update', 'incident.close', 'conflict.resolve', 'operator.signedIn', 'operator.signedOut', 'refusal.handle',
    'contact.receive', 'contact.answer', 'contact.locate', 'contact.end', 'contact.attach', 'task.complete', 'task.claim', 'task.attempt',
    'incident.regrade', 'incident.changeType', 'incident.reopen', 'incident.assessRisk', 'incident.link', 'incident.unlink',
    'record.consulted', 'moment.recorded', 'assignment.record', 'contact.answerOnPaper',
  ],
  dispatcher: [
    'incident.create', 'incident.addLog', 'incident.update', 'incident.close', 'incident.takeOwnership', 'unit.assign', 'assignment.setStatus',
    'assignment.receipt', 'unit.setDuty', 'assignment.receiptOverdue', 'incident.handoffOverdue', 'assignment.reservationDue', 'unit.shiftEnded', 'assignment.confirmByRadio',
    'assignment.answerLateRejection', 'unit.answerShiftEnd', 'conflict.resolve', 'operator.signedIn', 'operator.signedOut', 'refusal.handle', 'contact.receive',
    'contact.answer', 'contact.locate', 'contact.end', 'contact.attach', 'task.complete', 'task.claim', 'task.attempt', 'incident.regrade',
    'incident.changeType', 'incident.reopen', 'incident.assessRisk', 'incident.link', 'incident.unlink', 'record.consulted', 'moment.recorded',
    'loan.request', 'loan.accept', 'loan.decline', 'loan.withdraw', 'loan.return', 'loan.takeBack',
    'share.create', 'share.revoke', 'assignment.record', 'contact.answerOnPaper',
    'transfer.offer', 'transfer.accept', 'transfer.decline', 'transfer.withdraw',
  ],
  supervisor: [
    'incident.create', 'incident.addLog', 'incident.update', 'incident.close', 'incident.takeOwnership', 'unit.assign', 'assignment.setStatus',
    'assignment.receipt', 'unit.setDuty', 'assignment.receiptOverdue', 'incident.handoffOverdue', 'assignment.reservationDue', 'unit.shiftEnded', 'assignment.confirmByRadio',
    'assignment.answerLateRejection', 'unit.answerShiftEnd', 'conflict.resolve', 'operator.signedIn', 'operator.signedOut', 'refusal.handle', 'contact.receive',
    'contact.answer', 'contact.locate', 'contact.end', 'contact.attach', 'task.complete', 'task.claim', 'task.attempt', 'incident.regrade',
    'incident.changeType', 'incident.reopen', 'incident.decideDowngrade', 'incident.assessRisk', 'incident.link', 'incident.unlink',
    'marker.add', 'marker.remove', 'record.consulted', 'moment.recorded', 'share.create', 'share.revoke',
    'loan.request', 'loan.accept', 'loan.decline', 'loan.withdraw', 'loan.return', 'loan.takeBack', 'assignment.record', 'contact.answerOnPaper',
    'transfer.offer', 'transfer.accept', 'transfer.decline', 'transfer.withdraw',
  ],
  /** A trainer's exercises run on their own data: nothing live but their own sign-in and refusals. */
  trainer: ['operator.signedIn', 'operator.signedOut', 'refusal.handle', 'record.consulted'],
  /** An auditor reads the audit log (a server question, not a command) and issues nothing but their sign-in (and, in an exercise, sign-out). */
  auditor: ['operator.signedIn', 'operator.signedOut'],
  admin: ['operator.signedIn', 'operator.signedOut', 'refusal.handle', 'record.consulted', 'marker.add', 'marker.remove', 'operator.add', 'operator.setRoles', 'operator.setActive', 'unit.register',
    'arrangement.propose', 'arrangement.approve', 'arrangement.withdraw'],
};

describe('each role may issue exactly the commands it names, and nothing else', () => {
  const table = Role.options.flatMap((role) => commandNames.map((command) => [role, command] as const));
  it.each(table)('%s and %s', (role, command) => {
    const granted = (GRANTS[role] ?? []).includes(command);
    expect(mayIssue({ roles: [role], active: true }, command)).toBe(granted);
  });

  it('names only commands that exist', () => {
    for (const commands of Object.values(GRANTS)) for (const command of commands ?? []) expect(commandNames).toContain(command);
  });

  it('grants nothing to an account that is not active, whatever its roles', () => {
    for (const command of commandNames) expect(mayIssue({ roles: [...Role.options], active: false }, command)).toBe(false);
  });

  it('names as facts, logged whatever became of their author since, only commands that change no record', () => {
    for (const command of FACTS) {
      expect(commandNames).toContain(command);
      expect((commandDefinitions as Record<string, { apply: (args: unknown, ctx: unknown, state: RecordSet) => unknown }>)[command]!.apply({}, {}, new RecordSet())).toEqual({ ok: true, changes: [] });
    }
  });
});

/** The harness's operators, and a force administrator (admin), a supervisor (carol) and a call handler and dispatcher (dan). */
function room(): RecordSet {
  const state = new RecordSet();
  const operator = (id: string, roles: Role[]) => ({ kind: 'operator' as const, id, doc: { id, force: 'DMO', displayName: id, roles, active: true, version: 1 } });
  state.put([operator('admin', ['admin']), operator('carol', ['supervisor']), operator('dan', ['call_handler', 'dispatcher'])]);
  return state;
}

describe('a force administrator changes accounts, but never leaves the force without one', () => {
  it('adds an operator, and refuses one whose name is taken', () => {
    const state = room();
    expect(state.run('operator.add', { name: 'erin', displayName: 'Erin Shaw', roles: ['call_handler'] }, 'admin')).toMatchObject({ ok: true });
    expect(state.get('operator', 'erin')).toMatchObject({ roles: ['call_handler'], active: true, version: 1 });
    expect(state.run('operator.add', { name: 'erin', displayName: 'Another', roles: ['dispatcher'] }, 'admin')).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('refuses a name another force holds without a conflict that would carry that force\'s account', () => {
    const state = room();
    state.put([{ kind: 'operator', id: 'nadia', doc: { id: 'nadia', force: 'NBR', displayName: 'Nadia Novak', roles: ['dispatcher'], active: true, version: 1 } }]);
    const result = state.run('operator.add', { name: 'nadia', displayName: 'Nadia', roles: ['call_handler'] }, 'admin');
    expect(result).toEqual({ ok: false, code: 'invalid', reason: 'the name nadia is taken: choose another name' });
    expect(JSON.stringify(result)).not.toContain('NBR');
  });

  it('sets roles on the version seen, and loses to a change made meanwhile', () => {
    const state = room();
    const version = state.get('operator', 'dan')!.version;
    expect(state.run('operator.setRoles', { name: 'dan', roles: ['call_handler'], operatorVersion: version }, 'admin')).toMatchObject({ ok: true });
    expect(state.get('operator', 'dan')).toMatchObject({ roles: ['call_handler'], version: version + 1 });
    expect(state.run('operator.setRoles', { name: 'dan', roles: ['dispatcher'], operatorVersion: version }, 'admin')).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('refuses an administrator removing their own administrator role, or deactivating themselves', () => {
    const state = room();
    const version = state.get('operator', 'admin')!.version;
    expect(state.run('operator.setRoles', { name: 'admin', roles: ['supervisor'], operatorVersion: version }, 'admin')).toMatchObject({
      ok: false,
      code: 'forbidden',
      reason: expect.stringContaining('your own administrator role'),
    });
    expect(state.run('operator.setActive', { name: 'admin', active: false, operatorVersion: version }, 'admin')).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('refuses registering an account from a console, which would set roles past these checks: the server’s operators file alone registers', () => {
    const state = room();
    // The last administrator registering themselves as a supervisor would have left the force with none.
    expect(state.run('operator.register', { name: 'admin', displayName: 'admin', roles: ['supervisor'], active: true }, 'admin')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(state.get('operator', 'admin')).toMatchObject({ roles: ['admin'], active: true });
    expect(state.run('operator.register', { name: 'erin', displayName: 'Erin Shaw', roles: ['call_handler'], active: true }, 'system', undefined, true)).toMatchObject({ ok: true });
  });

  it('never takes away the force’s last active administrator, whoever asks: another active administrator of the force must remain', () => {
    const state = room();
    const version = state.get('operator', 'admin')!.version;
    // An issuer past the role check (the server's own) is no administrator: refused, with the reason.
    for (const [command, args] of [
      ['operator.setActive', { name: 'admin', active: false, operatorVersion: version }],
      ['operator.setRoles', { name: 'admin', roles: ['supervisor'], operatorVersion: version }],
    ] as const) {
      expect(state.run(command, args, 'system', undefined, true)).toMatchObject({ ok: false, code: 'forbidden', reason: expect.stringContaining('admin is the last active administrator of force DMO') });
    }
    // With a second administrator, either may take the other's role away.
    expect(state.run('operator.add', { name: 'ada', displayName: 'Ada', roles: ['admin'] }, 'admin')).toMatchObject({ ok: true });
    expect(state.run('operator.setRoles', { name: 'admin', roles: ['supervisor'], operatorVersion: version }, 'ada')).toMatchObject({ ok: true });
    expect(lastAdministratorProblem(state.get('operator', 'ada')!, { roles: ['admin'], active: false }, 'admin', state)).toContain('ada is the last active administrator');
  });

  it('refuses account changes by anyone but an administrator, in words', () => {
    const state = room();
    const version = state.get('operator', 'alice')!.version;
    expect(state.run('operator.setActive', { name: 'alice', active: false, operatorVersion: version }, 'carol')).toMatchObject({
      ok: false,
      code: 'forbidden',
      reason: 'carol may not deactivate or reactivate an account',
    });
  });
});
