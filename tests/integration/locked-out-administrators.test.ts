import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { ServerStorage } from '../../server/storage/storage';
import type { Session } from '../../shared/contract/views';
import { verifyStorage } from '../../launch/audit-main';
import { unlock } from '../../launch/unlock-main';
import { refusalOf, silentLog } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresForThisFile } from '../fakes/postgres-for-file';

// Someone types wrong passwords for every force administrator until each is locked out: nobody is left at a console
// to press Unlock. The server's own command line (npm run unlock) still can, on either storage, and the audit log
// says who ran it, where and why.
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-11-30T09:00:00.000Z');

const storages = [
  { name: 'SQLite', open: async (dir: string) => ({ storage: SqliteStorage.open(join(dir, 'central.sqlite')) as ServerStorage, where: ['--data', join(dir, 'central.sqlite')] }) },
  {
    name: 'PostgreSQL',
    open: async () => {
      const url = await cluster.createDatabase();
      return { storage: (await PostgresStorage.open(url, { log: silentLog })) as ServerStorage, where: ['--database-url', url] };
    },
  },
];

describe.each(storages)('every administrator locked out, on $name', ({ open }) => {
  const room = inProcessRoom({ open, startsAt: T0, operators: { admin: ['admin'], ada: ['admin'] }, desks: ['WS-A'] });
  const desk = () => room.desk('WS-A');
  const where = () => room.opened.where;

  it('npm run unlock lifts an administrator’s lockout from the server’s own machine, at once, and the audit log says who, where and why', async () => {
    for (const name of ['admin', 'ada']) for (let i = 0; i < 5; i++) await refusalOf(desk(), 'session.signIn', { operator: name, password: 'guess' });
    for (const name of ['admin', 'ada']) expect(await refusalOf(desk(), 'session.signIn', { operator: name, password: 'shift-pw' })).toContain('locked');

    expect(await unlock([...where(), '--operator', 'admin', '--reason', 'every administrator locked out from WS-A; WS-A revoked'], () => room.clock.now())).toBe(
      "unlocked admin's account (5 failed sign-ins forgotten): they may sign in now",
    );
    const reply = await desk().dispatch('session.signIn', { operator: 'admin', password: 'shift-pw' });
    expect(reply.ok && (reply.value as Session).operator?.id).toBe('admin');

    const entry = (await room.storage.auditEntries(0, 1000)).find((e) => e.kind === 'unlock')!;
    expect(entry).toMatchObject({ command: 'access.unlock', operator: expect.stringMatching(/^npm run unlock \(.+\)$/), recordKind: 'operator', recordId: 'admin', force: 'DMO' });
    expect(JSON.parse(entry.after!)).toEqual({ failuresForgotten: 5, reason: 'every administrator locked out from WS-A; WS-A revoked' });
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('refuses an account the server does not know, and an unlock without a reason', async () => {
    await expect(unlock([...where(), '--operator', 'zed', '--reason', 'typo'])).rejects.toThrow('no operator named zed is known to this server');
    await expect(unlock([...where(), '--operator', 'admin'])).rejects.toThrow('say why with --reason TEXT');
  });
});
