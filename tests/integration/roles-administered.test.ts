import { describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import type { AuditEntry } from '../../server/audit/audit-chain';
import type { DeadLetterView } from '../../shared/contract/channels';
import type { AccountView, IncidentView, RefusalView, Session } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { verifyStorage } from '../../launch/audit-main';
import type { AuditEntryView } from '../../shared/sync/audit-protocol';
import { entryDetail } from '../../shared/domain/audit-answer-words';
import { wallClock } from '../../shared/domain/wall-clock';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { refusalOf } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

// A force administrator at work, on both storages: accounts added, roles removed and accounts deactivated reach the
// other workstations through the usual sync; lockouts after failed sign-ins, audited.
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-11-30T09:00:00.000Z');

describe.each([sqliteFactory, postgresFactory(() => cluster)])('roles administered on $name', (factory) => {
  const room = inProcessRoom({
    open: () => factory.open(),
    startsAt: T0,
    operators: { admin: ['admin'], carol: ['supervisor'], dan: ['call_handler', 'dispatcher'] },
    desks: ['WS-ADMIN', 'WS-B', 'WS-SUP'],
  });
  const adminDesk = () => room.desk('WS-ADMIN');
  const deskB = () => room.desk('WS-B');
  const supervisorDesk = () => room.desk('WS-SUP');

  async function call<T>(core: ConsoleCore, channel: string, request: unknown): Promise<T> {
    const reply = await core.dispatch(channel, request);
    if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
    return reply.value as T;
  }
  const account = async (name: string) => (await call<{ accounts: AccountView[] }>(adminDesk(), 'admin.accounts', {})).accounts.find((a) => a.id === name)!;
  const audit = async (): Promise<AuditEntry[]> => room.storage.auditEntries(0, 100_000);

  it('an operator the administrator adds signs in at another workstation', async () => {
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    // The rule is said before anything is sent, and the server holds it too.
    expect(await refusalOf(adminDesk(), 'admin.addOperator', { name: 'erin', displayName: 'Erin Shaw', roles: ['call_handler'], password: 'password123' })).toContain('password: too short');
    await call(adminDesk(), 'admin.addOperator', { name: 'erin', displayName: 'Erin Shaw', roles: ['call_handler'], password: 'lantern harbour pebble' });
    await room.sync(adminDesk());

    const signedIn = await call<Session>(deskB(), 'session.signIn', { operator: 'erin', password: 'lantern harbour pebble' });
    expect(signedIn.operator).toMatchObject({ id: 'erin', displayName: 'Erin Shaw', roles: ['call_handler'], active: true });
    // The audit log says who set whose password, and when, and never the password.
    const set = (await audit()).find((e) => e.kind === 'password-set')!;
    expect(set).toMatchObject({ operator: 'admin', recordKind: 'operator', recordId: 'erin', command: 'access.admin', after: '{"first":true}' });
    expect(JSON.stringify(await audit())).not.toContain('lantern');
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('setting a password needs the server, and says so offline; nothing is changed', async () => {
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    room.link(adminDesk()).up = false;
    expect(await refusalOf(adminDesk(), 'admin.setPassword', { name: 'dan', password: 'kettle violet quarry' })).toMatch(/needs the central server, which cannot be reached now \(offline\): nothing was changed/);
    expect(await refusalOf(adminDesk(), 'admin.addOperator', { name: 'erin', displayName: 'Erin', roles: ['call_handler'], password: 'kettle violet quarry' })).toMatch(/cannot be reached now/);
    expect(adminDesk().store.view.get('operator', 'erin')).toBeUndefined();
  });

  it('roles removed reach the operator’s own workstation, and what it offers follows', async () => {
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    const seen: Session[] = [];
    deskB().onEvent((event, payload) => event === 'session.changed' && seen.push(payload as Session));
    await room.sync(adminDesk());
    const dan = await account('dan');
    await call(adminDesk(), 'admin.setRoles', { name: 'dan', roles: ['call_handler'], operatorVersion: dan.version });
    await room.sync(adminDesk(), deskB());

    expect((await call<Session>(deskB(), 'session.get', {})).operator?.roles).toEqual(['call_handler']);
    expect(seen.at(-1)?.operator?.roles).toEqual(['call_handler']);
  });

  it('a role removed while a workstation was offline refuses its queued command visibly, to its operator and the room', async () => {
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    await call(supervisorDesk(), 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    const { incident } = await call<{ incident: IncidentView }>(deskB(), 'incidents.create', { type: 'DOMESTIC', location: unverifiedLocation('4 Quay Street'), grade: '2', firstLog: null });
    await room.sync(deskB(), adminDesk());

    // WS-B loses the network; dan, a dispatcher as far as it knows, takes charge of the incident there.
    room.link(deskB()).up = false;
    const seenVersion = deskB().store.view.incident(incident.id)!.version;
    await call(deskB(), 'incidents.takeOwnership', { incidentId: incident.id, incidentVersion: seenVersion });
    // Meanwhile the administrator takes his dispatcher role away.
    await call(adminDesk(), 'admin.setRoles', { name: 'dan', roles: ['call_handler'], operatorVersion: (await account('dan')).version });
    await room.sync(adminDesk());

    room.link(deskB()).up = true;
    await room.sync(deskB(), supervisorDesk());
    // Never applied...
    expect(((await room.storage.record({ kind: 'incident', id: incident.id })) as IncidentView).owner).toBeNull();
    // ...and never lost: in dan's refused list with the reason, and in the room's refusals the supervisor sees.
    const { deadLetters } = await call<{ deadLetters: DeadLetterView[] }>(deskB(), 'sync.deadLetters', {});
    expect(deadLetters.map((d) => [d.name, d.code, d.reason, d.held])).toEqual([['incident.takeOwnership', 'forbidden', 'dan may not take charge of an incident', false]]);
    const { refusals } = await call<{ refusals: RefusalView[] }>(supervisorDesk(), 'refusals.list', {});
    expect(refusals.map((r) => [r.commandName, r.operator, r.reason])).toEqual([['incident.takeOwnership', 'dan', 'dan may not take charge of an incident']]);
  });

  it('what an operator looked at offline is logged with its time though their account was deactivated meanwhile; what they did there is held, never applied', async () => {
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    const { incident } = await call<{ incident: IncidentView }>(deskB(), 'incidents.create', { type: 'DOMESTIC', location: unverifiedLocation('4 Quay Street'), grade: '2', firstLog: null });
    await room.sync(deskB(), adminDesk());

    // WS-B loses the network; dan opens the incident there and writes in its log.
    room.link(deskB()).up = false;
    const lookedAt = T0 + 10 * 60_000;
    room.clock.set(lookedAt);
    await call(deskB(), 'incidents.get', { id: incident.id });
    await call(deskB(), 'incidents.addLog', { incidentId: incident.id, text: 'Neighbour says the door was kicked in' });
    // Meanwhile the administrator deactivates him, which revokes his tickets.
    room.clock.set(T0 + 20 * 60_000);
    await call(adminDesk(), 'admin.setActive', { name: 'dan', active: false, operatorVersion: (await account('dan')).version });
    await room.sync(adminDesk());

    room.clock.set(T0 + 30 * 60_000);
    room.link(deskB()).up = true;
    await room.sync(deskB());
    // The look is in the log, as dan's at WS-B when he took it...
    const looks = (await audit()).filter((e) => e.kind === 'consultation' && e.recordId === incident.id);
    expect(looks).toEqual([expect.objectContaining({ operator: 'dan', workstation: 'WS-B', command: 'record.consulted', issuedAt: new Date(lookedAt).toISOString(), recordedAt: new Date(T0 + 30 * 60_000).toISOString() })]);
    // ...the log line is not applied, and not lost: held at WS-B (signed out now) until he signs in again, which he
    // cannot while the account is inactive; a supervisor may redo or dismiss it.
    expect(JSON.stringify(await room.storage.record({ kind: 'incident', id: incident.id }))).not.toContain('door was kicked in');
    expect(JSON.stringify(await audit())).not.toContain('door was kicked in');
    // The status bar (at the sign-in screen too) says why, and that a sign-in will not send it: not "until dan signs in".
    expect(deskB().sync.status().held).toEqual([{ operator: 'dan', commands: 1, accountDeactivated: true, reason: expect.stringMatching(/^dan's account was deactivated by admin at 2026-11-30 09:20 GMT/) }]);
    // Held for the account's deactivation, and said so, by whom and when: not "tickets revoked; sign in again",
    // which would send dan to a sign-in that cannot succeed.
    await call(supervisorDesk(), 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    await room.sync(supervisorDesk());
    const { refusals } = await call<{ refusals: RefusalView[] }>(supervisorDesk(), 'refusals.list', {});
    expect(refusals.map((r) => [r.commandName, r.operator, r.reason])).toEqual([
      ['incident.addLog', 'dan', expect.stringMatching(/^dan's account was deactivated by admin at 2026-11-30 09:20 GMT: what dan did here is held, not applied;/)],
    ]);
    expect(refusals[0]!.reason).not.toMatch(/tickets|sign in again;/);
    // ...and the room's list says only that, not that it waits for dan to sign in (shared/domain/held-words.ts).
    expect(refusals[0]!.accountDeactivated).toBe(true);
    // The auditor's entry of the refusal says the account was deactivated, by whom and when, not a ticket's fault.
    const refusedEntry = (await audit()).find((e) => e.kind === 'access-refused' && e.command === 'incident.addLog')!;
    expect(JSON.parse(refusedEntry.after!)).toMatchObject({ reason: 'account deactivated', said: expect.stringMatching(/^dan's account was deactivated by admin at 2026-11-30 09:20 GMT/) });
    expect(entryDetail({ ...refusedEntry, seq: 1 } as AuditEntryView, wallClock('Europe/London'))).toMatch(/^the command refused: the operator’s account had been deactivated; .*dan's account was deactivated by admin/);
    expect(entryDetail({ ...refusedEntry, seq: 1 } as AuditEntryView, wallClock('Europe/London'))).not.toMatch(/ticket|sign-in was not good/);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('deactivating an operator ends their session: their workstation returns to sign-in, saying why, and their tickets stop working', async () => {
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    await room.sync(adminDesk(), deskB());
    const ticket = deskB().store.signIns.find('dan')!.ticket;

    // An administrator may not deactivate themselves.
    expect(await refusalOf(adminDesk(), 'admin.setActive', { name: 'admin', active: false, operatorVersion: (await account('admin')).version })).toContain('may not deactivate your own account');
    await call(adminDesk(), 'admin.setActive', { name: 'dan', active: false, operatorVersion: (await account('dan')).version });
    await room.sync(adminDesk(), deskB());

    const session = await call<Session>(deskB(), 'session.get', {});
    expect(session.operator).toBeNull();
    expect(session.notice).toMatch(/^dan's account was deactivated by admin at 09:00 GMT: signed out/);
    // Whoever knows the password is told the account is deactivated, not that the password may be wrong.
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' })).toBe("Dan's account has been deactivated by a force administrator: ask a force administrator if this is wrong.");
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'wrong' })).toBe('Wrong name or password, or the account is not active.');
    // Offline, the workstation says it in the same words as the server.
    room.link(deskB()).up = false;
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' })).toBe("Dan's account has been deactivated by a force administrator: ask a force administrator if this is wrong.");
    room.link(deskB()).up = true;
    // The ticket dan's workstation holds is revoked: the server's revocation is the one `npm run revoke` makes.
    expect(await room.storage.revocation('tickets', 'dan')).toMatchObject({ reason: 'account deactivated by admin' });
    expect(ticket).toBeTruthy();
    expect((await audit()).filter((e) => e.recordId === 'dan').map((e) => [e.kind, e.field ?? e.command])).toEqual(
      expect.arrayContaining([
        ['alteration', 'active'],
        ['revocation', 'access.deactivate'],
      ]),
    );
  });

  it('locks an account after five failed sign-ins within 15 minutes, says until when, audits it, and the administrator unlocks it', async () => {
    for (let i = 0; i < 4; i++) {
      expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'wrong' })).toBe('Wrong name or password, or the account is not active.');
      room.clock.advance(60_000);
    }
    // The fifth, at 09:04 (GMT, the force's clock), locks it until 09:19.
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'wrong' })).toBe(
      "Dan's account is locked after 5 failed sign-ins: try again after 09:19, or ask a force administrator to unlock it.",
    );
    // The right password is refused too while it is locked.
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' })).toContain('locked');
    const entries = (await audit()).filter((e) => e.recordId === 'dan' && e.command === 'access.signIn');
    // The refusal while locked is audited too (tests/integration/sign-in-refusals-audited.test.ts).
    expect(entries.map((e) => e.kind)).toEqual(['sign-in-failure', 'sign-in-failure', 'sign-in-failure', 'sign-in-failure', 'sign-in-failure', 'lockout', 'sign-in-failure']);
    expect(entries.at(-2)).toMatchObject({ operator: 'dan', workstation: 'WS-TEST', after: '{"failures":5,"until":"2026-11-30T09:19:00.000Z","withinMinutes":15}' });

    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    expect(await account('dan')).toMatchObject({ locked: true, lockedUntil: '2026-11-30T09:19:00.000Z' });
    expect(await call(adminDesk(), 'admin.unlock', { name: 'dan' })).toEqual({ done: "unlocked dan's account" });
    expect((await audit()).find((e) => e.kind === 'unlock')).toMatchObject({ kind: 'unlock', operator: 'admin', recordId: 'dan', after: '{"wasLocked":true}' });
    expect(await call<Session>(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' })).toMatchObject({ operator: { id: 'dan' } });
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });

    // Left alone, a lock lifts by itself at its time.
    for (let i = 0; i < 5; i++) await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'wrong' });
    room.clock.advance(15 * 60_000);
    expect(await call<Session>(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' })).toMatchObject({ operator: { id: 'dan' } });
  });

  it('a command held for an account deactivated and since revoked with npm run revoke as well is still said deactivated, by whom', async () => {
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    const { incident } = await call<{ incident: IncidentView }>(deskB(), 'incidents.create', { type: 'DOMESTIC', location: unverifiedLocation('4 Quay Street'), grade: '2', firstLog: null });
    await room.sync(deskB(), adminDesk());
    room.link(deskB()).up = false;
    await call(deskB(), 'incidents.addLog', { incidentId: incident.id, text: 'Neighbour heard a scream' });
    room.clock.set(T0 + 20 * 60_000);
    await call(adminDesk(), 'admin.setActive', { name: 'dan', active: false, operatorVersion: (await account('dan')).version });
    await room.sync(adminDesk());
    // Later an administrator also revokes dan's tickets from the server's machine (npm run revoke), with reasons of their own.
    room.clock.set(T0 + 25 * 60_000);
    await room.storage.revoke({ kind: 'tickets', subject: 'dan', revokedAt: new Date(T0 + 25 * 60_000).toISOString(), reason: 'laptop left in a car' });
    room.link(deskB()).up = true;
    await room.sync(deskB());
    const refusedEntry = (await audit()).find((e) => e.kind === 'access-refused' && e.command === 'incident.addLog')!;
    expect(JSON.parse(refusedEntry.after!)).toMatchObject({ reason: 'account deactivated', said: expect.stringMatching(/^dan's account was deactivated by admin at 2026-11-30 09:20 GMT: what dan did here is held/) });
    expect(deskB().sync.status().held).toEqual([{ operator: 'dan', commands: 1, accountDeactivated: true, reason: expect.stringMatching(/^dan's account was deactivated by admin/) }]);
  });
});
