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
import { PROTOCOL_PATHS } from '../../shared/sync/protocol';
import { rememberSignIn } from '../fakes/access';
import { demoConfig } from '../fakes/fixtures';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { makeTempDir } from '../fakes/temp-dir';

// A server busy taking a room's outboxes turns a push away with 503 and Retry-After; the workstation comes back no
// sooner than it was asked, spread over as long again, not on its own short backoff with the rest of the room.
let dir: ReturnType<typeof makeTempDir>;
let server: Server;
let url: string;
/** Requests that reached the stand-in: pushes (how many commands each carried), and handshakes of the live channel. */
let heard: { pushes: number[]; live: number };
const stores: WorkstationStore[] = [];
beforeEach(async () => {
  dir = makeTempDir();
  heard = { pushes: [], live: 0 };
  // Busy: every push, and every handshake of the live channel, is turned away for 3 s (as the tester's stand-in did).
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const live = request.url?.startsWith(PROTOCOL_PATHS.live) === true;
      const push = request.url?.startsWith(PROTOCOL_PATHS.push) === true;
      if (live) heard.live += 1;
      if (push) heard.pushes.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { commands: unknown[] }).commands.length);
      const busy = push || live;
      response.writeHead(busy ? 503 : 404, { 'content-type': 'application/json', ...(busy ? { 'retry-after': '3' } : {}) });
      response.end(JSON.stringify({ error: busy ? 'the server is busy' : 'no such thing here' }));
    });
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
    device: { clientId: store.clientId, workstation: 'WS-A', force: null, token: () => 'a-device-token', saveToken: () => undefined, enrolmentKey: null },
    heartbeatMs: 60_000,
  });
  const scheduler = new ManualScheduler();
  await rememberSignIn(store, 'alice', 'demo');
  const sync = new SyncClient({ store, link, config: demoConfig, clock: systemClock, scheduler, random, onRecordsChanged: () => undefined, onStatusChanged: () => undefined });
  issue(store);
  return { sync, scheduler, store, issue: () => issue(store) };
}

/** An incident created at the workstation, as its operator would: saved here, waiting in the outbox. */
function issue(store: WorkstationStore): void {
  issueCommand(store, demoConfig, { operator: 'alice', workstation: 'WS-A', ticket: 'a-ticket' }, 'incident.create', {
    incidentId: randomUUID(),
    provisionalReference: `WS-A-P${store.outbox.pendingCount() + 1}`,
    type: 'BURGLARY',
    location: unverifiedLocation('1 High Street'),
    grade: '2',
    firstLog: null,
  }, new Date().toISOString());
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

  it('turned away on its push and its live channel, contacts the server for nothing issued meanwhile until the wait is over, then pushes everything once', async () => {
    const ws = await workstation(() => 0);
    ws.sync.start();
    // The push and the live channel's handshake each answered 503, Retry-After: 3.
    await until(() => heard.pushes.length === 1 && heard.live === 1 && ws.scheduler.pendingDelays().length === 2);
    expect(ws.scheduler.pendingDelays()).toEqual([3_000, 3_000]);
    // Its operator goes on issuing commands, and asks for a sync: each saved here, none sent.
    for (let n = 0; n < 3; n++) {
      ws.issue();
      ws.sync.send();
    }
    ws.sync.kick();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await ws.sync.settled();
    expect(heard).toEqual({ pushes: [1], live: 1 });
    expect(ws.scheduler.pendingDelays()).toEqual([3_000, 3_000]);
    expect(ws.sync.status()).toMatchObject({ connection: 'offline', pending: 4 });
    // The wait over, it tries again: the live channel once, and one push with every command.
    ws.scheduler.advance(3_000);
    await until(() => heard.pushes.length === 2 && heard.live === 2);
    await ws.sync.settled();
    expect(heard).toEqual({ pushes: [1, 4], live: 2 });
    ws.sync.stop();
  });
});

/** Waits (in real time, the link's requests being real) until `done`, failing after 5 s. */
async function until(done: () => boolean): Promise<void> {
  for (const started = Date.now(); !done(); ) {
    if (Date.now() - started > 5_000) throw new Error('waited 5 s in vain');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

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
