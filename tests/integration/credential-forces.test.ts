import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleAdmin } from '../../server/access/admin-routes';
import { handleSignIn } from '../../server/access/access-routes';
import { loadOperators } from '../../server/access/operators-file';
import { rulesOfForce, type ServerRules } from '../../server/commands/plan-command';
import type { EnrolledDevice, ServerStorage } from '../../server/storage/storage';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';
import { hashPassword } from '../../node-common/passwords';
import { registerTestOperators, ticketFor } from '../fakes/access';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { fixedRules, postgresFactory, sqliteFactory, type OpenedStorage } from '../fakes/storages';
import { makeTempDir } from '../fakes/temp-dir';
import { TICKET_SECRET } from '../../server/access/access-routes';

// A password may be set before its account exists (an administrator adding an operator sets it first), so each
// password names the force that set it: another force's administrator cannot set a password for a name this force
// later gives an account, nor sign in as it.
const cluster = postgresForThisFile();

const neighbour = loadForceConfig(demonstrationForces()[1]!.configFile);
const rules: ServerRules = { ...fixedRules, alsoServes: [neighbour] };
const rulesOf = (force: 'DMO' | 'NBR'): ServerRules => rulesOfForce(rules, force)!;
const now = fixedRules.now();
const desk = (force: 'DMO' | 'NBR'): EnrolledDevice => ({ clientId: randomUUID(), workstation: `WS-${force}`, force, tokenHash: 'test', enrolledAt: '2026-11-29T00:00:00.000Z' });
const lockout = { rule: fixedRules.config.signInLockout, timeZone: fixedRules.config.force.timeZone };
const STOLEN = 'correct horse battery staple 77';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('passwords of each force on $name', (factory) => {
  let opened: OpenedStorage;
  let storage: ServerStorage;
  const desks = { DMO: desk('DMO'), NBR: desk('NBR') };
  beforeEach(async () => {
    opened = await factory.open();
    storage = opened.storage;
    await registerTestOperators(storage, rulesOf('DMO'), ['admin'], ['admin']);
    await registerTestOperators(storage, rulesOf('NBR'), ['nbadmin'], ['admin']);
  });
  afterEach(() => opened.close());

  const asAdmin = async (force: 'DMO' | 'NBR', subject: string, password: string) => {
    const operator = force === 'DMO' ? 'admin' : 'nbadmin';
    const ticket = await ticketFor(storage, operator, desks[force].clientId, now + 86_400_000);
    return handleAdmin({ action: 'set-password', operator, ticket, subject, password }, desks[force], { storage, ticketSecret: await storage.secret(TICKET_SECRET), now, lockout });
  };
  const signIn = (force: 'DMO' | 'NBR', operator: string, password: string) => handleSignIn({ operator, password }, desks[force], storage, now, lockout);

  it('a password another force’s administrator set for a name with no account is not that name’s once this force’s operators file gives it one', async () => {
    await asAdmin('NBR', 'zed', STOLEN);
    const dir = makeTempDir();
    try {
      const file = join(dir.path, 'dmo-operators.json');
      writeFileSync(file, JSON.stringify({ force: 'DMO', operators: [{ name: 'zed', displayName: 'Zed', roles: ['dispatcher'], password: 'first-day-pass' }] }));
      await loadOperators(file, storage, rules);
    } finally {
      dir.remove();
    }
    await expect(signIn('DMO', 'zed', STOLEN)).rejects.toThrow(/wrong name or password/);
    expect((await signIn('DMO', 'zed', 'first-day-pass')).operator).toMatchObject({ id: 'zed', force: 'DMO' });
  });

  it('a name one force’s administrator is adding cannot be taken over by the other’s, and a password set for another force signs in to nothing', async () => {
    await asAdmin('DMO', 'yan', 'lantern harbour pebble');
    // Refused in words that name neither the force adding it nor anything of its people.
    const refused = await asAdmin('NBR', 'yan', STOLEN).then(() => null, (error: Error) => error.message);
    expect(refused).toBe('the name yan is taken: choose another name');
    // An account the other force holds already: the same words, nothing of whose it is.
    await registerTestOperators(storage, rulesOf('DMO'), ['wyn'], ['dispatcher']);
    const taken = await asAdmin('NBR', 'wyn', STOLEN).then(() => null, (error: Error) => error.message);
    expect(taken).toBe('the name wyn is taken: choose another name');
    // An account of DMO whose password was somehow set for NBR (before this build kept the force, say): refused.
    await registerTestOperators(storage, rulesOf('DMO'), ['xan'], ['dispatcher']);
    await storage.setCredential('xan', await hashPassword(STOLEN), [], 'NBR');
    await expect(signIn('DMO', 'xan', STOLEN)).rejects.toThrow(/wrong name or password/);
    // Its own force's administrator sets it again, and it is the account's.
    await asAdmin('DMO', 'xan', 'kettle violet quarry');
    expect((await signIn('DMO', 'xan', 'kettle violet quarry')).operator).toMatchObject({ id: 'xan' });
  });

  it('another force’s account is answered in lockouts and unlocking exactly as a name no account holds, and its lockout is neither shown nor lifted', async () => {
    await registerTestOperators(storage, rulesOf('DMO'), ['dan'], ['dispatcher']);
    await storage.setCredential('dan', await hashPassword('kettle violet quarry'), [], 'DMO');
    for (let i = 0; i < lockout.rule.failures; i++) await signIn('DMO', 'dan', 'a wrong guess').catch(() => undefined);
    const ask = async (force: 'DMO' | 'NBR', body: Record<string, unknown>) => {
      const operator = force === 'DMO' ? 'admin' : 'nbadmin';
      const ticket = await ticketFor(storage, operator, desks[force].clientId, now + 86_400_000);
      return handleAdmin({ ...body, operator, ticket }, desks[force], { storage, ticketSecret: await storage.secret(TICKET_SECRET), now, lockout }).then(
        (answer) => JSON.stringify(answer),
        (error: Error) => `refused: ${error.message}`,
      );
    };
    const dmoLocked = await ask('DMO', { action: 'lockouts', subjects: ['dan'] });
    expect(dmoLocked).toContain('"locked":true');
    // Northbridge's administrator asks of DMO's dan and of a name nobody holds: one answer, the name aside.
    for (const body of [(name: string) => ({ action: 'lockouts', subjects: [name] }), (name: string) => ({ action: 'unlock', subject: name })]) {
      const theirs = await ask('NBR', body('dan'));
      const nobody = await ask('NBR', body('zed'));
      expect(theirs.replaceAll('dan', '<name>')).toEqual(nobody.replaceAll('zed', '<name>'));
      expect(theirs).not.toMatch(/refused|"locked":true/);
    }
    // And the answer is true: there is no account of Northbridge's to unlock (it used to say dan's "was not locked").
    expect(await ask('NBR', { action: 'unlock', subject: 'dan' })).toContain('NBR has no account named dan; the failed sign-ins under that name at NBR');
    // A password set for a name with no account yet says that it waits for the account.
    expect(await ask('NBR', { action: 'set-password', subject: 'zara', password: 'lantern orchard pebble' })).toContain('set zara’s password; it signs in once an account named zara is added at NBR'.replace('’', "'"));
    // DMO's lockout stands: only its own administrator lifts it.
    expect(await ask('DMO', { action: 'lockouts', subjects: ['dan'] })).toEqual(dmoLocked);
  });
});
