import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadForceConfig, neighbourForceConfigFile } from '../../node-common/force-config-file';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import type { ServerRules } from '../../server/commands/plan-command';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { byHandShareId } from '../../shared/domain/share';
import { SCHEMA_VERSION, type CommandEnvelope, type LiveChanges, type LiveMessage, type RecordChange } from '../../shared/sync/protocol';
import { registerTestOperators, ticketFor } from '../fakes/access';
import { demoConfig, eventually, silentLog } from '../fakes/fixtures';
import { HttpWorkstation } from '../fakes/http-workstation';
import { TEST_ENROLMENT_KEY } from '../fakes/processes';
import { createIncidentCommand } from '../fakes/storages';

// A live batch goes to workstations whose cursors lie anywhere in its range. A share in it must hand the other force
// every record of the incident it now sees, including one written in the same batch before a workstation of that
// force pulled: found in use (tryout15a), where such a line was never seen by the workstation at all.

const nbr = loadForceConfig(neighbourForceConfigFile());
const rules: ServerRules = { config: demoConfig, alsoServes: [nbr], now: () => Date.now() };

let storage: SqliteStorage;
let server: CentralServer;
beforeEach(async () => {
  storage = SqliteStorage.open(':memory:');
  await registerTestOperators(storage, rules, ['alice']);
  // Batches at most once a second: the line, the pull and the share below all fall between two of them.
  server = await startCentralServer({ storage, rules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: TEST_ENROLMENT_KEY, liveMinIntervalMs: 1_000 });
});
afterEach(async () => {
  await server.close();
});

/** What a workstation takes of a live batch: the changes past its cursor, in order (sync-client's applyLiveChanges). */
const taken = (batch: LiveChanges, cursor: number): RecordChange[] => batch.changes.filter((change) => change.seq > cursor);

describe('a share in a live batch, for a workstation of the other force that pulled within the batch', () => {
  it('hands over the line written on the incident just before it, which the workstation could not see when it pulled', async () => {
    const dmo = await HttpWorkstation.enrol(server.url, randomUUID());
    const ticket = await ticketFor(storage, 'alice', dmo.clientId);
    const watcher = await HttpWorkstation.enrol(server.url, randomUUID(), TEST_ENROLMENT_KEY, 'NBR');
    const socket = watcher.live(server.url, SCHEMA_VERSION);
    const messages: LiveMessage[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as LiveMessage));
    await eventually(() => messages.length > 0, 'the hello');
    // A workstation of DMO's, to tell when a batch NBR sees nothing of has gone.
    const own = dmo.live(server.url, SCHEMA_VERSION);
    const ownMessages: LiveMessage[] = [];
    own.on('message', (data) => ownMessages.push(JSON.parse(data.toString()) as LiveMessage));
    await eventually(() => ownMessages.length > 0, 'the hello to DMO');

    let clientSeq = 0;
    const now = () => new Date().toISOString();
    const command = (name: string, args: unknown): CommandEnvelope => ({ ...createIncidentCommand(dmo.clientId, ++clientSeq), name, args, issuedAt: now(), ticket });
    const incidentId = randomUUID();
    const created = createIncidentCommand(dmo.clientId, ++clientSeq, { issuedAt: now(), ticket });
    await dmo.pushed([{ ...created, args: { ...(created.args as object), incidentId } }]);
    // The incident's own batch goes at once (the room was quiet); what follows waits for the next.
    await eventually(() => ownMessages.some((m) => m.type === 'changes'), 'the batch with the new incident');
    const entryId = randomUUID();
    expect((await dmo.pushed([command('incident.addLog', { incidentId, entryId, text: 'Line before the share' })])).outcomes[0]).toMatchObject({ status: 'applied' });
    const cursor = (await watcher.pulled(0)).upTo;
    expect((await dmo.pushed([command('share.create', { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'NBR units nearer' })])).outcomes[0]).toMatchObject({ status: 'applied' });

    await eventually(() => messages.some((m) => m.type === 'changes' && m.changes.some((c) => c.kind === 'share')), 'the batch with the share');
    socket.close();
    own.close();
    const batch = messages.find((m): m is LiveChanges => m.type === 'changes' && m.changes.some((c) => c.kind === 'share'))!;
    // The line and the share came in one batch, which began before the workstation's cursor: the case in question.
    expect(batch.since).toBeLessThan(cursor);
    const kept = taken(batch, cursor);
    expect(kept.map((change) => `${change.kind}/${change.id}`)).toEqual(expect.arrayContaining([`incident/${incidentId}`, `logEntry/${entryId}`]));
  });
});
