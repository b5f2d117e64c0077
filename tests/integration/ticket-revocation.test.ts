import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../shared/contract/views';
import type { DeadLetterView } from '../../shared/contract/channels';
import { unverifiedLocation } from '../../shared/domain/location';
import { call, eventually } from '../fakes/fixtures';
import { workstationsOnServer } from '../fakes/workstations-on-server';

const room = workstationsOnServer();

/** `npm run revoke` as an administrator runs it, beside the running server. */
function runRevoke(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'dist', 'node', 'revoke.mjs'), '--data', join(room.dir, 'central.sqlite'), ...args], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function newIncident(address: string) {
  return { type: 'DOMESTIC', location: unverifiedLocation(address), grade: '2', firstLog: 'Neighbour reports shouting' };
}

describe('an administrator revokes an operator’s sign-in tickets', () => {
  it('what the old ticket carries after the revocation is held, not applied, until the operator signs in again; then it goes as theirs', async () => {
    const a = room.core('WS-A');
    await call(a, 'session.signIn', { operator: 'alice', password: 'demo' });
    const { incident: before } = await call<{ incident: IncidentView }>(a, 'incidents.create', newIncident('1 Shirley Road'));
    await eventually(() => a.store.view.incident(before.id)?.reference != null, 'the first incident is on the server');

    const said = runRevoke(['--operator', 'alice', '--reason', 'password seen by another']);
    expect(said.status).toBe(0);
    expect(said.output).toMatch(/^revoked alice's sign-in tickets given up to \S+: what they carry is held at the workstation until alice signs in again\n$/);
    // The revocation is in the audit log: what, whose, why, and who ran the command where.
    const audit = new Database(join(room.dir, 'central.sqlite'), { readonly: true });
    const entries = audit.prepare(`SELECT operator, command, record_kind AS recordKind, record_id AS recordId, after FROM audit_log WHERE kind = 'revocation'`).all();
    audit.close();
    expect(entries).toEqual([
      { operator: expect.stringMatching(/^npm run revoke \(.+\)$/), command: 'access.revoke', recordKind: 'operator', recordId: 'alice', after: '{"reason":"password seen by another","revoked":"tickets"}' },
    ]);

    // The workstation still has alice signed in with her old ticket: the server, running all along, refuses it now.
    const { incident: after } = await call<{ incident: IncidentView }>(a, 'incidents.create', newIncident('2 Shirley Road'));
    await eventually(() => a.sync.status().held.some((h) => h.operator === 'alice' && h.commands === 1), 'the command is held for alice');
    expect(a.store.view.incident(after.id)?.reference ?? null).toBeNull();
    const { deadLetters } = await call<{ deadLetters: DeadLetterView[] }>(a, 'sync.deadLetters', {});
    expect(deadLetters.map(({ reason, held }) => ({ reason, held }))).toEqual([{ reason: "alice's sign-in tickets were revoked by an administrator; sign in again", held: true }]);

    // Signing in again proves her password afresh: a new ticket, and what was held goes, with its own time.
    await call(a, 'session.signIn', { operator: 'alice', password: 'demo' });
    await eventually(() => a.store.view.incident(after.id)?.reference != null, 'the held incident reaches the server');
    expect(a.sync.status().held).toEqual([]);
  });

  it('an operator the server does not know is refused in one line', () => {
    expect(runRevoke(['--operator', 'zed', '--reason', 'typo'])).toEqual({ status: 1, output: 'no operator named zed is known to this server\n' });
  });
});
