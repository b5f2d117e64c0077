import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { PullCoalescer } from '../../server/pull-coalescer';
import { pageForClient } from '../../server/outcome-for-client';
import type { Recipient } from '../../server/changes-for';
import type { ChangesPage } from '../../server/storage/storage';
import { SCHEMA_VERSION } from '../../shared/sync/protocol';
import { createIncidentCommand, fixedRules, pushTo } from '../fakes/storages';
import { registerTestOperators } from '../fakes/access';

let storage: SqliteStorage;
beforeEach(async () => {
  storage = SqliteStorage.open(':memory:');
  await registerTestOperators(storage, fixedRules, ['alice']);
});
afterEach(() => storage.close());

/** The storage as the coalescer reads it, counting its reads of the changes. */
function counted() {
  const reads: { since: number; limit: number }[] = [];
  return {
    reads,
    storage: {
      changes: (since: number, limit: number): Promise<ChangesPage> => {
        reads.push({ since, limit });
        return storage.changes(since, limit);
      },
      progress: (clientId: string, afterClientSeq: number) => storage.progress(clientId, afterClientSeq),
    },
  };
}

describe('a burst of pulls for the same range', () => {
  it('is served by one read of the changes, each workstation getting its own progress, refusals and partition', async () => {
    const [maker, refused, watcher, neighbour] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await pushTo(storage, maker, [createIncidentCommand(maker, 1), createIncidentCommand(maker, 2)]);
    // A log line on an incident that does not exist: refused, and the refusal is this workstation's alone.
    await pushTo(storage, refused, [{ ...createIncidentCommand(refused, 1), name: 'incident.addLog', args: { incidentId: randomUUID(), entryId: randomUUID(), text: 'lost' } }]);
    const recipients: Recipient[] = [
      { clientId: maker, schemaVersion: SCHEMA_VERSION, force: 'DMO' },
      { clientId: refused, schemaVersion: SCHEMA_VERSION, force: 'DMO' },
      { clientId: watcher, schemaVersion: SCHEMA_VERSION, force: 'DMO' },
      // Another force's workstation: the same rows read, none of them its to see.
      { clientId: neighbour, schemaVersion: SCHEMA_VERSION, force: 'NBR' },
    ];
    const { reads, storage: reading } = counted();
    const coalescer = new PullCoalescer(reading);
    const query = (clientId: string) => ({ since: 1, clientId, afterClientSeq: 0, limit: 100 });

    const answers = await Promise.all(recipients.map(async (r) => pageForClient(await coalescer.pull(query(r.clientId)), r)));

    expect(reads).toEqual([{ since: 1, limit: 100 }]);
    // Each is what its own pull, read alone, gives.
    for (const [i, r] of recipients.entries()) expect(answers[i]).toEqual(pageForClient(await storage.pull(query(r.clientId)), r));
    expect(answers.map((a) => a.lastClientSeq)).toEqual([2, 1, 0, 0]);
    expect(answers.map((a) => a.rejected.length)).toEqual([0, 1, 0, 0]);
    expect(answers[2]!.changes.map((c) => c.kind)).toContain('incident');
    expect(answers[3]!.changes).toEqual([]);
    expect(new Set(answers.map((a) => a.upTo))).toEqual(new Set([await storage.head()]));
  });

  it('reads again for a pull that asks once the read has begun, and for another range', async () => {
    const maker = randomUUID();
    await pushTo(storage, maker, [createIncidentCommand(maker, 1)]);
    const { reads, storage: reading } = counted();
    const coalescer = new PullCoalescer(reading);
    const first = coalescer.pull({ since: 1, clientId: randomUUID(), afterClientSeq: 0, limit: 100 });
    const other = coalescer.pull({ since: 2, clientId: randomUUID(), afterClientSeq: 0, limit: 100 });
    await first;
    // Committed after the first read: a pull now must see it, never the first read's older answer.
    await pushTo(storage, maker, [createIncidentCommand(maker, 2)]);
    const late = await coalescer.pull({ since: 1, clientId: maker, afterClientSeq: 0, limit: 100 });
    await other;
    expect(reads).toEqual([{ since: 1, limit: 100 }, { since: 2, limit: 100 }, { since: 1, limit: 100 }]);
    expect(late).toMatchObject({ lastClientSeq: 2, head: await storage.head(), upTo: await storage.head() });
  });
});

describe('an idle pull (the workstation at the head)', () => {
  it('reads no changes, and answers exactly as a pull read whole would', async () => {
    const maker = randomUUID();
    await pushTo(storage, maker, [createIncidentCommand(maker, 1)]);
    const head = await storage.head();
    const { reads, storage: reading } = counted();
    const coalescer = new PullCoalescer(reading);
    const query = { since: head, clientId: maker, afterClientSeq: 0, limit: 100 };

    const answer = await coalescer.pull(query);

    expect(reads).toEqual([]);
    expect(answer).toEqual(await storage.pull(query));
    expect(answer).toMatchObject({ since: head, upTo: head, head, changes: [], hasMore: false, lastClientSeq: 1 });
  });

  it('still reads the changes when one was committed after its cursor', async () => {
    const maker = randomUUID();
    await pushTo(storage, maker, [createIncidentCommand(maker, 1)]);
    const since = await storage.head();
    await pushTo(storage, maker, [createIncidentCommand(maker, 2)]);
    const { reads, storage: reading } = counted();

    const answer = await new PullCoalescer(reading).pull({ since, clientId: maker, afterClientSeq: 1, limit: 100 });

    expect(reads).toEqual([{ since, limit: 100 }]);
    expect(answer.changes.length).toBeGreaterThan(0);
    expect(answer).toMatchObject({ since, upTo: await storage.head(), lastClientSeq: 2 });
  });
});
