import { unverifiedLocation } from '../../shared/domain/location';
// A process of simulated workstations for the visibility benchmark (dist/node/bench-fleet.mjs), driven over IPC
// by the suite: either one issuing workstation (a console core on its SQLite file) or a share of the watching ones.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadForceConfig } from '../../node-common/force-config-file';
import type { IncidentView, LogEntryView } from '../../shared/contract/views';
import { round } from '../support/cpu-time';
import { startIssuer, startWatcher, stopFleet, type FleetWorkstation } from '../support/workstation-fleet';
import { sharedNow, type FleetReply, type FleetReplies, type FleetRequest, type Observations } from './fleet-protocol';

const config = loadForceConfig();
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
      for (let i = first; i < first + count; i += 1) {
        fleet.push(role === 'issuers' ? await startIssuer(i, dataDir, serverUrl, config, onSeen) : startWatcher(i, serverUrl, config, onSeen));
      }
      return null;
    }
    case 'clock':
      return sharedNow();
    case 'cursors':
      return Math.min(...fleet.map((ws) => ws.store.pullCursor));
    case 'createIncident': {
      const ws = issuer();
      const reply = await ws.core!.dispatch('incidents.create', { type: 'ASB', location: unverifiedLocation(`${ws.index + 1} Station Road`), grade: '3', firstLog: null });
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

/** Waits until every workstation here (but each entry's issuer) holds every entry, or the time is up. */
async function observations(entries: { entryId: string; issuer: number }[], timeoutMs: number): Promise<Observations> {
  const expected = (issuer: number) => fleet.filter((ws) => ws.index !== issuer).length;
  const deadline = performance.now() + timeoutMs;
  while (entries.some((e) => (seen.get(e.entryId)?.size ?? 0) - (seen.get(e.entryId)?.has(e.issuer) ? 1 : 0) < expected(e.issuer))) {
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
