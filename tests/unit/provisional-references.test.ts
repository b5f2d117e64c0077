import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generationsBeforeCounting } from '../../server/access/reference-generations';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { matchReference, provisionalPrefix, provisionalReference } from '../../shared/domain/reference';
import { unverifiedLocation } from '../../shared/domain/location';
import type { CordonApi } from '../../renderer/api/cordon-api';
import { findByReference } from '../../renderer/features/command-line/use-intents';

// Provisional references: minted by a workstation alone, unique across every data file enrolled under one name.

describe('provisional references', () => {
  it('read as the workstation, its generation after the first, and its counter', () => {
    expect(provisionalReference('ct 3', null, 42)).toBe('CT-3-P0042');
    expect(provisionalReference('CT-3', 1, 42)).toBe('CT-3-P0042');
    expect(provisionalReference('CT-3', 2, 42)).toBe('CT-3-P2-0042');
    expect(provisionalReference('CT-3', 12, 10_001)).toBe('CT-3-P12-10001');
    expect(provisionalPrefix('  ws 1 ')).toBe('WS-1');
  });

  it('never repeat across generations and counters, nor across names that differ', () => {
    const seen = new Set<string>();
    let minted = 0;
    for (const name of ['WS', 'WS-P2', 'WS-P1', 'WS-1']) {
      for (const generation of [null, 2, 3, 10, 11, 12]) {
        for (const counter of [1, 2, 10, 11, 12, 110, 111, 1000, 1100, 1111, 10_000, 11_000, 11_111, 100_000]) {
          seen.add(provisionalReference(name, generation, counter));
          minted++;
        }
      }
    }
    expect(seen.size).toBe(minted);
  });

  it('find the one a typed reference names, or every incident bearing it when old data has two', () => {
    const incident = (reference: string | null, provisionalReference: string) => ({ reference, provisionalReference });
    const a = incident('DMO-20261129-0001', 'WS1-P0003');
    const b = incident('DMO-20261130-0007', 'WS1-P0003');
    const c = incident(null, 'WS1-P0031');
    expect(matchReference('WS1-P0003', [a, b, c])).toEqual({ kind: 'several', incidents: [a, b], exact: true });
    expect(matchReference('DMO-20261130-0007', [b])).toEqual({ kind: 'one', incident: b });
    expect(matchReference('WS1-P0031', [c])).toEqual({ kind: 'one', incident: c });
    expect(matchReference('WS1-P0003', [a, c])).toEqual({ kind: 'one', incident: a }); // the exact one, not the prefix
    expect(matchReference('WS1-P00', [a, c])).toEqual({ kind: 'several', incidents: [a, c], exact: false });
    expect(matchReference('WS9', [])).toEqual({ kind: 'none' });
  });
});

describe('FIND, LINK and ATT on the command line', () => {
  const found = (incidents: unknown[]) => ({ call: async () => ({ incidents }) }) as unknown as CordonApi;
  const incident = (reference: string | null, provisionalReference: string, where: string) => ({ id: randomUUID(), reference, provisionalReference, location: unverifiedLocation(where) });

  it('take the one incident a reference names, and name both when old data has two of one reference', async () => {
    const old = incident('DMO-20261129-0001', 'WS1-P0003', '14 Shirley Road');
    const same = incident('DMO-20261130-0007', 'WS1-P0003', '2 Park Lane');
    await expect(findByReference(found([old]), 'WS1-P0003')).resolves.toBe(old);
    await expect(findByReference(found([old, same]), 'WS1-P0003')).rejects.toThrow(
      'WS1-P0003 is 2 incidents: DMO-20261129-0001 at 14 Shirley Road; DMO-20261130-0007 at 2 Park Lane. Use the force reference',
    );
    await expect(findByReference(found([old, incident(null, 'WS1-P00031', 'x')]), 'WS1-P0003')).resolves.toBe(old);
    await expect(findByReference(found([]), 'WS9-P0001')).rejects.toThrow('no incident WS9-P0001');
  });
});

describe('reference generations at enrolment', () => {
  it('count a data file enrolled before generations as the first, so the next enrolment of its name is the second', async () => {
    expect(generationsBeforeCounting('CT 3', ['CT-3', 'CT-4'])).toBe(1);
    expect(generationsBeforeCounting('CT 3', ['CT-4'])).toBe(0);

    const storage = SqliteStorage.open(':memory:');
    try {
      // A workstation enrolled by an earlier version: its row, no generation counted.
      storage.database.prepare(`INSERT INTO devices (client_id, workstation, token_hash, enrolled_at) VALUES (?, 'WS-1', 'old', '2026-01-01T00:00:00.000Z')`).run(randomUUID());
      const enrol = (workstation: string) => storage.enrolDevice({ clientId: randomUUID(), workstation, force: 'DMO', tokenHash: randomUUID(), enrolledAt: '2026-11-29T10:00:00.000Z' });
      expect(await enrol('WS-1')).toEqual({ referenceGeneration: 2 });
      expect(await enrol('WS-2')).toEqual({ referenceGeneration: 1 });
    } finally {
      await storage.close();
    }
  });
});
