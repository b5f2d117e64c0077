import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LinkError, type LiveHandlers } from '../../main/sync/server-link';
import { unverifiedLocation } from '../../shared/domain/location';
import { InProcessLink } from '../fakes/in-process-link';
import { harnessRoom } from '../fakes/harness-room';
import { WorkstationHarness } from '../fakes/workstation-harness';

// A server that says when to come back (503 or 429 with Retry-After) is not contacted before then, however much the
// operator types: the commands wait in the outbox and go in one push when the wait ends (the harness's jitter is 0.5,
// so a Retry-After of 2 s is a wait of 3 s). Found by a tester: every new command pushed at once, a room coming back
// from a restart pushing 8-9 times a desk in the half second it was told to wait 2 s.
const room = harnessRoom(['op-WS-A']);

/**
 * WS-A on a link that turns pushes away with 503 and Retry-After while `busy`, and refuses the live channel's
 * handshake so while `liveRefused`; counts what reaches the server.
 */
function workstation() {
  const link = new InProcessLink(room.server, room.rules, room.secret);
  const w = new WorkstationHarness(room.dir.path, 'WS-A', link);
  room.open.push(w);
  const seen = { pushes: [] as number[], liveTries: 0, busy: false, liveRefused: false };
  const push = link.push.bind(link);
  link.push = async (request) => {
    seen.pushes.push(request.commands.length);
    if (seen.busy) throw new LinkError('server answered 503: {"error":"the server is busy"}', true, 503, undefined, 'the server is busy', 2_000);
    return push(request);
  };
  const live = link.live.bind(link);
  link.live = (handlers: LiveHandlers) => {
    seen.liveTries += 1;
    if (!seen.liveRefused) return live(handlers);
    queueMicrotask(() => handlers.onClose('live channel refused: the server answered 503', undefined, 2_000));
    return () => undefined;
  };
  return { w, link, seen };
}

/** Lets the link's answers and the cycles they start run out. */
async function settle(w: WorkstationHarness): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await w.sync.settled();
  await new Promise((resolve) => setImmediate(resolve));
  await w.sync.settled();
}

function create(w: WorkstationHarness, n: number) {
  w.issue('incident.create', { incidentId: randomUUID(), provisionalReference: `WS-A-P${String(n).padStart(4, '0')}`, type: 'BURGLARY', location: unverifiedLocation(`${n} High Street`), grade: '2', firstLog: null });
  w.sync.send();
}

const serverIncidents = () => (room.server.database.prepare(`SELECT COUNT(*) AS n FROM records WHERE kind = 'incident'`).get() as { n: number }).n;

/** An operator at work: incidents `from` to `to` created here, each saved, half a second of the workstation's clock apart. */
async function createHalfASecondApart(w: WorkstationHarness, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) {
    create(w, n);
    await settle(w);
    w.scheduler.advance(500);
    await settle(w);
  }
}

describe('a workstation the server asked to wait (Retry-After)', () => {
  it('after a push turned away with Retry-After: 2, pushes nothing more, whatever is issued or asked, until the wait is over; then one push carries them all', async () => {
    const { w, link, seen } = workstation();
    w.sync.start();
    await settle(w);
    seen.busy = true;
    create(w, 1);
    await settle(w);
    expect(seen.pushes).toEqual([1]);
    expect(w.sync.status()).toMatchObject({ connection: 'offline', pending: 1 });

    // Busy operators go on working: each command is saved here, and none makes the workstation push.
    await createHalfASecondApart(w, 2, 5);
    // Nor does "sync now", or a poke on the live channel telling of changes at other desks.
    w.sync.kick();
    link.poke(99);
    await settle(w);
    w.scheduler.advance(2_999 - 2_000);
    await settle(w);
    expect(seen.pushes).toEqual([1]);
    expect(w.store.outbox.pendingCount()).toBe(5);
    expect(w.sync.status()).toMatchObject({ pending: 5 });

    seen.busy = false;
    w.scheduler.advance(1);
    await settle(w);
    expect(seen.pushes).toEqual([1, 5]);
    expect(w.store.outbox.pendingCount()).toBe(0);
    expect(serverIncidents()).toBe(5);
    expect(w.sync.status()).toMatchObject({ connection: 'online', pending: 0 });
  });

  it('after a failure that named no time, a new command still goes at once (the backoff is its own)', async () => {
    const { w, link, seen } = workstation();
    w.sync.start();
    await settle(w);
    link.failNextPushes = 1;
    create(w, 1);
    await settle(w);
    create(w, 2);
    await settle(w);
    expect(seen.pushes).toEqual([1, 2]);
    expect(serverIncidents()).toBe(2);
  });

  it("after its live channel's handshake is refused with Retry-After: 2, neither reconnects nor pushes until the wait is over; then opens once and one push carries the commands", async () => {
    const { w, link, seen } = workstation();
    w.sync.start();
    await settle(w);
    expect(link.liveChannels).toBe(1);
    // The channel drops; the server, back but busy, refuses the next handshake saying when to come back.
    seen.liveRefused = true;
    link.cut();
    link.up = true;
    await settle(w);
    w.scheduler.advance(w.scheduler.pendingDelays()[0]!);
    await settle(w);
    expect(seen.liveTries).toBe(2);
    const pushesBefore = seen.pushes.length;

    await createHalfASecondApart(w, 1, 3);
    w.sync.kick();
    await settle(w);
    w.scheduler.advance(2_999 - 1_500);
    await settle(w);
    expect(seen.liveTries).toBe(2);
    expect(seen.pushes.length).toBe(pushesBefore);
    expect(w.store.outbox.pendingCount()).toBe(3);

    seen.liveRefused = false;
    w.scheduler.advance(1);
    await settle(w);
    expect(seen.liveTries).toBe(3);
    expect(link.liveChannels).toBe(1);
    expect(seen.pushes.slice(pushesBefore)).toEqual([3]);
    expect(w.store.outbox.pendingCount()).toBe(0);
    expect(serverIncidents()).toBe(3);
  });
});
