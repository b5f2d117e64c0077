import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/domain/time';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { integrityCheck } from '../../node-common/sqlite';
import { demoConfig, eventually, silentLog } from '../fakes/fixtures';
import { startServerProcess, TEST_ENROLMENT_KEY, type RunningProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import type { IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';

let dir: ReturnType<typeof makeTempDir>;
let server: RunningProcess & { url: string };
const cores: ConsoleCore[] = [];

function core(workstation: string, dataDir = join(dir.path, workstation)): ConsoleCore {
  const c = createConsoleCore({
    dataDir,
    workstation,
    enrolmentKey: TEST_ENROLMENT_KEY,
    serverUrl: server.url,
    config: demoConfig,
    host: 'browser',
    clock: systemClock,
    log: silentLog,
  });
  c.start();
  cores.push(c);
  return c;
}

async function call<T>(c: ConsoleCore, channel: string, request: unknown): Promise<T> {
  const reply = await c.dispatch(channel, request);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as T;
}

beforeEach(async () => {
  dir = makeTempDir();
  server = await startServerProcess(join(dir.path, 'central.sqlite'));
});
afterEach(async () => {
  for (const c of cores.splice(0)) c.stop();
  await server.stop();
  dir.remove();
});

describe('two workstations and a real server process', () => {
  it('an incident created on one appears on the other, with its log, its force reference and each file sound', async () => {
    const a = core('WS-A');
    const b = core('WS-B');
    // The demonstration force's accounts: alice handles calls, bob dispatches.
    await call(a, 'session.signIn', { operator: 'alice', password: 'demo' });
    await call(b, 'session.signIn', { operator: 'bob', password: 'demo' });
    const seenByB: IncidentView[] = [];
    b.onEvent((event, payload) => {
      if (event === 'records.changed') seenByB.push(...(payload as { incidents: IncidentView[] }).incidents);
    });

    const { incident } = await call<{ incident: IncidentView }>(a, 'incidents.create', {
      type: 'DOMESTIC',
      location: unverifiedLocation('14 Shirley Road'),
      grade: '1',
      firstLog: 'Caller says her partner is breaking in',
    });
    await eventually(() => b.store.view.incident(incident.id)?.reference != null, 'B has the incident with its force reference');
    const onB = await call<{ incident: IncidentView; log: { text: string }[] }>(b, 'incidents.get', { id: incident.id });
    expect(onB.incident).toMatchObject({ provisionalReference: 'WS-A-P0001', location: unverifiedLocation('14 Shirley Road'), grade: '1', pending: false });
    expect(onB.incident.reference).toMatch(/^DMO-\d{8}-0001$/);
    expect(onB.log.map((e) => e.text)).toEqual(['Caller says her partner is breaking in']);
    expect(seenByB.some((i) => i.id === incident.id)).toBe(true);

    await call(b, 'incidents.addLog', { incidentId: incident.id, text: 'Two units assigned' });
    await eventually(() => a.store.view.logOf(incident.id).length === 2, 'A sees the log line written at B');
    await eventually(() => a.store.view.logOf(incident.id).every((e) => !e.pending), 'A sees its own line confirmed');

    for (const c of [a, b]) expect(integrityCheck(c.store.db)).toBe('ok');
  });

  it('a workstation rebuilt under its name with a fresh data file mints references the server does not hold', async () => {
    const made: IncidentView[] = [];
    const makeIncidents = async (c: ConsoleCore, n: number) => {
      for (let i = 0; i < n; i++) {
        const { incident } = await call<{ incident: IncidentView }>(c, 'incidents.create', { type: 'DOMESTIC', location: unverifiedLocation(`${made.length + 1} Shirley Road`), grade: '2', firstLog: 'Neighbour reports shouting' });
        made.push(incident);
      }
      await eventually(() => made.every((m) => c.store.view.incident(m.id)?.reference != null), 'the server has given each its force reference');
    };

    const first = core('CT-3', join(dir.path, 'first-build'));
    await call(first, 'session.signIn', { operator: 'alice', password: 'demo' });
    await makeIncidents(first, 2);
    first.stop();

    // The same name, a new disk: a fresh data file, enrolled again with the same server.
    const rebuilt = core('CT-3', join(dir.path, 'second-build'));
    await call(rebuilt, 'session.signIn', { operator: 'alice', password: 'demo' });
    await makeIncidents(rebuilt, 2);

    const references = made.map((m) => m.provisionalReference);
    expect(references).toEqual(['CT-3-P0001', 'CT-3-P0002', 'CT-3-P2-0001', 'CT-3-P2-0002']);
    // Each finds one incident, at the rebuilt workstation, once it holds the first build's incidents too.
    await eventually(() => made.every((m) => rebuilt.store.view.incident(m.id)), 'the rebuilt workstation has every incident');
    for (const incident of made) {
      const { incidents } = await call<{ incidents: IncidentView[] }>(rebuilt, 'incidents.find', { reference: incident.provisionalReference });
      expect(incidents.map((i) => i.id), incident.provisionalReference).toEqual([incident.id]);
    }
  });
});
