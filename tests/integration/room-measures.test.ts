import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import type { ServerStorage } from '../../server/storage/storage';
import { callBackTaskId } from '../../shared/domain/call-backs';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { MEASURES_PATH, type MeasuresResponse } from '../../shared/sync/measures-protocol';
import { registerTestOperators, ticketFor } from '../fakes/access';
import { silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { createIncidentCommand, fixedRules, postgresFactory, pushTo, sqliteFactory, type OpenedStorage } from '../fakes/storages';

// The room's measures computed once on the central server (issue 14), over its HTTP route, on both storages: calls
// relayed by the telephony switch and answered by a handler, an incident waiting; two supervisors' workstations
// asking get the same figures; who may ask, and a span refused with its reason.
const cluster = postgresForThisFile();

const ENROLMENT_KEY = 'measures-test-key';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('the room’s measures on $name', (factory) => {
  let opened: OpenedStorage;
  let storage: ServerStorage;
  let server: CentralServer;
  /** The call handler's position, where the calls ring and are answered (pushed straight to the storage). */
  const position = randomUUID();
  /** Two supervisors' workstations, enrolled over HTTP: clientId → device token. */
  const desks = new Map<string, string>();
  let seq = 1;

  beforeEach(async () => {
    opened = await factory.open();
    storage = opened.storage;
    seq = 1;
    await registerTestOperators(storage, fixedRules, ['alice'], ['call_handler']);
    await registerTestOperators(storage, fixedRules, ['carol', 'sam'], ['supervisor']);
    server = await startCentralServer({ storage, rules: fixedRules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: ENROLMENT_KEY });
    desks.clear();
    for (const workstation of ['SUP-1', 'SUP-2']) {
      const clientId = randomUUID();
      const enrolled = await post('/v1/enrol', { clientId, workstation, enrolmentKey: ENROLMENT_KEY }, null);
      expect(enrolled.status).toBe(200);
      desks.set(clientId, (enrolled.body as { deviceToken: string }).deviceToken);
    }
  });
  afterEach(async () => {
    await server.close();
    await opened.close();
  });

  async function post(path: string, body: unknown, token: string | null): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(new URL(path, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function ask(operator: string, clientId: string, window: unknown) {
    const ticket = await ticketFor(storage, operator, clientId);
    return post(MEASURES_PATH, { operator, ticket, issuedAt: '2026-11-29T10:00:00.000Z', window }, desks.get(clientId)!);
  }

  /** What the switch reports and alice does, in order, each at its own time, from her position. */
  async function happen(steps: { name: string; args: unknown; at: string; by: 'telephony' | 'alice' }[]) {
    const envelopes: CommandEnvelope[] = steps.map((step) => ({
      commandId: randomUUID(),
      clientId: position,
      clientSeq: seq++,
      name: step.name,
      args: step.args,
      issuedAt: step.at,
      operator: step.by,
      ticket: '',
      workstation: 'WS-TEST',
      schemaVersion: SCHEMA_VERSION,
      ...(step.by === 'telephony' ? { relay: { kind: 'telephony' as const } } : {}),
    }));
    const pushed = await pushTo(storage, position, envelopes);
    expect(pushed.outcomes.map((o) => ('reason' in o ? o.reason : o.status))).toEqual(steps.map(() => 'applied'));
  }

  const ring = (contactId: string, callerNumber: string, at: string) => ({ name: 'contact.receive', args: { contactId, source: '999', callerNumber, receivedAt: at, handsetLocation: null }, at, by: 'telephony' as const });
  const answer = (contactId: string, at: string) => ({ name: 'contact.answer', args: { contactId }, at, by: 'alice' as const });

  it('gives two supervisors at two workstations the same figures, computed from what the switch and the handler did', async () => {
    const [quick, gaveUp, late] = [randomUUID(), randomUUID(), randomUUID()];
    const incident = createIncidentCommand(position, 0);
    await happen([
      ring(quick, '07700 900001', '2026-11-29T09:50:00.000Z'),
      answer(quick, '2026-11-29T09:50:04.000Z'),
      ring(gaveUp, '07700 900002', '2026-11-29T09:51:00.000Z'),
      { name: 'contact.end', args: { contactId: gaveUp, outcome: 'abandoned', taskId: callBackTaskId('DMO', '07700 900002', gaveUp) }, at: '2026-11-29T09:51:30.000Z', by: 'telephony' },
      ring(late, '07700 900003', '2026-11-29T09:52:00.000Z'),
      answer(late, '2026-11-29T09:52:25.000Z'),
      // A grade 3 incident, waiting for a unit since 09:55.
      { name: 'incident.create', args: incident.args, at: '2026-11-29T09:55:00.000Z', by: 'alice' },
    ]);

    const [one, two] = [...desks.keys()];
    const byCarol = await ask('carol', one!, { kind: 'last-hour' });
    const bySam = await ask('sam', two!, { kind: 'last-hour' });
    expect(byCarol.status, JSON.stringify(byCarol.body)).toBe(200);
    expect(bySam.body).toEqual(byCarol.body);
    const figures = byCarol.body as unknown as MeasuresResponse;
    expect(figures.window).toEqual({ kind: 'last-hour', from: '2026-11-29T09:00:00.000Z', to: '2026-11-29T10:00:00.000Z', shiftName: null });
    expect(figures.measures.calls).toMatchObject({ offered999: 3, answered999: 2, abandoned999: 1, counted999: 3, within10s999: 1, within10sPercent999: 33.3, abandonedPercent999: 33.3 });
    expect(figures.measures.answerTimes.find((a) => a.source === '999')).toMatchObject({ answered: 2, medianSeconds: 4, p90Seconds: 25 });
    expect(figures.measures.queue.now).toEqual({ '1': 0, '2': 0, '3': 1 });
    expect(figures.levels).toMatchObject({ answered999Within10s: 'red', abandoned999: 'red', 'queueDepth:3': 'ok' });
    // The grade 3 incident waiting for a unit has waited five minutes for a dispatcher too: well within its 30.
    expect(figures.measures.handoffsWaiting).toEqual({ waiting: 1, pastTime: 0, escalated: 0, oldestSeconds: 300 });

    // The same span asked as a span (a review's question) gives the same figures; the shift (Early, from 07:00 GMT) too.
    const asSpan = await ask('carol', one!, { kind: 'span', from: '2026-11-29T09:00:00.000Z', to: '2026-11-29T10:00:00.000Z' });
    expect((asSpan.body as unknown as MeasuresResponse).measures).toEqual(figures.measures);
    const shift = (await ask('sam', two!, { kind: 'shift' })).body as unknown as MeasuresResponse;
    expect(shift.window).toEqual({ kind: 'shift', from: '2026-11-29T07:00:00.000Z', to: '2026-11-29T10:00:00.000Z', shiftName: 'Early' });
    expect(shift.measures.calls).toEqual(figures.measures.calls);
  });

  it('answers a supervisor only, and refuses a span of no length with its reason', async () => {
    const [one] = [...desks.keys()];
    await registerTestOperators(storage, fixedRules, ['alice'], ['call_handler']);
    const refused = await ask('alice', one!, { kind: 'last-hour' });
    expect(refused).toEqual({ status: 403, body: { error: "alice (call handler) may not see the room's measures: only a supervisor may" } });
    const empty = await ask('carol', one!, { kind: 'span', from: '2026-11-29T09:00:00.000Z', to: '2026-11-29T09:00:00.000Z' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toContain('window.to: must be after the start of the span');
  });
});
