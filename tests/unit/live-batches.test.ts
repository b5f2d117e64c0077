import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LiveHub, type LiveSocket } from '../../server/live-hub';
import type { ChangesPage } from '../../server/storage/storage';
import { SCHEMA_VERSION, type LiveChanges, type LiveMessage } from '../../shared/sync/protocol';
import { unverifiedLocation } from '../../shared/domain/location';
import { demoConfig } from '../fakes/fixtures';
import { InProcessLink } from '../fakes/in-process-link';
import { LinkError } from '../../main/sync/server-link';
import { harnessRoom } from '../fakes/harness-room';
import { T0, WorkstationHarness } from '../fakes/workstation-harness';
import { readLiveFrame } from '../../main/sync/live-frames';

const room = harnessRoom(['op-WS-A', 'op-WS-B']);

function workstation(name: string, options: { maxHeldChanges?: number } = {}) {
  const w = new WorkstationHarness(room.dir.path, name, new InProcessLink(room.server, room.rules, room.secret), demoConfig, options);
  room.open.push(w);
  return w;
}

/** WS-A writes a log line on its incident and sends it: the batch the room.server's hub would send the room for it. */
async function lineFromA(a: WorkstationHarness, incidentId: string, text: string): Promise<{ batch: LiveChanges; entryId: string }> {
  const since = await room.server.head();
  const entryId = randomUUID();
  a.issue('incident.addLog', { incidentId, entryId, text });
  await a.syncNow();
  return { batch: { type: 'changes', ...(await room.server.changes(since, 500)) }, entryId };
}

/** WS-A and WS-B in step on one incident, B listening; then two lines from A, one batch each, B not yet told. */
async function twoBatchesForB(bOptions: { maxHeldChanges?: number } = {}) {
  const a = workstation('WS-A');
  const b = workstation('WS-B', bOptions);
  const incidentId = randomUUID();
  a.issue('incident.create', { incidentId, provisionalReference: 'WS-A-P0001', type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: null });
  await a.syncNow();
  b.sync.start();
  await b.syncNow();
  expect(b.store.view.incident(incidentId)).toBeDefined();
  const first = await lineFromA(a, incidentId, 'first line');
  const second = await lineFromA(a, incidentId, 'second line');
  return { a, b, incidentId, first, second, pullsBefore: b.link.pulls };
}

describe('a workstation given batches of changes over the live channel', () => {
  it('at the head, takes each batch in order without a pull', async () => {
    const { b, incidentId, first, second, pullsBefore } = await twoBatchesForB();
    b.link.send(first.batch);
    b.link.send(second.batch);
    await b.sync.settled();
    expect(b.store.pullCursor).toBe(await room.server.head());
    expect(b.store.view.logOf(incidentId).map((e) => e.text)).toEqual(expect.arrayContaining(['first line', 'second line']));
    expect(b.link.pulls).toBe(pullsBefore);
    expect(b.sync.liveBatchesTaken).toBe(2);
  });

  it('given a batch out of order (the one before it lost or late), pulls to fill the gap and then ignores the late one', async () => {
    const { b, incidentId, first, second, pullsBefore } = await twoBatchesForB();
    b.link.send(second.batch);
    await b.sync.settled();
    expect(b.link.pulls).toBe(pullsBefore + 1);
    expect(b.store.pullCursor).toBe(await room.server.head());
    b.link.send(first.batch);
    b.link.send(second.batch);
    await b.sync.settled();
    expect(b.link.pulls).toBe(pullsBefore + 1);
    expect(b.store.pullCursor).toBe(await room.server.head());
    const texts = b.store.view.logOf(incidentId).map((e) => e.text);
    expect(texts.filter((t) => t === 'first line')).toHaveLength(1);
    expect(texts.filter((t) => t === 'second line')).toHaveLength(1);
    expect(b.sync.liveBatchesTaken).toBe(0);
  });

  it('standing inside a batch (it pulled part of it), takes the rest from its cursor: nothing twice, no pull', async () => {
    const { b, incidentId, first, second, pullsBefore } = await twoBatchesForB();
    // The server's hub read both lines as one batch, but B had pulled the first line already (its cursor is inside).
    const both: LiveChanges = { type: 'changes', since: first.batch.since, upTo: second.batch.upTo, head: second.batch.head, changes: [...first.batch.changes, ...second.batch.changes] };
    b.link.send(first.batch);
    await b.sync.settled();
    expect(b.store.pullCursor).toBe(first.batch.upTo);
    const applied: number[] = [];
    const put = b.store.server.put.bind(b.store.server);
    b.store.server.put = (record, seq) => {
      applied.push(seq);
      put(record, seq);
    };
    b.link.send(both);
    await b.sync.settled();
    expect(b.link.pulls).toBe(pullsBefore);
    expect(b.store.pullCursor).toBe(await room.server.head());
    expect(applied).toEqual(second.batch.changes.map((c) => c.seq));
    const texts = b.store.view.logOf(incidentId).map((e) => e.text);
    expect(texts.filter((t) => t === 'first line')).toHaveLength(1);
    expect(texts.filter((t) => t === 'second line')).toHaveLength(1);
    expect(b.sync.liveBatchesTaken).toBe(2);
    expect(b.sync.liveBatchesOverlapping).toBe(1);
  });

  it('never skips: a batch that begins after its cursor is a gap, filled by a pull, even when it overlaps one held', async () => {
    const { a, b, incidentId, first, second, pullsBefore } = await twoBatchesForB();
    const third = await lineFromA(a, incidentId, 'third line');
    // B holds nothing of the three; a batch of the second and third lines leaves the first out: not taken.
    const laterTwo: LiveChanges = { type: 'changes', since: second.batch.since, upTo: third.batch.upTo, head: third.batch.head, changes: [...second.batch.changes, ...third.batch.changes] };
    b.link.send(laterTwo);
    await b.sync.settled();
    expect(b.sync.liveBatchesTaken).toBe(0);
    expect(b.link.pulls).toBe(pullsBefore + 1);
    expect(b.store.pullCursor).toBe(await room.server.head());
    expect(b.store.view.logOf(incidentId).map((e) => e.text)).toEqual(expect.arrayContaining(['first line', 'second line', 'third line']));
    // Every batch now ends at or before its cursor: held already, neither applied nor pulled again.
    b.link.send(first.batch);
    b.link.send(laterTwo);
    await b.sync.settled();
    expect(b.link.pulls).toBe(pullsBefore + 1);
    expect(b.sync.liveBatchesTaken).toBe(0);
  });

  it('at the head, sends its own command and gets its effects from the live batch: out of the outbox with them, shown throughout, no pull', async () => {
    const { b, incidentId, first, second, pullsBefore } = await twoBatchesForB();
    b.link.send(first.batch);
    b.link.send(second.batch);
    await b.sync.settled();
    const since = await room.server.head();
    // What the operator sees at every step: the line, once, pending while in the outbox.
    const seen: { pending: boolean[]; outbox: number }[] = [];
    const look = () => seen.push({ pending: b.store.view.logOf(incidentId).filter((e) => e.text === 'from B').map((e) => e.pending), outbox: b.store.outbox.pendingCount() });
    b.onStatus(look);
    b.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: 'from B' });
    b.sync.send(); // as the console core does after every command
    await b.sync.settled();
    // Applied by the server, but its effects not here yet: still in the outbox, still on the screen, and no pull.
    expect(b.link.pulls).toBe(pullsBefore);
    expect(b.store.outbox.pendingCount()).toBe(1);
    expect(b.sync.awaitingEffects()).toEqual([expect.objectContaining({ seq: await room.server.head() })]);
    expect(b.store.view.logOf(incidentId).filter((e) => e.text === 'from B')).toEqual([expect.objectContaining({ pending: true })]);

    b.link.send({ type: 'changes', ...(await room.server.changes(since, 500)) });
    await b.sync.settled();
    expect(b.link.pulls).toBe(pullsBefore);
    expect(b.store.pullCursor).toBe(await room.server.head());
    expect(b.store.outbox.pendingCount()).toBe(0);
    expect(b.sync.awaitingEffects()).toEqual([]);
    expect(b.store.view.logOf(incidentId).filter((e) => e.text === 'from B')).toEqual([expect.objectContaining({ pending: false })]);
    // Never gone from the screen, never twice, and out of the outbox only once the server's copy showed it.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.pending.length === 1)).toBe(true);
    expect(seen.every((s) => s.pending[0] === s.outbox > 0)).toBe(true);
  });

  it("given the batch with its command's effects while the push is still on its way, keeps it and takes it once the answer is in: no pull", async () => {
    const { b, incidentId, pullsBefore } = await twoBatchesForB();
    await b.syncNow();
    const pullsNow = b.link.pulls;
    const since = await room.server.head();
    // The server applies the push, and its live batch overtakes the push's answer.
    const push = b.link.push.bind(b.link);
    b.link.push = async (request) => {
      const answer = await push(request);
      b.link.send({ type: 'changes', ...(await room.server.changes(since, 500)) });
      return answer;
    };
    b.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: 'from B' });
    b.sync.send();
    await b.sync.settled();
    expect(pullsNow).toBeGreaterThan(pullsBefore);
    expect(b.link.pulls).toBe(pullsNow);
    expect(b.sync.liveBatchesTaken).toBe(1);
    expect(b.store.outbox.pendingCount()).toBe(0);
    expect(b.store.pullCursor).toBe(await room.server.head());
    expect(b.store.view.logOf(incidentId).filter((e) => e.text === 'from B')).toEqual([expect.objectContaining({ pending: false })]);
  });

  /**
   * B sends a line; while its push is on its way, the server's hub sends it A's two lines, one batch each, and then
   * the batch with B's own line. Returns B's pulls meanwhile.
   */
  async function batchesDuringPush(maxHeldChanges?: number) {
    const { b, incidentId, first, second } = await twoBatchesForB(maxHeldChanges === undefined ? {} : { maxHeldChanges });
    const pullsNow = b.link.pulls;
    const push = b.link.push.bind(b.link);
    b.link.push = async (request) => {
      const answer = await push(request);
      b.link.send(first.batch);
      b.link.send(second.batch);
      b.link.send({ type: 'changes', ...(await room.server.changes(second.batch.upTo, 500)) });
      return answer;
    };
    b.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: 'from B' });
    b.sync.send();
    await b.sync.settled();
    expect(b.store.pullCursor).toBe(await room.server.head());
    expect(b.store.outbox.pendingCount()).toBe(0);
    expect(b.store.view.logOf(incidentId).map((e) => e.text)).toEqual(expect.arrayContaining(['first line', 'second line', 'from B']));
    return { pulls: b.link.pulls - pullsNow, taken: b.sync.liveBatchesTaken, first };
  }

  it('keeps the batches that come while its push is on its way, and takes them all once the answer is in: no pull', async () => {
    expect(await batchesDuringPush()).toMatchObject({ pulls: 0, taken: 3 });
  });

  it('keeps no more changes than its limit while its push is on its way: past it, drops those kept and pulls them instead', async () => {
    // Room for one change: A's lines go past it.
    const { pulls, taken } = await batchesDuringPush(1);
    expect(pulls).toBe(1);
    expect(taken).toBe(0);
  });

  it('with a command of its own not yet sent, takes the batch and goes on showing the command on top of it', async () => {
    const { b, incidentId, first, pullsBefore } = await twoBatchesForB();
    b.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: 'from B' });
    b.link.send(first.batch);
    await b.sync.settled();
    expect(b.sync.liveBatchesTaken).toBe(1);
    expect(b.link.pulls).toBe(pullsBefore);
    expect(b.store.outbox.pendingCount()).toBe(1);
    expect(b.store.view.logOf(incidentId).map((e) => [e.text, e.pending])).toEqual(expect.arrayContaining([['first line', false], ['from B', true]]));
  });

  it('with a command sent whose answer was lost, pulls rather than take a batch that may hold its effects', async () => {
    const { b, incidentId, pullsBefore } = await twoBatchesForB();
    const since = await room.server.head();
    // The server applies the command; its answer never arrives.
    const push = b.link.push.bind(b.link);
    b.link.push = async (request) => {
      await push(request);
      b.link.push = push;
      throw new LinkError('cannot reach the server: connection reset', true);
    };
    b.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: 'from B' });
    b.sync.send();
    await b.sync.settled();
    expect(b.store.outbox.pendingCount()).toBe(1);
    b.link.send({ type: 'changes', ...(await room.server.changes(since, 500)) });
    await b.sync.settled();
    expect(b.sync.liveBatchesTaken).toBe(0);
    expect(b.link.pulls).toBeGreaterThan(pullsBefore);
    expect(b.store.outbox.pendingCount()).toBe(0);
    expect(b.store.pullCursor).toBe(await room.server.head());
    expect(b.store.view.logOf(incidentId).filter((e) => e.text === 'from B')).toEqual([expect.objectContaining({ pending: false })]);
  });

  it('restarted with commands in its outbox, and then a push whose answer was lost: still pulls rather than take the batch', async () => {
    const { b, incidentId } = await twoBatchesForB();
    b.link.up = false;
    b.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: 'before the restart' });
    b.sync.send();
    await b.sync.settled();
    b.close();
    room.open.splice(room.open.indexOf(b), 1);
    b.link.up = true;
    const again = new WorkstationHarness(room.dir.path, 'WS-B', b.link);
    room.open.push(again);
    again.sync.start();
    await again.syncNow();
    expect(again.store.outbox.pendingCount()).toBe(0);
    const since = await room.server.head();
    const push = again.link.push.bind(again.link);
    again.link.push = async (request) => {
      await push(request);
      again.link.push = push;
      throw new LinkError('cannot reach the server: connection reset', true);
    };
    again.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: 'answer lost' });
    again.sync.send();
    await again.sync.settled();
    again.link.send({ type: 'changes', ...(await room.server.changes(since, 500)) });
    await again.sync.settled();
    expect(again.sync.liveBatchesTaken).toBe(0);
    expect(again.store.outbox.pendingCount()).toBe(0);
    expect(again.store.view.logOf(incidentId).filter((e) => e.text === 'answer lost')).toEqual([expect.objectContaining({ pending: false })]);
  });

  it('with no live channel open, pulls after its push as before', async () => {
    // WS-A never opened its channel.
    const { a, incidentId } = await twoBatchesForB();
    const pulls = a.link.pulls;
    a.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: 'from A' });
    a.sync.send();
    await a.sync.settled();
    expect(a.sync.listening).toBe(false);
    expect(a.link.pulls).toBe(pulls + 1);
    expect(a.store.outbox.pendingCount()).toBe(0);
    expect(a.store.view.logOf(incidentId).filter((e) => e.text === 'from A')).toEqual([expect.objectContaining({ pending: false })]);
  });

  it("with its own command's batch lost, pulls its effects once the wait for them is over", async () => {
    const { b, incidentId, pullsBefore } = await twoBatchesForB();
    await b.syncNow();
    const pullsNow = b.link.pulls;
    b.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: 'from B' });
    b.sync.send();
    await b.sync.settled();
    expect(b.link.pulls).toBe(pullsNow);
    expect(b.store.outbox.pendingCount()).toBe(1);
    // No batch comes (lost, or its force was sent none): after the short wait, a pull brings the effects.
    b.scheduler.advance(2_000);
    await b.sync.settled();
    expect(pullsNow).toBeGreaterThan(pullsBefore);
    expect(b.link.pulls).toBe(pullsNow + 1);
    expect(b.store.outbox.pendingCount()).toBe(0);
    expect(b.store.view.logOf(incidentId).filter((e) => e.text === 'from B')).toEqual([expect.objectContaining({ pending: false })]);
  });
});

/** The room.server's end of a live channel, keeping what the hub sent it. */
class Socket implements LiveSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly received: LiveMessage[] = [];
  /** Each message as it was handed to the channel, and whether as a text frame (as the workstation reads it). */
  readonly frames: { data: string | Buffer; text: boolean }[] = [];
  send(data: string | Buffer, options?: { binary: boolean }): void {
    const text = typeof data === 'string' || options?.binary !== true;
    this.frames.push({ data, text });
    // Read as the workstation reads a frame (main/sync/live-frames.ts), compressed or not.
    this.received.push(readLiveFrame(Buffer.from(data), !text)!);
  }
  close(): void {
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
  ping(): void {}
  on(): void {}
}

describe('the server live hub', () => {
  const hello: LiveMessage = { type: 'hello', head: 0, serverTime: new Date(T0).toISOString() };
  function hubOver(reads: { since: number }[], pages: (since: number) => ChangesPage) {
    const due: (() => void)[] = [];
    const hub = new LiveHub(10, {
      readChanges: async (since) => {
        reads.push({ since });
        return pages(since);
      },
      defer: (flush) => due.push(flush),
      // Time stands still: sending costs nothing, so no batch waits for its time (pacing is tested on its own).
      now: () => 0,
      forces: ['DMO'],
    });
    const flush = async () => {
      while (due.length) {
        due.shift()!();
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    return { hub, flush };
  }
  const page = (since: number, head: number): ChangesPage => ({
    since,
    upTo: head,
    head,
    hasMore: false,
    changes: Array.from({ length: head - since }, (_, i) => ({ seq: since + i + 1, kind: 'incident', id: `i${since + i + 1}`, doc: { force: 'DMO' } })),
  });

  it('sends the commits of one turn as one batch, read once for every workstation, with the range it covers', async () => {
    const reads: { since: number }[] = [];
    const { hub, flush } = hubOver(reads, (since) => page(since, 13));
    const sockets = [new Socket(), new Socket(), new Socket()];
    sockets.forEach((s, i) => hub.add(s, hello, { clientId: `c${i}`, schemaVersion: SCHEMA_VERSION, force: 'DMO' }));
    hub.headMoved(11);
    hub.headMoved(12);
    hub.headMoved(13);
    await flush();
    expect(reads).toEqual([{ since: 10 }]);
    for (const s of sockets) expect(s.received.slice(1)).toEqual([{ type: 'changes', since: 10, upTo: 13, head: 13, changes: page(10, 13).changes }]);
  });

  it('sends a batch to every workstation of an audience as a text frame of the same bytes, encoded once', async () => {
    const { hub, flush } = hubOver([], (since) => page(since, 12));
    const sockets = [new Socket(), new Socket(), new Socket()];
    sockets.forEach((s, i) => hub.add(s, hello, { clientId: `c${i}`, schemaVersion: SCHEMA_VERSION, force: 'DMO' }));
    hub.headMoved(12);
    await flush();
    const batches = sockets.map((s) => s.frames[1]!);
    for (const frame of batches) expect(frame.text).toBe(true);
    // One encoding for the room: every channel is handed the very same bytes, not a string to measure and encode.
    expect(Buffer.isBuffer(batches[0]!.data)).toBe(true);
    expect(new Set(batches.map((frame) => frame.data)).size).toBe(1);
    expect(JSON.parse(batches[0]!.data.toString())).toEqual({ type: 'changes', since: 10, upTo: 12, head: 12, changes: page(10, 12).changes });
  });

  it('sends a workstation that asked for the deflate encoding the same batch compressed, compressed once for its audience', async () => {
    const { hub, flush } = hubOver([], (since) => page(since, 40));
    const asking = [new Socket(), new Socket()];
    const plain = new Socket();
    asking.forEach((s, i) => hub.add(s, hello, { clientId: `z${i}`, schemaVersion: SCHEMA_VERSION, force: 'DMO' }, 'deflate'));
    hub.add(plain, hello, { clientId: 'plain', schemaVersion: SCHEMA_VERSION, force: 'DMO' });
    hub.headMoved(40);
    await flush();
    // The hello stays text; the batch is a binary frame, the very same bytes for both, fewer than the text's.
    for (const s of asking) expect(s.frames.map((f) => f.text)).toEqual([true, false]);
    expect(asking[0]!.frames[1]!.data).toBe(asking[1]!.frames[1]!.data);
    expect(plain.frames[1]!.text).toBe(true);
    expect(asking[0]!.frames[1]!.data.length).toBeLessThan(plain.frames[1]!.data.length / 2);
    const batch = { type: 'changes', since: 10, upTo: 40, head: 40, changes: page(10, 40).changes };
    for (const s of [...asking, plain]) expect(s.received[1]).toEqual(batch);
    expect(hub.sent.bytes).toBe(asking[0]!.frames[1]!.data.length * 2 + plain.frames[1]!.data.length);
  });

  it('under load, sends the commits made while a batch went out in the next batch at its time, not one batch per commit', async () => {
    const reads: { since: number }[] = [];
    let clock = 0;
    const later: { at: number; flush: () => void }[] = [];
    const due: (() => void)[] = [];
    const sockets = Array.from({ length: 4 }, () => new Socket());
    // Each write to a socket takes the server 1 ms: a batch to four workstations, 4 ms.
    for (const socket of sockets) {
      const send = socket.send.bind(socket);
      socket.send = (data, options) => {
        clock += 1;
        send(data, options);
      };
    }
    const hub = new LiveHub(10, {
      readChanges: async (since) => {
        reads.push({ since });
        return page(since, Math.max(since, current));
      },
      defer: (flush) => due.push(flush),
      now: () => clock,
      later: (flush, ms) => later.push({ at: clock + ms, flush }),
      busyShare: 0.25,
      forces: ['DMO'],
    });
    sockets.forEach((s, i) => hub.add(s, hello, { clientId: `c${i}`, schemaVersion: SCHEMA_VERSION, force: 'DMO' }));
    clock = 0;
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    let current = 11;
    // The first commit after a quiet spell goes out at once.
    hub.headMoved(11);
    expect(due).toHaveLength(1);
    due.shift()!();
    await settle();
    expect(reads).toEqual([{ since: 10 }]);
    // It took 4 ms to send: the next batch starts no sooner than 16 ms after the first did.
    for (const head of [12, 13, 14]) {
      clock += 2;
      current = head;
      hub.headMoved(head);
    }
    expect(due).toHaveLength(0);
    expect(later.map((l) => l.at)).toEqual([16]);
    clock = 16;
    later.shift()!.flush();
    await settle();
    expect(reads).toEqual([{ since: 10 }, { since: 11 }]);
    for (const s of sockets) {
      expect(s.received.slice(1).map((m) => (m.type === 'changes' ? [m.since, m.upTo, m.changes.length] : m.type))).toEqual([
        [10, 11, 1],
        [11, 14, 3],
      ]);
    }
  });

  it('pokes a workstation of schema version 4, and tells a run too long for one batch as a poke', async () => {
    const reads: { since: number }[] = [];
    const { hub, flush } = hubOver(reads, (since) => (since === 10 ? page(10, 11) : { ...page(since, since + 500), head: since + 900, hasMore: true }));
    const old = new Socket();
    const current = new Socket();
    hub.add(old, hello, { clientId: 'old', schemaVersion: 4, force: 'DMO' });
    hub.add(current, hello, { clientId: 'new', schemaVersion: SCHEMA_VERSION, force: 'DMO' });
    hub.headMoved(11);
    await flush();
    hub.headMoved(911);
    await flush();
    expect(old.received.slice(1)).toEqual([{ type: 'poke', head: 11 }, { type: 'poke', head: 911 }]);
    expect(current.received.slice(1)).toEqual([expect.objectContaining({ type: 'changes', since: 10, upTo: 11 }), { type: 'poke', head: 911 }]);
  });
});
