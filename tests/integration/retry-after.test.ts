import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkstationStore } from '../../main/store/workstation-store';
import { issueCommand } from '../../main/sync/issue-command';
import { HttpServerLink } from '../../main/sync/server-link';
import { SyncClient } from '../../main/sync/sync-client';
import { PushAdmission } from '../../server/push-admission';
import { HttpError } from '../../server/http/read-body';
import { unverifiedLocation } from '../../shared/domain/location';
import { systemClock } from '../../shared/domain/time';
import { rememberSignIn } from '../fakes/access';
import { demoConfig } from '../fakes/fixtures';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { makeTempDir } from '../fakes/temp-dir';

// A server busy taking a room's outboxes turns a push away with 503 and Retry-After; the workstation comes back no
// sooner than it was asked, spread over as long again, not on its own short backoff with the rest of the room.
let dir: ReturnType<typeof makeTempDir>;
let server: Server;
let url: string;
const stores: WorkstationStore[] = [];
beforeEach(async () => {
  dir = makeTempDir();
  // Busy: every push is turned away for 3 s; the live channel is not offered.
  server = createServer((request, response) => {
    request.resume();
    const busy = request.url?.startsWith('/v1/push');
    response.writeHead(busy ? 503 : 404, { 'content-type': 'application/json', ...(busy ? { 'retry-after': '3' } : {}) });
    response.end(JSON.stringify({ error: busy ? 'the server is busy' : 'no such thing here' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  await new Promise((resolve) => server.close(resolve));
  dir.remove();
});

/** A workstation with one command in its outbox, on timers the test reads, its jitter drawn as `random` says. */
async function workstation(random: () => number) {
  const store = WorkstationStore.open(join(dir.path, `ws-${randomUUID()}.sqlite`));
  stores.push(store);
  const link = new HttpServerLink({
    baseUrl: url,
    device: { clientId: store.clientId, workstation: 'WS-A', token: () => 'a-device-token', saveToken: () => undefined, enrolmentKey: null },
    heartbeatMs: 60_000,
  });
  const scheduler = new ManualScheduler();
  await rememberSignIn(store, 'alice', 'demo');
  const sync = new SyncClient({ store, link, config: demoConfig, clock: systemClock, scheduler, random, onRecordsChanged: () => undefined, onStatusChanged: () => undefined });
  issueCommand(store, demoConfig, { operator: 'alice', workstation: 'WS-A', ticket: 'a-ticket' }, 'incident.create', {
    incidentId: randomUUID(),
    provisionalReference: 'WS-A-P1',
    type: 'BURGLARY',
    location: unverifiedLocation('1 High Street'),
    grade: '2',
    firstLog: null,
  }, new Date().toISOString());
  return { sync, scheduler, store };
}

describe('a workstation turned away by a busy server', () => {
  it('tries again no sooner than the Retry-After, spread over as long again, and keeps its command', async () => {
    const soonest = await workstation(() => 0);
    const latest = await workstation(() => 0.99);
    for (const ws of [soonest, latest]) {
      ws.sync.kick();
      await ws.sync.settled();
      expect(ws.sync.status()).toMatchObject({ connection: 'offline', pending: 1 });
    }
    // Its own backoff would have tried again within half a second: the retry waits the 3 s asked, plus jitter.
    const retry = (ws: Awaited<ReturnType<typeof workstation>>) => Math.max(...ws.scheduler.pendingDelays());
    expect(retry(soonest)).toBe(3_000);
    expect(retry(latest)).toBe(5_970);
    for (const ws of [soonest, latest]) ws.sync.stop();
  });
});

describe('pushes admitted when a room arrives at once', () => {
  it('wait their turn while the wait is short, and past that are turned away with a Retry-After of the wait', async () => {
    let now = 0;
    const admission = new PushAdmission({ concurrent: 1, maxWaitMs: 1_000, now: () => now });
    // One push that took 600 ms sets the estimate.
    await admission.admit(async () => {
      now += 600;
    });
    let finish: () => void = () => undefined;
    const running = admission.admit(() => new Promise<void>((resolve) => (finish = resolve)));
    // One waiting: 600 ms expected, within the limit.
    const waiting = admission.admit(async () => 'second');
    // Another would wait 1.2 s: turned away, told to come back in 2 s.
    const refused = await admission.admit(async () => 'third').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 503, retryAfterSeconds: 2 });
    expect(admission.turnedAway).toBe(1);
    now += 600;
    finish();
    await running;
    expect(await waiting).toBe('second');
  });
});
