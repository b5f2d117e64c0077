import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { planCommand, type ServerRules } from '../../server/commands/plan-command';
import { keyString, type AnyRecord } from '../../shared/domain/records';
import type { Contact } from '../../shared/domain/contact';
import type { Incident } from '../../shared/domain/incident';
import { unverifiedLocation } from '../../shared/domain/location';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { demoConfig } from '../fakes/fixtures';
import { RecordSet } from '../fakes/rules-harness';

// The training server's exercise clock stands at 22:50; the trainee's desk ran on to 22:56 through a pause it could
// not hear (the system was down), so its commands say 22:56. The system went down at 22:45.
const SERVER_NOW = Date.parse('2026-12-04T22:50:00.000Z');
const DESK_NOW = '2026-12-04T22:56:00.000Z';
const outageFrom = '2026-12-04T22:45:00.000Z';
const iso = (ms: number) => new Date(ms).toISOString();
const MINUTE = 60_000;

function envelope(name: string, args: unknown, issuedAt = DESK_NOW): CommandEnvelope {
  return { commandId: randomUUID(), clientId: randomUUID(), clientSeq: 1, name, args, issuedAt, operator: 'bob', ticket: '', workstation: 'trainee-1', schemaVersion: SCHEMA_VERSION };
}

/** Plans and decides `sent` on a server (a training one unless `live`) against `records`, keeping what it wrote. */
function onServer(records: RecordSet, sent: CommandEnvelope, live = false) {
  const rules: ServerRules = { config: demoConfig, now: () => SERVER_NOW, ...(live ? {} : { training: true }) };
  let serial = 0;
  const decision = planCommand(sent, rules).decide(records, () => ++serial);
  if (decision.status === 'applied') records.put(decision.changes as AnyRecord[]);
  return decision;
}

const incidentId = '11111111-1111-4111-8111-111111111111';
const incident = (paperAt?: string) => ({
  incidentId,
  provisionalReference: 'WS-bob-P0001',
  type: 'RTC',
  location: unverifiedLocation('Coast road'),
  grade: '1',
  firstLog: { entryId: '22222222-2222-4222-8222-222222222222', text: 'Driver not moving' },
  ...(paperAt ? { paper: { at: paperAt, outageFrom } } : {}),
});
const incidentOf = (records: RecordSet) => records.records.get(keyString({ kind: 'incident', id: incidentId }))?.doc as Incident | undefined;

describe('a training server judges the times a trainee’s desk gives it by its own exercise clock', () => {
  it('refuses a paper time of call still to come by the exercise clock, saying the desk’s clock was ahead', () => {
    const records = new RecordSet();
    const decision = onServer(records, envelope('incident.create', incident(iso(SERVER_NOW + 5 * MINUTE))));
    expect(decision).toMatchObject({ status: 'rejected', code: 'invalid', reason: expect.stringContaining("still to come by the server's clock") });
    expect(decision.status === 'rejected' && decision.reason).toContain("this desk's clock (2026-12-04 22:56 GMT) was ahead");
    expect(incidentOf(records)).toBeUndefined();
  });

  it('takes a paper time the exercise has reached, marked entered at the exercise’s time', () => {
    const records = new RecordSet();
    expect(onServer(records, envelope('incident.create', incident(iso(SERVER_NOW - MINUTE)))).status).toBe('applied');
    expect(incidentOf(records)).toMatchObject({ createdAt: iso(SERVER_NOW - MINUTE), backEntered: { enteredAt: iso(SERVER_NOW) } });
  });

  it('stamps an incident raised at the desk with the exercise’s time, not the desk’s, so its attendance clock runs from then', () => {
    const records = new RecordSet();
    expect(onServer(records, envelope('incident.create', incident())).status).toBe('applied');
    expect(incidentOf(records)?.createdAt).toBe(iso(SERVER_NOW));
  });

  it('refuses a paper deployment with a time still to come by the exercise clock', () => {
    const records = new RecordSet();
    records.registerOnDuty({ callSign: 'DM-14', type: 'IRV', homeStation: 'SALT' });
    onServer(records, envelope('incident.create', incident(iso(SERVER_NOW - 4 * MINUTE))));
    const deployment = { assignmentId: '33333333-3333-4333-8333-333333333333', unitId: 'DM-14', incidentId, deployedAt: iso(SERVER_NOW - 3 * MINUTE), arrivedAt: iso(SERVER_NOW + 3 * MINUTE), clearedAt: null, paper: { outageFrom } };
    expect(onServer(records, envelope('assignment.record', deployment))).toMatchObject({ status: 'rejected', reason: expect.stringContaining("still to come by the server's clock") });
  });

  it('refuses a paper log line with a time still to come by the exercise clock', () => {
    const records = new RecordSet();
    onServer(records, envelope('incident.create', incident(iso(SERVER_NOW - 4 * MINUTE))));
    const line = { incidentId, entryId: '44444444-4444-4444-8444-444444444444', text: 'Caller rang back', paper: { at: iso(SERVER_NOW + 2 * MINUTE), outageFrom } };
    expect(onServer(records, envelope('incident.addLog', line))).toMatchObject({ status: 'rejected', reason: expect.stringContaining("still to come by the server's clock") });
  });

  it('takes a call as received no later than the exercise’s time', () => {
    const records = new RecordSet();
    const contactId = '55555555-5555-4555-8555-555555555555';
    onServer(records, envelope('contact.receive', { contactId, source: '999', callerNumber: null, receivedAt: DESK_NOW, handsetLocation: null }));
    expect((records.records.get(keyString({ kind: 'contact', id: contactId }))?.doc as Contact).receivedAt).toBe(iso(SERVER_NOW));
  });

  it('is what a live server does too: a desk clock ahead of it is taken at its time (issue 12: no record in the future)', () => {
    const records = new RecordSet();
    expect(onServer(records, envelope('incident.create', incident()), true).status).toBe('applied');
    expect(incidentOf(records)?.createdAt).toBe(iso(SERVER_NOW));
  });

  it('keeps a time behind the server’s, as a command queued offline carries it, on a live server as on a training one', () => {
    for (const live of [true, false]) {
      const records = new RecordSet();
      expect(onServer(records, envelope('incident.create', incident(), iso(SERVER_NOW - 20 * MINUTE)), live).status).toBe('applied');
      expect(incidentOf(records)?.createdAt).toBe(iso(SERVER_NOW - 20 * MINUTE));
    }
  });
});
