import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../server/audit/audit-chain';
import { verifyStorage } from '../../launch/audit-main';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { call } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

// The README (Administering accounts) says "a sign-in or sign-out" is logged: every sign-out at a live workstation
// reaches the audit log through the outbox, one made while the server was out of reach with the time it happened.
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const minute = (n: number) => new Date(T0 + n * 60_000).toISOString();

describe.each([sqliteFactory, postgresFactory(() => cluster)])('sign-outs audited on $name', (factory) => {
  const room = inProcessRoom({ open: () => factory.open(), startsAt: T0, operators: { dan: ['call_handler', 'dispatcher'] }, desks: ['WS-B'] });
  const deskB = () => room.desk('WS-B');
  const sessionsOf = async (name: string) =>
    (await room.storage.auditEntries(0, 100_000))
      .filter((e: AuditEntry) => e.recordId === name && (e.kind === 'sign-in' || e.kind === 'sign-out'))
      .map((e) => ({ kind: e.kind, operator: e.operator, workstation: e.workstation, issuedAt: e.issuedAt, recordedAt: e.recordedAt }));

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

    const desk = { operator: 'dan', workstation: 'WS-B' };
    expect(await sessionsOf('dan')).toEqual([
      { kind: 'sign-in', ...desk, issuedAt: minute(0), recordedAt: minute(0) },
      { kind: 'sign-out', ...desk, issuedAt: minute(5), recordedAt: minute(5) },
      { kind: 'sign-in', ...desk, issuedAt: minute(5), recordedAt: minute(5) },
      { kind: 'sign-out', ...desk, issuedAt: minute(20), recordedAt: minute(30) },
    ]);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });
});
