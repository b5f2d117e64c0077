// The process of protocol workstations for the server-load benchmark (dist/node/bench-load-clients.mjs), driven over
// IPC by the suite: connects workstations, runs steps of commands at a rate, and reports what it measured.
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { unverifiedLocation } from '../../shared/domain/location';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describedError } from '../support/described-error';
import { percentile } from '../bench-types';
import { round } from '../support/cpu-time';
import { IncidentLifecycle } from './incident-lifecycle';
import type { LoadCounters, LoadReplies, LoadReply, LoadRequest, StepResult } from './load-protocol';
import { ProtocolWorkstation, type WorkstationEvents } from './protocol-workstation';
import { visibleTimes, type AcknowledgedCommand } from './visible-times';

// A connection left idle is dropped by the client before the server's keep-alive timeout (5 s) drops it, so that
// a request is never sent on a connection the server is closing (which would fail with ECONNRESET).
const agent = new Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4_000 });
const fleet: ProtocolWorkstation[] = [];
const lifecycles: IncidentLifecycle[] = [];
let serverUrl: URL | null = null;
/** Every instance's address (serverUrl first), for the head: asked of the first that answers. */
let serverUrls: URL[] = [];
const counters: LoadCounters = { pulls: 0, liveBatches: 0, changesDelivered: 0, liveBytes: 0, problems: 0, live: 0, workstations: 0 };
/** When each request of the last drain was sent (performance.now()); null outside a drain. */
let requestTimes: number[] | null = null;
const problemSamples: string[] = [];

/** What a step records while it runs: null outside one. */
let window: { moves: [number, number][][]; acks: AcknowledgedCommand[]; acknowledgedMs: number[]; rejections: string[]; answered: number } | null = null;
const outsideRejections: string[] = [];

const events: WorkstationEvents = {
  onPage(workstation, upTo, changes, at, via) {
    if (via === 'pull') counters.pulls += 1;
    else counters.liveBatches += 1;
    counters.changesDelivered += changes;
    window?.moves[workstation]?.push([upTo, at]);
  },
  onOutcome(workstation, outcome, issuedAt, at) {
    const rejections = window?.rejections ?? outsideRejections;
    if (outcome.status === 'rejected') rejections.push(`${fleet[workstation]?.name}: ${outcome.reason}`);
    if (!window) return;
    window.answered += 1;
    window.acknowledgedMs.push(at - issuedAt);
    if (outcome.status === 'applied') window.acks.push({ seq: outcome.seq, acknowledgedAt: at, issuer: workstation });
  },
  onProblem(workstation, problem) {
    counters.problems += 1;
    if (problemSamples.length < 20) problemSamples.push(`${fleet[workstation]?.name}: ${problem}`);
  },
  onRequest(at) {
    requestTimes?.push(at);
  },
  onLiveBytes(bytes) {
    counters.liveBytes += bytes;
  },
};

async function handle(request: LoadRequest): Promise<LoadReplies[LoadRequest['type']]> {
  switch (request.type) {
    case 'connect':
      return connect(request);
    case 'quiesce':
      return { head: await quiesce(request.timeoutMs) };
    case 'counters':
      return { ...counters, live: fleet.filter((ws) => ws.live).length, workstations: fleet.length, byServer: countBy(fleet.map((ws) => ws.serverUrl)) };
    case 'step':
      return step(request.ratePerSecond, request.seconds, request.settleTimeoutMs);
    case 'signIn': {
      const chosen = fleet.slice(0, request.workstations).filter((ws) => !ws.signedIn);
      for (let i = 0; i < chosen.length; i += 20) await Promise.all(chosen.slice(i, i + 20).map((ws) => ws.signIn(request.operator.name, request.operator.password)));
      return { signedIn: chosen.length };
    }
    case 'queue':
      return { queued: queue(request.workstations, request.commandsEach) };
    case 'drain':
      return drain(request.timeoutMs, request.leaving);
    case 'stop':
      for (const ws of fleet) ws.stop();
      agent.destroy();
      return null;
  }
}

/**
 * Enrols and connects workstations until there are as many as asked, twenty at a time (as a room's machines start
 * over a few minutes, not in the same millisecond); the first ones sign in and book their units on.
 */
async function connect(request: Extract<LoadRequest, { type: 'connect' }>): Promise<LoadReplies['connect']> {
  const started = performance.now();
  serverUrl = new URL(request.serverUrl);
  serverUrls = [serverUrl, ...(request.otherServerUrls ?? []).map((u) => new URL(u))];
  // Divided between the instances: the n-th starts at address n (mod their number), the others after it in turn.
  const addresses = (index: number) => serverUrls.map((_, k) => serverUrls[(index + k) % serverUrls.length]!);
  while (fleet.length < request.workstations) {
    const batch = Array.from({ length: Math.min(20, request.workstations - fleet.length) }, (_, i) => {
      const [baseUrl, ...otherUrls] = addresses(fleet.length + i);
      return new ProtocolWorkstation({ index: fleet.length + i, baseUrl: baseUrl!, otherUrls, agent, enrolmentKey: request.enrolmentKey, events, delivery: request.delivery });
    });
    fleet.push(...batch);
    await Promise.all(batch.map((ws) => ws.start()));
  }
  const until = new Date(Date.now() + 24 * 3_600_000).toISOString();
  for (let i = lifecycles.length; i < request.issuers; i += 1) {
    const ws = fleet[i]!;
    const unitId = request.units[i];
    if (!unitId) throw new Error(`no unit for issuing workstation ${i}`);
    await ws.signIn(request.operator.name, request.operator.password);
    ws.issue('unit.setDuty', { unitId, duty: 'on_duty', unitVersion: 1, until });
    lifecycles.push(new IncidentLifecycle(unitId, 2, (n) => ws.reference(n)));
  }
  const head = await quiesce(120_000);
  if (outsideRejections.length > 0) throw new Error(`commands refused while connecting: ${outsideRejections.slice(0, 5).join('; ')}`);
  return { connectedInMs: Math.round(performance.now() - started), head };
}

/** Waits until no command waits to be pushed, every workstation is live and every cursor is at the server's head. */
async function quiesce(timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const head = await serverHead();
    if (fleet.every((ws) => ws.pending === 0 && ws.live && ws.cursor >= head)) return head;
    if (performance.now() > deadline) {
      const behind = fleet.filter((ws) => ws.cursor < head).length;
      throw new Error(`workstations not quiet after ${timeoutMs} ms: ${behind} behind head ${head}, ${fleet.filter((ws) => !ws.live).length} not live, ${fleet.reduce((n, ws) => n + ws.pending, 0)} commands pending`);
    }
    await sleep(50);
  }
}

/** How long serverHead tries before it gives up on every instance. */
const HEAD_TRIES_MS = 10_000;

/**
 * The server's head, from the first instance that answers (one of several may be down). A try that fails (a
 * connection refused or reset while a room of 400 baseline workstations pulls) is tried again for HEAD_TRIES_MS.
 */
async function serverHead(): Promise<number> {
  const giveUpAt = performance.now() + HEAD_TRIES_MS;
  for (;;) {
    try {
      return await serverHeadOnce();
    } catch (error) {
      if (performance.now() > giveUpAt) throw new Error(`the server's health check not answered for ${HEAD_TRIES_MS} ms`, { cause: error });
    }
    await sleep(200);
  }
}

/**
 * One try at the server's head, from the first instance that answers; the error says, for each address, why not
 * (fetch's own "fetch failed" hides its cause: a run of server-load stopped on it, and nothing said what had failed).
 */
async function serverHeadOnce(): Promise<number> {
  const failures: string[] = [];
  for (const url of serverUrls.length ? serverUrls : [serverUrl!]) {
    try {
      const answer = (await (await fetch(new URL('/healthz', url))).json()) as { head: number };
      return answer.head;
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      failures.push(`${url.origin}: ${error instanceof Error ? error.message : String(error)}${cause}`);
    }
  }
  throw new Error(failures.join('; '));
}

/**
 * Issues commands at `ratePerSecond` for `seconds`, open loop (each at its time, whether or not the ones before are
 * answered), in turn from each issuing workstation's incident lifecycle; then waits (up to settleTimeoutMs) until
 * every command is answered and visible at every other workstation, and reports.
 */
async function step(ratePerSecond: number, seconds: number, settleTimeoutMs: number): Promise<StepResult> {
  const before = { ...counters };
  const problemsFrom = problemSamples.length;
  window = { moves: fleet.map(() => []), acks: [], acknowledgedMs: [], rejections: [], answered: 0 };
  const recording = window;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const total = Math.max(1, Math.round(ratePerSecond * seconds));
  const intervalMs = 1000 / ratePerSecond;
  const started = performance.now();
  let issued = 0;
  while (issued < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
    for (; issued < due; issued += 1) {
      const who = issued % lifecycles.length;
      const command = lifecycles[who]!.next();
      fleet[who]!.issue(command.name, command.args);
    }
    if (issued < total) await sleep(Math.max(1, started + issued * intervalMs - performance.now()));
  }
  const issuingSeconds = (performance.now() - started) / 1000;
  const deadline = performance.now() + settleTimeoutMs;
  while (recording.answered < total && performance.now() < deadline) await sleep(10);
  const highest = Math.max(0, ...recording.acks.map((a) => a.seq));
  while (fleet.some((ws) => ws.cursor < highest) && performance.now() < deadline) await sleep(10);
  const totalSeconds = (performance.now() - started) / 1000;
  loop.disable();
  window = null;

  const seen = visibleTimes(recording.acks, recording.moves);
  // A command never answered was never visible: it counts as infinitely late, not as absent.
  const everywhere = [...seen.everywhere, ...new Array<number>(total - recording.answered).fill(Number.POSITIVE_INFINITY)];
  const ms = (values: number[], p: number) => round(percentile(values, p), 1);
  return {
    ratePerSecond,
    commands: total,
    achievedPerSecond: round(total / issuingSeconds, 1),
    issuingSeconds: round(issuingSeconds, 2),
    totalSeconds: round(totalSeconds, 2),
    rejected: recording.rejections.length,
    rejections: recording.rejections.slice(0, 5),
    unanswered: total - recording.answered,
    visiblePairMs: { p50: ms(seen.pairs, 50), p99: ms(seen.pairs, 99) },
    visibleEverywhereMs: { p50: ms(everywhere, 50), p95: ms(everywhere, 95), p99: ms(everywhere, 99), max: round(Math.max(0, ...everywhere), 1) },
    missing: seen.missing + (total - recording.acks.length - recording.rejections.length) * (fleet.length - 1),
    acknowledgedMs: { p50: ms(recording.acknowledgedMs, 50), p99: ms(recording.acknowledgedMs, 99) },
    pulls: counters.pulls - before.pulls,
    liveBatches: counters.liveBatches - before.liveBatches,
    changesDelivered: counters.changesDelivered - before.changesDelivered,
    liveBytes: counters.liveBytes - before.liveBytes,
    problems: counters.problems - before.problems,
    problemSamples: problemSamples.slice(problemsFrom, problemsFrom + 5),
    harnessLoopDelayMs: { p50: round(loop.percentile(50) / 1e6, 1), p99: round(loop.percentile(99) / 1e6, 1), max: round(loop.max / 1e6, 1) },
  };
}

let queuedIncidents = 0;

/** Each of the first `workstations` opens an incident and writes its log while the server is down: all queued. */
function queue(workstations: number, commandsEach: number): number {
  let queued = 0;
  for (const ws of fleet.slice(0, workstations)) {
    const incidentId = randomUUID();
    queuedIncidents += 1;
    ws.issue('incident.create', {
      incidentId,
      provisionalReference: ws.reference(100_000 + queuedIncidents),
      type: 'CONCERN',
      location: unverifiedLocation(`${queuedIncidents} Harbour Parade`),
      grade: '3',
      firstLog: { entryId: randomUUID(), text: 'Caller concerned for a neighbour not seen for two days' },
    });
    for (let i = 1; i < commandsEach; i += 1) ws.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: `Update ${i} while the server was away` });
    queued += commandsEach;
  }
  return queued;
}

/**
 * From the moment the suite says the server is back: waits until every workstation is live again, every queued
 * command answered and every cursor at the head; asks the health check every 100 ms meanwhile.
 */
async function drain(timeoutMs: number, leaving?: string): Promise<LoadReplies['drain']> {
  // A workstation still on a failed address has not noticed yet: it is not back, whatever it says.
  const left = (ws: ProtocolWorkstation) => leaving === undefined || new URL(ws.serverUrl).toString() !== new URL(leaving).toString();
  const started = performance.now();
  const before = { ...counters };
  const commands = fleet.reduce((n, ws) => n + ws.pending, 0);
  requestTimes = [];
  const health: number[] = [];
  let healthFailures = 0;
  let draining = true;
  const asking = (async () => {
    while (draining) {
      const at = performance.now();
      try {
        await serverHeadOnce();
        health.push(performance.now() - at);
      } catch {
        healthFailures += 1;
      }
      await sleep(Math.max(0, 100 - (performance.now() - at)));
    }
  })();
  let reconnectedInMs: number | null = null;
  let notDrained: string | null = null;
  try {
    for (;;) {
      if (reconnectedInMs === null && fleet.every((ws) => ws.live && left(ws))) reconnectedInMs = performance.now() - started;
      if (fleet.every((ws) => ws.pending === 0 && ws.live && left(ws))) {
        const head = await serverHead();
        if (fleet.every((ws) => ws.cursor >= head)) break;
      }
      if (performance.now() - started > timeoutMs) {
        notDrained = `${fleet.reduce((n, ws) => n + ws.pending, 0)} commands pending, ${fleet.filter((ws) => !ws.live || !left(ws)).length} workstations not live${leaving === undefined ? '' : ' (or still on the failed address)'}`;
        break;
      }
      await sleep(20);
    }
  } finally {
    draining = false;
    await asking;
  }
  const drainedInMs = performance.now() - started;
  const perSecond = new Map<number, number>();
  for (const at of requestTimes) perSecond.set(Math.floor((at - started) / 1000), (perSecond.get(Math.floor((at - started) / 1000)) ?? 0) + 1);
  requestTimes = null;
  return {
    drainedInMs: notDrained === null ? Math.round(drainedInMs) : null,
    ...(notDrained === null ? {} : { notDrained: `not drained ${timeoutMs} ms after the server came back: ${notDrained}` }),
    reconnectedInMs: Math.round(reconnectedInMs ?? drainedInMs),
    commands,
    workstations: fleet.length,
    pulls: counters.pulls - before.pulls,
    liveBatches: counters.liveBatches - before.liveBatches,
    healthMs: { p50: round(percentile(health, 50), 1), max: round(Math.max(0, ...health), 1) },
    healthFailures,
    busiestSecondRequests: Math.max(0, ...perSecond.values()),
  };
}

process.on('message', (message: { id: number; request: LoadRequest }) => {
  handle(message.request).then(
    (value) => process.send!({ id: message.id, ok: true, value } satisfies LoadReply),
    (error: unknown) => process.send!({ id: message.id, ok: false, error: describedError(error) } satisfies LoadReply),
  );
});
process.on('disconnect', () => process.exit(0));

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
