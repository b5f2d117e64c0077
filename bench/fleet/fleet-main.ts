import { unverifiedLocation } from '../../shared/domain/location';
// A process of simulated workstations for the visibility benchmark (dist/node/bench-fleet.mjs), driven over IPC
// by the suite: either one issuing workstation (a console core on its SQLite file) or a share of the watching ones.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';
import type { IncidentView, LoanView, LogEntryView, UnitView } from '../../shared/contract/views';
import type { ForceConfig } from '../../shared/domain/force-config';
import { round } from '../support/cpu-time';
import { startIssuer, startWatcher, stopFleet, type FleetWorkstation } from '../support/workstation-fleet';
import type { ConsoleCore } from '../../main/core/console-core';
import { sharedNow, type FleetReply, type FleetReplies, type FleetRequest, type Observations } from './fleet-protocol';

/** The force this process's workstations serve (one force a process), set by 'start'. */
let config: ForceConfig = loadForceConfig();
/** An account of each demonstration force allowed to take calls and dispatch (and so to share, borrow and lend). */
const OPERATORS: Record<string, { operator: string; password: string }> = { DMO: { operator: 'dan', password: 'demo' }, NBR: { operator: 'quinn', password: 'demo' } };
let fleet: FleetWorkstation[] = [];
/** entryId → workstation → when its view first held the entry. */
const seen = new Map<string, Map<number, number>>();
let loopDelay: IntervalHistogram | null = null;

function onSeen(workstation: number, ids: readonly string[]): void {
  const at = sharedNow();
  for (const id of ids) {
    let by = seen.get(id);
    if (!by) seen.set(id, (by = new Map()));
    if (!by.has(workstation)) by.set(workstation, at);
  }
}

async function handle(request: FleetRequest): Promise<FleetReplies[FleetRequest['type']]> {
  switch (request.type) {
    case 'start': {
      const { role, serverUrl, first, count, dataDir } = request;
      const force = request.force ?? 'DMO';
      const shipped = demonstrationForces().find((f) => f.code === force);
      if (!shipped) throw new Error(`no demonstration force ${force}`);
      config = loadForceConfig(shipped.configFile);
      for (let i = first; i < first + count; i += 1) {
        fleet.push(role === 'issuers' ? await startIssuer(i, dataDir, serverUrl, config, onSeen, OPERATORS[force]) : startWatcher(i, serverUrl, config, onSeen));
      }
      return null;
    }
    case 'clock':
      return sharedNow();
    case 'cursors':
      return Math.min(...fleet.map((ws) => ws.store.pullCursor));
    case 'createIncident': {
      const ws = issuer();
      const text = `${ws.index + 1} Station Road`;
      const location = request.point ? { text, point: request.point, source: 'gazetteer' as const, district: null, accuracyM: null } : unverifiedLocation(text);
      // The force's first incident type, graded 3 (both demonstration forces have a grade 3: not an emergency).
      const reply = await ws.core!.dispatch('incidents.create', { type: config.incidentTypes[0]!.code, location, grade: '3', firstLog: null });
      if (!reply.ok) throw new Error(`incidents.create: ${reply.error.message}`);
      return (reply.value as { incident: IncidentView }).incident.id;
    }
    case 'issue': {
      const ws = issuer();
      const reply = await ws.core!.dispatch('incidents.addLog', { incidentId: request.incidentId, text: request.text });
      // The command is committed (view and outbox row, synchronous=FULL) before dispatch answers.
      const confirmedAt = sharedNow();
      if (!reply.ok) throw new Error(`incidents.addLog: ${reply.error.message}`);
      return { entryId: (reply.value as { entry: LogEntryView }).entry.id, issuer: ws.index, confirmedAt };
    }
    case 'window':
      if (request.action === 'open') {
        loopDelay = monitorEventLoopDelay({ resolution: 10 });
        loopDelay.enable();
        return null;
      } else {
        loopDelay?.disable();
        const ms = (p: number) => round((loopDelay?.percentile(p) ?? 0) / 1e6, 1);
        return { loopDelayMs: { p50: ms(50), p99: ms(99) } };
      }
    case 'observations':
      return observations(request.entries, request.timeoutMs);
    case 'share':
      await value('shares.create', { incidentId: request.incidentId, sharedWith: request.sharedWith, tier: 'assist', reason: 'Benchmark: a job both forces work on' });
      return null;
    case 'bookOn': {
      const unit = await unitNamed(request.callSign);
      await value('units.setDuty', { unitId: unit.id, duty: 'on_duty', unitVersion: unit.version, until: new Date(Date.now() + 6 * 3_600_000).toISOString() });
      return null;
    }
    case 'loanRequest': {
      const reply = await value('loans.request', { incidentId: request.incidentId, lender: request.lender, ask: { callSign: request.callSign }, reason: 'Benchmark: no unit of ours free' });
      return (reply as { loan: LoanView }).loan.id;
    }
    case 'loanAccept': {
      const loan = await loanWhen(request.loanId, (l) => l.status === 'requested', request.timeoutMs);
      const callSign = 'callSign' in loan.ask ? loan.ask.callSign : '';
      // The unit back from its last loan (that return reached here) before it is lent again.
      const unit = await waitFor(async () => {
        const u = await unitNamed(callSign);
        return u.loan || u.commitment ? null : u;
      }, request.timeoutMs, `${callSign} free to lend`);
      await value('loans.accept', { loanId: loan.id, loanVersion: loan.version, unitId: unit.id, unitVersion: unit.version });
      return null;
    }
    case 'loanReturn':
      await loanWhen(request.loanId, (l) => l.status === 'accepted', request.timeoutMs);
      await value('loans.return', { loanId: request.loanId });
      return null;
    case 'stop':
      await stopFleet(fleet);
      fleet = [];
      return null;
  }
}

/** The one issuing workstation of an issuer process (each has its own, as each operator has a machine). */
function issuer(): FleetWorkstation {
  const ws = fleet[0];
  if (!ws?.core || fleet.length !== 1) throw new Error('an issuer process runs exactly one console core');
  return ws;
}

/** A channel of the issuing workstation's core, its value or its refusal as an error. */
async function value(channel: string, args: unknown): Promise<unknown> {
  // The channels' names and arguments are checked by the core's own table when it is dispatched.
  const reply = await issuer().core!.dispatch(channel as Parameters<ConsoleCore['dispatch']>[0], args as never);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.value;
}

async function unitNamed(callSign: string): Promise<UnitView> {
  const { units } = (await value('units.list', {})) as { units: UnitView[] };
  const unit = units.find((u) => u.callSign === callSign);
  if (!unit) throw new Error(`no unit ${callSign} at ${config.force.code}`);
  return unit;
}

/** The loan once this workstation holds it as `ready` says. */
function loanWhen(loanId: string, ready: (loan: LoanView) => boolean, timeoutMs: number): Promise<LoanView> {
  return waitFor(async () => ((await value('loans.list', {})) as { loans: LoanView[] }).loans.find((l) => l.id === loanId && ready(l)) ?? null, timeoutMs, `loan ${loanId}`);
}

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (performance.now() > deadline) throw new Error(`${what} not here within ${timeoutMs} ms`);
    // Each look lists the desk's loans or units through the core: often enough for the traffic, not so often that
    // the issuing workstation's own event loop (also an observer) is kept busy by it.
    await sleep(100);
  }
}

/** Waits until every workstation here (but each entry's issuer) holds every entry, or the time is up. */
async function observations(entries: { entryId: string; issuer: number; expected?: boolean }[], timeoutMs: number): Promise<Observations> {
  const expected = (issuer: number) => fleet.filter((ws) => ws.index !== issuer).length;
  const deadline = performance.now() + timeoutMs;
  const awaited = entries.filter((e) => e.expected !== false);
  while (awaited.some((e) => (seen.get(e.entryId)?.size ?? 0) - (seen.get(e.entryId)?.has(e.issuer) ? 1 : 0) < expected(e.issuer))) {
    if (performance.now() > deadline) break;
    await sleep(20);
  }
  const out: Observations = {};
  for (const { entryId, issuer } of entries) {
    out[entryId] = [...(seen.get(entryId) ?? new Map<number, number>())].filter(([ws]) => ws !== issuer);
  }
  return out;
}

process.on('message', (message: { id: number; request: FleetRequest }) => {
  handle(message.request).then(
    (value) => process.send!({ id: message.id, ok: true, value } satisfies FleetReply),
    (error: unknown) => process.send!({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FleetReply),
  );
});
process.on('disconnect', () => process.exit(0));
