import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../server/audit/audit-chain';
import { verifyStorage } from '../../launch/audit-main';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import type { AccountView, Session } from '../../shared/contract/views';
import type { AuditEntryView } from '../../shared/sync/audit-protocol';
import { entryDetail } from '../../shared/domain/audit-answer-words';
import { wallClock } from '../../shared/domain/wall-clock';
import { call } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

// The README (Administering accounts) says "a sign-in or sign-out" is logged: every sign-out at a live workstation
// reaches the audit log through the outbox, one made while the server was out of reach with the time it happened.
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const minute = (n: number) => new Date(T0 + n * 60_000).toISOString();

describe.each([sqliteFactory, postgresFactory(() => cluster)])('sign-outs audited on $name', (factory) => {
  const room = inProcessRoom({ open: () => factory.open(), startsAt: T0, operators: { dan: ['call_handler', 'dispatcher'], alice: ['call_handler'], admin: ['admin'] }, desks: ['WS-B', 'WS-ADMIN'] });
  const deskB = () => room.desk('WS-B');
  const adminDesk = () => room.desk('WS-ADMIN');
  const sessionsOf = async (name: string) =>
    (await room.storage.auditEntries(0, 100_000))
      .filter((e: AuditEntry) => e.recordId === name && (e.kind === 'sign-in' || e.kind === 'sign-out'))
      .map((e) => ({ kind: e.kind, operator: e.operator, workstation: e.workstation, issuedAt: e.issuedAt, recordedAt: e.recordedAt, after: e.after }));

  it('logs a sign-out online at once, and one made offline when the link returns, at the time it happened', async () => {
    await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    room.clock.set(Date.parse(minute(5)));
    await call(deskB(), 'session.signOut', {});
    await room.sync(deskB());

    // Signed in again, then the network fails; dan leaves the desk at 09:20 and the link returns at 09:30.
    await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    await room.sync(deskB());
    room.link('WS-B').cut();
    room.clock.set(Date.parse(minute(20)));
    await call(deskB(), 'session.signOut', {});
    room.clock.set(Date.parse(minute(30)));
    room.link('WS-B').up = true;
    await room.sync(deskB());

    const desk = { operator: 'dan', workstation: 'WS-B', after: '{}' };
    expect((await sessionsOf('dan'))[0]).toMatchObject({ after: '{"mode":"online"}' });
    expect(await sessionsOf('dan')).toEqual([
      { kind: 'sign-in', ...desk, issuedAt: minute(0), recordedAt: minute(0), after: '{"mode":"online"}' },
      { kind: 'sign-out', ...desk, issuedAt: minute(5), recordedAt: minute(5) },
      { kind: 'sign-in', ...desk, issuedAt: minute(5), recordedAt: minute(5), after: '{"mode":"online"}' },
      { kind: 'sign-out', ...desk, issuedAt: minute(20), recordedAt: minute(30) },
    ]);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('logs the sign-out a deactivation forces: who was signed out, at which workstation, when, and that the account was deactivated by whom', async () => {
    await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await room.sync(deskB(), adminDesk());
    room.clock.set(Date.parse(minute(7)));
    const account = (await call<{ accounts: AccountView[] }>(adminDesk(), 'admin.accounts', {})).accounts.find((a) => a.id === 'dan')!;
    await call(adminDesk(), 'admin.setActive', { name: 'dan', active: false, operatorVersion: account.version });
    await room.sync(adminDesk());
    // WS-B hears of it at 09:08, signs dan out, and says so to the audit log through its outbox.
    room.clock.set(Date.parse(minute(8)));
    await room.sync(deskB());
    expect((await call<Session>(deskB(), 'session.get', {})).notice).toMatch(/^dan's account was deactivated by admin at 09:08 GMT: signed out/);
    await room.sync(deskB());

    const signOut = (await sessionsOf('dan')).filter((e) => e.kind === 'sign-out');
    expect(signOut).toEqual([{ kind: 'sign-out', operator: 'dan', workstation: 'WS-B', issuedAt: minute(8), recordedAt: minute(8), after: '{"forced":{"by":"admin","cause":"account deactivated"}}' }]);
    const entry = (await room.storage.auditEntries(0, 100_000)).find((e) => e.kind === 'sign-out')!;
    expect(entryDetail({ ...entry, seq: 1 } as AuditEntryView, wallClock('Europe/London'))).toBe('signed out by the workstation: account deactivated by admin');
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('logs the sign-out of an operator another signs in over, and of one still signed in when the console is closed', async () => {
    await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    room.clock.set(Date.parse(minute(3)));
    // alice signs in at dan's desk without his signing out: his session ends there, and the log says so.
    await call(deskB(), 'session.signIn', { operator: 'alice', password: 'shift-pw' });
    // alice proving herself again over her own session (as "Sign in again" does) ends nothing.
    await call(deskB(), 'session.signIn', { operator: 'alice', password: 'shift-pw' });
    await room.sync(deskB());
    expect((await sessionsOf('dan')).map((e) => [e.kind, e.workstation, e.issuedAt, e.after])).toEqual([
      ['sign-in', 'WS-B', minute(0), '{"mode":"online"}'],
      ['sign-out', 'WS-B', minute(3), '{"forced":{"by":"alice","cause":"another sign-in"}}'],
    ]);
    expect((await sessionsOf('alice')).map((e) => e.kind)).toEqual(['sign-in', 'sign-in']);

    // The console closes at 09:10 with alice signed in; it is logged once the console starts again and reaches the server.
    room.clock.set(Date.parse(minute(10)));
    deskB().stop();
    room.clock.set(Date.parse(minute(20)));
    const again = await room.addDesk('WS-B');
    await room.sync(again);
    expect((await sessionsOf('alice')).filter((e) => e.kind === 'sign-out')).toEqual([
      { kind: 'sign-out', operator: 'alice', workstation: 'WS-B', issuedAt: minute(10), recordedAt: minute(20), after: '{"forced":{"by":null,"cause":"console closed"}}' },
    ]);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });
});
