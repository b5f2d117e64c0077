import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unverifiedLocation } from '../../shared/domain/location';
import { byHandShareId } from '../../shared/domain/share';
import type { Refusal } from '../../shared/domain/refusal';
import type { Incident } from '../../shared/domain/incident';
import { SCHEMA_VERSION, type PullResponse, type RecordChange } from '../../shared/sync/protocol';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { twoForcesOnOneServer } from '../fakes/two-forces-server';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

// Faults the fault simulation found once it ran two forces sharing and offering incidents, each on a real server and
// storage. (A third, a share cut to view and then revoked leaving the holder the log, is in
// assist-tier-between-forces.test.ts.)
const cluster = postgresForThisFile();

describe.each([sqliteFactory, postgresFactory(() => cluster)])('between two forces, on $name', (factory) => {
  const room = twoForcesOnOneServer(factory, {
    enrolmentKey: 'redo-refused-by-share-key',
    operators: [
      { force: 'DMO', names: ['alice'], roles: ['call_handler', 'dispatcher'] },
      { force: 'NBR', names: ['omar', 'sue'], roles: ['call_handler', 'dispatcher', 'supervisor'] },
    ],
  });
  const refusal = async (id: string) => (await room.storage.record({ kind: 'refusal', id })) as Refusal;

  // A command that did a refused one again, itself refused because the share no longer let its force write (the
  // partition's check, before the rules), left the refusal it redid waiting in the room's list, though its workstation
  // had marked it handled: one piece of work shown twice, the desks and the server disagreeing for good. Refused by
  // the rules or a lost race, it was already marked (plan-command.ts redoneAnyway); refused by the partition, now too.
  it('a redo refused by the share marks the refusal it redid as handled by it, the new refusal waiting in its place', async () => {
    const incidentId = randomUUID();
    const shareId = byHandShareId(incidentId, 'NBR');
    await room.happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-DMO-1', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null }, by: 'alice' },
      { name: 'share.create', args: { shareId, incidentId, sharedWith: 'NBR', tier: 'view', reason: 'On the border' }, by: 'alice' },
    ]);
    // NBR, holding it to view, writes in its log: refused by the share, and waiting in NBR's list of refusals.
    const line = { name: 'incident.addLog', args: { incidentId, entryId: randomUUID(), text: 'Seen heading north' }, by: 'omar' };
    const first = await room.push('NBR', [line]);
    expect(first.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'forbidden' })]);
    const [refusalId] = first.commandIds;
    expect(await refusal(refusalId!)).toMatchObject({ status: 'waiting' });

    // Its supervisor redoes it as it was: refused again for the same share.
    const redo = await room.push('NBR', [{ ...line, by: 'sue', redoOf: { refusalId: refusalId!, action: 'redone', at: '2026-11-29T09:59:00.000Z' } }]);
    expect(redo.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'forbidden', reason: expect.stringContaining('to view only') })]);
    const [redoneAs] = redo.commandIds;
    expect(await refusal(refusalId!)).toMatchObject({ status: 'handled', action: 'redone', handledBy: 'sue', redoneAs });
    expect(await refusal(redoneAs!)).toMatchObject({ status: 'waiting', operator: 'sue' });
  });

  // The server sends a record again when a share changes what a force may see of it; a revoked share sent only
  // withdrawals, of what the force could no longer see. One it still saw through another share (the view a transfer
  // keeps for the old owner) kept the cut the revoked share had given it: DMO's desks showed NBR's incident at the
  // assist tier for good, though it held it to view only.
  it('a share revoked while another still shows the incident sends it again, cut to the share that stands', async () => {
    const incidentId = randomUUID();
    const transferId = randomUUID();
    await room.happen('NBR', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-NBR-1', type: 'COLLISION', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null }, by: 'omar' },
      { name: 'transfer.offer', args: { transferId, incidentId, incidentVersion: 1, to: 'DMO', reason: 'Their side of the border' }, by: 'omar' },
    ]);
    await room.happen('DMO', [{ name: 'transfer.accept', args: { transferId, transferVersion: 1, incidentId }, by: 'alice' }]);
    // DMO's now; NBR keeps a view of it. DMO shares it back at assist: NBR's desk holds it cut to assist.
    const shareId = byHandShareId(incidentId, 'NBR');
    await room.happen('DMO', [{ name: 'share.create', args: { shareId, incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'Their units are nearer' }, by: 'alice' }]);
    let cursor = 0;
    const nbrDeskTakes = async (): Promise<RecordChange[]> => {
      const { clientId, token } = room.desks.NBR;
      const response = await fetch(new URL(`/v1/pull?since=${cursor}&clientId=${clientId}&afterClientSeq=0&schemaVersion=${SCHEMA_VERSION}`, room.server.url), { headers: { authorization: `Bearer ${token}` } });
      const page = (await response.json()) as PullResponse;
      cursor = page.upTo;
      return page.changes;
    };
    const incidentIn = (changes: RecordChange[]) => changes.filter((c) => c.kind === 'incident' && c.id === incidentId).at(-1)?.doc as Incident | undefined;
    expect(incidentIn(await nbrDeskTakes())?.sharedView?.tier).toBe('assist');

    // DMO revokes its share: NBR still sees the incident through the transfer's view, and is sent it cut to that.
    await room.happen('DMO', [{ name: 'share.revoke', args: { shareId, reason: 'Ours now' }, by: 'alice' }]);
    expect(incidentIn(await nbrDeskTakes())?.sharedView?.tier).toBe('view');
  });
});
