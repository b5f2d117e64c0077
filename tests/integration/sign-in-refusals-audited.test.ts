import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../shared/contract/views';
import type { AuditEntry } from '../../server/audit/audit-chain';
import { verifyStorage } from '../../launch/audit-main';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { call, demoConfig, refusalOf } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresFactory, sqliteFactory } from '../fakes/storages';
import { deviceOf } from '../fakes/access';
import { lockoutRulesOf, noteFailure } from '../../server/access/sign-in-lockout';

// Every sign-in the server refuses is in the force's audit log with its reason in words, while the desk is told no
// more than before; and a lockout says nothing of whether the name typed is an account.
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-11-30T09:00:00.000Z');
const WRONG = 'Wrong name or password, or the account is not active.';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('refused sign-ins on $name', (factory) => {
  const room = inProcessRoom({
    open: () => factory.open(),
    startsAt: T0,
    operators: { admin: ['admin'], dan: ['call_handler', 'dispatcher'] },
    desks: ['WS-ADMIN', 'WS-B'],
  });
  const adminDesk = () => room.desk('WS-ADMIN');
  const deskB = () => room.desk('WS-B');
  const failures = async (name: string) =>
    (await room.storage.auditEntries(0, 100_000)).filter((e: AuditEntry) => e.recordId === name && e.kind === 'sign-in-failure').map((e) => ({ ...(JSON.parse(e.after!) as { reason: string; until?: string }), force: e.force, workstation: e.workstation }));

  it('wrong passwords for one name arriving at once lock it once: every failure counted, one lockout entry, never none or two', async () => {
    // Eight guesses in flight together (two desks, or a script): each decides from the failures stored as it is
    // written, so the fifth locks the name, and the sixth to eighth find it locked already.
    const rules = lockoutRulesOf(demoConfig);
    const guess = (i: number) => noteFailure(room.storage, 'dan', { operator: 'dan', device: deviceOf(`client-${i}`, 'WS-B'), now: T0 + 60_000, reason: 'wrong password' }, rules);
    const states = await Promise.all(Array.from({ length: 8 }, (_, i) => guess(i)));
    expect(states.filter((state) => state.locked)).toHaveLength(4);
    const entries = (await room.storage.auditEntries(0, 100_000)).filter((e: AuditEntry) => e.recordId === 'dan');
    // Each entry says the refusal its guess was given: five wrong passwords, the fifth locking the name, then three
    // refused as locked out, until when.
    const until = new Date(T0 + 60_000 + 15 * 60_000).toISOString();
    expect(entries.filter((e) => e.kind !== 'collection').map((e) => [e.kind, JSON.parse(e.after!) as object])).toEqual([
      ...Array.from({ length: 5 }, () => ['sign-in-failure', { reason: 'wrong password' }]),
      ['lockout', { failures: 5, withinMinutes: 15, until }],
      ...Array.from({ length: 3 }, () => ['sign-in-failure', { reason: 'locked out', until }]),
    ]);
    expect(await room.storage.signInFailures('dan')).toHaveLength(8);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('a deactivated account’s sign-in with its right password is audited as such', async () => {
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    const dan = (await call<{ accounts: AccountView[] }>(adminDesk(), 'admin.accounts', {})).accounts.find((a) => a.id === 'dan')!;
    await call(adminDesk(), 'admin.setActive', { name: 'dan', active: false, operatorVersion: dan.version });
    await room.sync(adminDesk());

    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' })).toBe("Dan's account has been deactivated by a force administrator: ask a force administrator if this is wrong.");
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'wrong' })).toBe(WRONG);
    expect(await failures('dan')).toEqual([
      { reason: 'account deactivated', force: 'DMO', workstation: 'WS-TEST' },
      { reason: 'wrong password', force: 'DMO', workstation: 'WS-TEST' },
    ]);
  });

  it('a sign-in refused during a lockout, the right password too, is audited with when the lockout ends', async () => {
    for (let i = 0; i < 5; i++) await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'wrong' });
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' })).toContain('locked');
    const entries = await failures('dan');
    expect(entries).toHaveLength(6);
    expect(entries.at(-1)).toMatchObject({ reason: 'locked out', until: '2026-11-30T09:15:00.000Z', force: 'DMO' });
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('a name that is no account locks as an account does, so the refusals never tell whether it exists; each is audited', async () => {
    const said: string[] = [];
    for (let i = 0; i < 5; i++) said.push(await refusalOf(deskB(), 'session.signIn', { operator: 'zed', password: 'wrong' }));
    expect(said.slice(0, 4)).toEqual([WRONG, WRONG, WRONG, WRONG]);
    expect(said[4]).toBe("Zed's account is locked after 5 failed sign-ins: try again after 09:15, or ask a force administrator to unlock it.");
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'zed', password: 'anything' })).toBe(said[4]);
    const reasons = (await failures('zed')).map((e) => e.reason);
    expect(reasons).toEqual([...Array(5).fill('no such account at this force'), 'locked out']);
    // An account's own lockout is the same words.
    for (let i = 0; i < 5; i++) await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'wrong' });
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'wrong' })).toBe(said[4]!.replace('Zed', 'Dan'));
  });
});
