import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planCommand } from '../../server/commands/plan-command';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { CommandPlan } from '../../server/storage/storage';
import { registerTestOperators } from '../fakes/access';
import { createIncidentCommand, fixedRules, pushTo } from '../fakes/storages';
import { makeTempDir } from '../fakes/temp-dir';

// The embedded server file commits the commands that arrive together in one transaction (one sync of the file for
// all), each in a savepoint of its own: as fast as the disk allows, and each command still applied or refused alone.
let dir: ReturnType<typeof makeTempDir>;
let file: string;
let storage: SqliteStorage;
beforeEach(async () => {
  dir = makeTempDir();
  file = join(dir.path, 'central.sqlite');
  storage = SqliteStorage.open(file);
  await registerTestOperators(storage, fixedRules, ['alice']);
});
afterEach(async () => {
  await storage.close();
  dir.remove();
});

describe('commands arriving together at the SQLite server', () => {
  it('from twenty workstations at once are committed in one transaction, each answered with its own place in the sequence, and all kept after a restart', async () => {
    const before = storage.commits;
    const head = await storage.head();
    const clients = Array.from({ length: 20 }, () => randomUUID());
    const answers = await Promise.all(clients.map((clientId) => pushTo(storage, clientId, [createIncidentCommand(clientId, 1)])));
    const seqs = answers.map((answer) => (answer.outcomes[0]?.status === 'applied' ? answer.outcomes[0].seq : null));
    expect(seqs.every((seq) => seq !== null)).toBe(true);
    expect(new Set(seqs).size).toBe(20);
    expect(Math.max(...(seqs as number[]))).toBe(await storage.head());
    expect(storage.commits).toEqual({ transactions: before.transactions + 1, commands: before.commands + 20 });

    await storage.close();
    storage = SqliteStorage.open(file);
    // Each creation writes two records: the incident and its log's first line.
    expect(await storage.head()).toBe(head + 40);
    for (const clientId of clients) expect(await storage.lastClientSeq(clientId)).toBe(1);
  });

  it('one that fails leaves the others of its group applied, and writes nothing of its own', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const plan = (clientId: string) => {
      const envelope = { ...createIncidentCommand(clientId, 1), ticket: 'checked before the storage' };
      return { envelope, plan: planCommand(envelope, fixedRules) };
    };
    const failing = plan(b);
    const broken: CommandPlan = {
      ...failing.plan,
      decide(state, nextSerial) {
        failing.plan.decide(state, nextSerial);
        throw new Error('a fault in the rules, after the decision drew its serial');
      },
    };
    const processedAt = new Date(fixedRules.now()).toISOString();
    const [first, third] = [plan(a), plan(c)];
    const head = await storage.head();
    const results = await Promise.allSettled([
      storage.process(first.envelope, first.plan, processedAt),
      storage.process(failing.envelope, broken, processedAt),
      storage.process(third.envelope, third.plan, processedAt),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toHaveProperty('message', 'a fault in the rules, after the decision drew its serial');
    expect(await storage.lastClientSeq(a)).toBe(1);
    expect(await storage.lastClientSeq(b)).toBe(0);
    expect(await storage.lastClientSeq(c)).toBe(1);
    expect(await storage.head()).toBe(head + 4);
    // The two applied incidents took consecutive numbers of the day: the failed one gave its number back.
    const references = (await storage.pull({ since: head, clientId: a, afterClientSeq: 0, limit: 10 })).changes.filter((change) => change.kind === 'incident').map((change) => (change.doc as { reference: string }).reference);
    expect(references).toHaveLength(2);
    expect(Number(references[1]!.slice(-4)) - Number(references[0]!.slice(-4))).toBe(1);
  });
});
