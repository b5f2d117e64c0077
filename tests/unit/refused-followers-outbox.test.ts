import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkstationStore } from '../../main/store/workstation-store';
import { applyPullPage } from '../../main/sync/apply-server-answers';
import type { Refusal } from '../../shared/domain/refusal';
import { SCHEMA_VERSION, type CommandEnvelope, type PullResponse } from '../../shared/sync/protocol';
import { demoConfig } from '../fakes/fixtures';

// A command that followed a refused one is kept on that command's refusal by the server (Refusal.followedBy) and
// answered as a conflict: the workstation forgets it once that refusal arrives, so it is neither a conflict waiting
// for ever nor a refused command of its own beside the one it followed.
describe('a follower kept on its leader’s refusal, at the workstation', () => {
  let store: WorkstationStore;
  beforeEach(() => {
    store = WorkstationStore.open(':memory:');
  });
  afterEach(() => store.close());

  const at = '2026-12-02T10:00:00.000Z';
  const envelope = (clientSeq: number, name: string, args: unknown, follows?: string[]): CommandEnvelope => ({
    commandId: randomUUID(), clientId: store.clientId, clientSeq, name, args, issuedAt: at, operator: 'quinn', ticket: 't', workstation: 'WS-NBR', schemaVersion: SCHEMA_VERSION,
    ...(follows ? { follows } : {}),
  });

  it('leaves one refused command, the leader, and no conflict in transit, once the refusal keeping the follower is pulled', () => {
    const assignmentId = randomUUID();
    const deploy = envelope(1, 'unit.assign', { assignmentId, unitId: 'NB-101', incidentId: randomUUID(), unitVersion: 3 });
    const press = envelope(2, 'assignment.setStatus', { assignmentId, unitId: 'NB-101', incidentId: randomUUID(), status: 'at_scene', assignmentVersion: 1 }, [deploy.commandId]);
    store.transaction(() => {
      store.outbox.append(deploy, [{ kind: 'assignment', id: assignmentId }]);
      store.outbox.append(press, [{ kind: 'assignment', id: assignmentId }]);
      store.outbox.markDead(1, 'forbidden', 'DMO has shared the incident with NBR to view only');
      store.outbox.markDead(2, 'conflict', 'refused with your earlier command (deploy a unit), which was refused');
    });
    expect(store.outbox.conflictsInTransit()).toBe(1);

    const refusal: Refusal = {
      id: deploy.commandId, force: 'NBR', commandName: deploy.name, args: deploy.args, operator: 'quinn', workstation: 'WS-NBR', clientId: store.clientId,
      issuedAt: at, refusedAt: at, code: 'forbidden', reason: 'DMO has shared the incident with NBR to view only', tooLarge: false, status: 'waiting',
      action: null, handledBy: null, handledAt: null, handledReason: '', redoneAs: null,
      followedBy: [{ commandId: press.commandId, commandName: press.name, args: press.args, operator: 'quinn', issuedAt: at, reason: 'the deployment does not exist' }],
      version: 2,
    };
    const page: PullResponse = { since: 0, upTo: 5, head: 5, changes: [{ seq: 5, kind: 'refusal', id: refusal.id, doc: refusal }], hasMore: false, lastClientSeq: 2, rejected: [] };
    applyPullPage(store, demoConfig, page);

    expect(store.outbox.conflictsInTransit()).toBe(0);
    expect(store.outbox.deadLetters().map((d) => d.envelope.commandId)).toEqual([deploy.commandId]);
  });
});
