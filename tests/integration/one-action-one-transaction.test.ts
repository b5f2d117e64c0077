import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleEnrol } from '../../server/access/access-routes';
import type { ServerStorage } from '../../server/storage/storage';
import { registerTestOperators } from '../fakes/access';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { createIncidentCommand, fixedRules, postgresFactory, pushTo, sqliteFactory, type OpenedStorage } from '../fakes/storages';

// What belongs to one action is written in one transaction, on both storages: an account's deactivation with the
// revocation of its tickets and that revocation's entry; an enrolment's token with its entry. Each test makes the
// database refuse the entry (as a full tablespace or a crash between two transactions would leave it) and looks for
// half an action.
const cluster = postgresForThisFile();

const ENROLMENT_KEY = 'the force enrolment key';

/** Makes the database refuse audit entries of one command name (`access.deactivate`, `access.enrol`) until `allow`. */
async function refuseEntriesOf(opened: OpenedStorage, name: 'SQLite' | 'PostgreSQL', command: string): Promise<() => Promise<void>> {
  if (name === 'SQLite') {
    await opened.execute(`CREATE TRIGGER refuse_entry BEFORE INSERT ON audit_log WHEN NEW.command = '${command}' BEGIN SELECT RAISE(ABORT, 'audit log full'); END`);
    return () => opened.execute('DROP TRIGGER refuse_entry');
  }
  await opened.execute(`CREATE FUNCTION refuse_entry() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.command = '${command}' THEN RAISE EXCEPTION 'audit log full'; END IF; RETURN NEW; END $$`);
  await opened.execute('CREATE TRIGGER refuse_entry BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_entry()');
  return () => opened.execute('DROP TRIGGER refuse_entry ON audit_log');
}

describe.each([sqliteFactory, postgresFactory(() => cluster)])('one action, one transaction, on $name', (factory) => {
  const clientId = randomUUID();
  let opened: OpenedStorage;
  let storage: ServerStorage;
  beforeEach(async () => {
    opened = await factory.open();
    storage = opened.storage;
  });
  afterEach(() => opened.close());

  /** The administrator's deactivation of bob's account, as their console sends it. */
  async function deactivateBob(clientSeq: number, commandId = randomUUID()) {
    const bob = (await storage.record({ kind: 'operator', id: 'bob' })) as { version: number };
    return { ...createIncidentCommand(clientId, clientSeq), commandId, operator: 'ada', name: 'operator.setActive', args: { name: 'bob', active: false, operatorVersion: bob.version } };
  }

  it('never leaves an account deactivated with its tickets live and no entry: a revocation entry that cannot be written undoes the deactivation', async () => {
    await registerTestOperators(storage, fixedRules, ['ada'], ['admin']);
    await registerTestOperators(storage, fixedRules, ['bob'], ['call_handler']);
    const command = await deactivateBob(1);
    const allow = await refuseEntriesOf(opened, factory.name, 'access.deactivate');

    await expect(pushTo(storage, clientId, [command])).rejects.toThrow('audit log full');
    // Nothing of the deactivation is kept: bob is still active, his tickets good, the command not taken.
    expect(await storage.record({ kind: 'operator', id: 'bob' })).toMatchObject({ active: true });
    expect(await storage.revocation('tickets', 'bob')).toBeNull();
    expect(await storage.lastClientSeq(clientId)).toBe(0);

    // Sent again once the log takes entries: the deactivation, the revocation and its entry, together.
    await allow();
    expect((await pushTo(storage, clientId, [command])).outcomes).toEqual([expect.objectContaining({ status: 'applied' })]);
    expect(await storage.record({ kind: 'operator', id: 'bob' })).toMatchObject({ active: false });
    expect(await storage.revocation('tickets', 'bob')).toMatchObject({ reason: 'account deactivated by ada' });
    const entries = await storage.auditEntries(0, 1000);
    expect(entries.filter((e) => e.command === 'access.deactivate').map((e) => [e.kind, e.operator, e.recordId])).toEqual([['revocation', 'ada', 'bob']]);
    // Right after the deactivation's own entries, in its transaction.
    const last = entries.filter((e) => e.commandId === command.commandId).at(-1)!;
    expect(entries.find((e) => e.command === 'access.deactivate')!.seq).toBe(last.seq + 1);
  });

  it('revokes nothing for a deactivation refused, and nothing twice for one sent again', async () => {
    await registerTestOperators(storage, fixedRules, ['ada'], ['admin']);
    await registerTestOperators(storage, fixedRules, ['bob', 'carol'], ['call_handler']);
    // carol is no administrator: her deactivation of bob is refused, and bob's tickets stay good.
    const refused = { ...(await deactivateBob(1)), operator: 'carol' };
    expect((await pushTo(storage, clientId, [refused])).outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'forbidden' })]);
    expect(await storage.revocation('tickets', 'bob')).toBeNull();
    const applied = await deactivateBob(2);
    await pushTo(storage, clientId, [applied]);
    await pushTo(storage, clientId, [applied]);
    expect((await storage.auditEntries(0, 1000)).filter((e) => e.command === 'access.deactivate')).toHaveLength(1);
  });

  it('keeps no token, and replaces none, for an enrolment whose entry cannot be written', async () => {
    const enrol = () => handleEnrol({ clientId, workstation: 'WS-A', enrolmentKey: ENROLMENT_KEY }, storage, ENROLMENT_KEY, fixedRules.now(), ['DMO']);
    const first = await enrol();
    const [held] = await storage.devicesNamed('WS-A');
    expect(held).toMatchObject({ clientId });
    const allow = await refuseEntriesOf(opened, factory.name, 'access.enrol');

    await expect(enrol()).rejects.toThrow('audit log full');
    // The workstation's token is the one it holds, and the next enrolment draws the generation this one would have.
    expect(await storage.devicesNamed('WS-A')).toEqual([held]);
    await allow();
    const again = await enrol();
    expect(again.referenceGeneration).toBe(first.referenceGeneration! + 1);
    const entries = (await storage.auditEntries(0, 1000)).filter((e) => e.command === 'access.enrol');
    expect(entries.map((e) => JSON.parse(e.after!) as { referenceGeneration: number }).map((d) => d.referenceGeneration)).toEqual([first.referenceGeneration, again.referenceGeneration]);
  });
});
