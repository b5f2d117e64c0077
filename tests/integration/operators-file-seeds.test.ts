import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccountView, Session } from '../../shared/contract/views';
import { loadOperators } from '../../server/access/operators-file';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { call, refusalOf } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

// The operators file seeds a force's accounts; a restart of the server (which reads it again) never undoes what a
// force administrator did at the console since: a deactivation, a role taken away, a password set.
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-11-30T09:00:00.000Z');

describe.each([sqliteFactory, postgresFactory(() => cluster)])('the operators file at a restart on $name', (factory) => {
  const room = inProcessRoom({
    open: () => factory.open(),
    startsAt: T0,
    operators: { admin: ['admin'], dan: ['call_handler', 'dispatcher'] },
    desks: ['WS-ADMIN', 'WS-B'],
  });
  const adminDesk = () => room.desk('WS-ADMIN');
  const deskB = () => room.desk('WS-B');
  const account = async (name: string) => (await call<{ accounts: AccountView[] }>(adminDesk(), 'admin.accounts', {})).accounts.find((a) => a.id === name);

  /** The file the server starts with: dan as first provisioned, and erin, whom the server does not hold yet. */
  function operatorsFile(): string {
    const file = join(room.dir, 'operators.json');
    const operators = [
      { name: 'admin', displayName: 'admin', roles: ['admin'], password: 'shift-pw' },
      { name: 'dan', displayName: 'dan', roles: ['call_handler', 'dispatcher'], active: true, password: 'file-password' },
      { name: 'erin', displayName: 'Erin Shaw', roles: ['call_handler'], password: 'erin-first' },
    ];
    writeFileSync(file, JSON.stringify({ force: 'DMO', operators }));
    return file;
  }

  it('leaves a deactivated account deactivated and a removed role removed, creates the account it names that is new, and says which it left', async () => {
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await call(adminDesk(), 'admin.setRoles', { name: 'dan', roles: ['call_handler'], operatorVersion: (await account('dan'))!.version });
    await call(adminDesk(), 'admin.setActive', { name: 'dan', active: false, operatorVersion: (await account('dan'))!.version });
    await room.sync(adminDesk());

    // The server starts again with its operators file.
    const loaded = await loadOperators(operatorsFile(), room.storage, room.rules);
    expect(loaded.leftAsAdministered).toEqual(['dan left as administered: deactivated; roles call_handler']);
    await room.sync(adminDesk(), deskB());

    expect(await account('dan')).toMatchObject({ active: false, roles: ['call_handler'] });
    // Still refused, with the password the administrator's console left (the file's is never put back).
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' })).toContain('deactivated');
    expect(await refusalOf(deskB(), 'session.signIn', { operator: 'dan', password: 'file-password' })).toBe('Wrong name or password, or the account is not active.');
    // Nothing in the audit log says the system changed dan's account at the start.
    const systemChanges = (await room.storage.auditEntries(0, 100_000)).filter((e) => e.recordId === 'dan' && e.operator === 'system');
    expect(systemChanges.map((e) => e.field)).not.toContain('active');
    expect(systemChanges.map((e) => e.field)).not.toContain('roles');
    // The account the server did not hold is made, with its first password.
    expect(await call<Session>(deskB(), 'session.signIn', { operator: 'erin', password: 'erin-first' })).toMatchObject({ operator: { id: 'erin', displayName: 'Erin Shaw', roles: ['call_handler'], active: true } });
  });

  it('says nothing of an account held as the file lists it', async () => {
    expect((await loadOperators(operatorsFile(), room.storage, room.rules)).leftAsAdministered).toEqual([]);
  });
});
