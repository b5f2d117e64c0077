import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { SCHEMA_VERSION, type LiveMessage } from '../../shared/sync/protocol';
import { eventually, silentLog } from '../fakes/fixtures';
import { createIncidentCommand, fixedRules, pushTo } from '../fakes/storages';
import { registerTestOperators } from '../fakes/access';
import { HttpWorkstation } from '../fakes/http-workstation';
import { TEST_ENROLMENT_KEY } from '../fakes/processes';

// A change committed through another instance, whose notification this instance never heard: the head it reads now
// and then finds it, and its workstations are sent it.

let storage: SqliteStorage;
let server: CentralServer;
beforeEach(async () => {
  storage = SqliteStorage.open(':memory:');
  await registerTestOperators(storage, fixedRules, ['alice']);
  server = await startCentralServer({ storage, rules: fixedRules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: TEST_ENROLMENT_KEY, headPollMs: 50 });
});
afterEach(async () => {
  await server.close();
});

describe('an instance whose storage tells it nothing of changes made elsewhere', () => {
  it('still sends its live workstations a change written to the storage by another, found by reading the head', async () => {
    const watcher = await HttpWorkstation.enrol(server.url, randomUUID());
    const socket = watcher.live(server.url, SCHEMA_VERSION);
    const messages: LiveMessage[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as LiveMessage));
    await eventually(() => messages.length > 0, 'the hello');
    const base = (messages[0] as { head: number }).head;

    // Written past this server (as another instance would), so neither its push path nor a notification tells it.
    const clientId = randomUUID();
    await pushTo(storage, clientId, [createIncidentCommand(clientId, 1)]);
    await eventually(() => messages.some((m) => m.type === 'changes' && m.upTo === base + 2), 'a batch with the change made elsewhere');
    socket.close();
    expect(messages.find((m) => m.type === 'changes')).toMatchObject({ since: base, changes: [expect.objectContaining({ kind: 'incident' }), expect.objectContaining({ kind: 'logEntry' })] });
  });
});
