import { afterEach, describe, expect, it } from 'vitest';
import { RefusalTally, type DoorRefusal } from '../../server/access/refusal-tally';
import type { AuditDraft } from '../../server/audit/audit-chain';
import type { ServerStorage } from '../../server/storage/storage';
import { silentLog } from '../fakes/fixtures';

// The door's refusals reach the audit log without letting whoever reaches the port fill it: the first from a source
// at once, the rest of its minute as one counted entry, and a bounded number of sources a minute.
const T0 = Date.parse('2026-12-01T09:00:00.000Z');

function door(source: string, overrides: Partial<DoorRefusal> = {}): DoorRefusal {
  return { kind: 'access-refused', action: 'access.device', source, reason: 'unknown token', request: 'sign-in', by: 'unknown workstation', subject: { kind: 'workstation', id: 'unknown' }, workstation: 'unknown', clientId: '', forces: ['DMO'], details: { source }, ...overrides };
}

describe('the tally of refusals at the door', () => {
  let clock = T0;
  const written: AuditDraft[] = [];
  let failing = false;
  const storage = {
    appendAuditEntries: async (drafts: AuditDraft[]) => {
      if (failing) throw new Error('storage unavailable');
      written.push(...drafts);
      return [];
    },
  } as unknown as ServerStorage;
  const tallies: RefusalTally[] = [];
  const tally = (maxSources = 1000) => {
    const made = new RefusalTally(storage, () => clock, silentLog, { windowMs: 60_000, maxSources });
    tallies.push(made);
    return made;
  };
  const said = (): Record<string, unknown>[] => written.map((d) => ({ operator: d.operator, ...(JSON.parse(d.after!) as Record<string, unknown>) }));
  afterEach(() => {
    for (const made of tallies.splice(0)) made.stop();
    written.length = 0;
    clock = T0;
    failing = false;
  });

  it('writes the first from a source at once, counts the rest of its minute, and writes their count when the minute is over', async () => {
    const doorway = tally();
    await doorway.note(door('10.0.0.9', { typed: 'priya' }));
    for (let i = 0; i < 500; i++) {
      clock = T0 + i * 100;
      await doorway.note(door('10.0.0.9', { typed: i % 2 ? 'dan' : 'carol' }));
    }
    expect(said()).toEqual([{ operator: 'priya', source: '10.0.0.9', reason: 'unknown token', request: 'sign-in', count: 1 }]);
    clock = T0 + 61_000;
    await doorway.flush(false);
    expect(said()[1]).toEqual({ operator: 'unknown workstation', source: '10.0.0.9', reason: 'unknown token', request: 'sign-in', count: 500, from: '2026-12-01T09:00:00.000Z', to: '2026-12-01T09:00:49.900Z', typed: 'carol, dan' });
    // Another reason, or another kind of request, is a line of its own.
    await doorway.note(door('10.0.0.9', { request: 'sending commands' }));
    expect(written).toHaveLength(3);
  });

  it('counts every source past the limit as one, so a crowd of addresses cannot write a line each', async () => {
    const doorway = tally(2);
    for (let i = 0; i < 50; i++) await doorway.note(door(`10.0.1.${i}`));
    expect(said().map((d) => d.source)).toEqual(['10.0.1.0', '10.0.1.1', 'many sources (too many to count apart)']);
    await doorway.flush(true);
    expect(said().at(-1)).toMatchObject({ source: 'many sources (too many to count apart)', count: 47 });
  });

  it('fails the refusal if its first entry cannot be written, and takes the next as a first again', async () => {
    const doorway = tally();
    failing = true;
    await expect(doorway.note(door('10.0.0.9'))).rejects.toThrow('storage unavailable');
    failing = false;
    await doorway.note(door('10.0.0.9'));
    expect(said()).toEqual([{ operator: 'unknown workstation', source: '10.0.0.9', reason: 'unknown token', request: 'sign-in', count: 1 }]);
  });
});
