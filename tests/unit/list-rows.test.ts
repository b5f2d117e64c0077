import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Incident } from '../../shared/domain/incident';
import { Contact } from '../../shared/domain/contact';
import { DEFAULT_JUSTIFICATION } from '../../shared/domain/consultation';
import { contactRow, INCIDENT_ROW_LEFT_OUT, INCIDENT_ROW_SHOWN, INCIDENT_ROW_WITHHELD, incidentRow } from '../../shared/domain/list-rows';

const AT = '2026-11-30T10:00:00.000Z';
const NOW = Date.parse(AT) + 3_600_000;
const CALLER = 'Jo Bloggs';
const NUMBER = '07700 900123';
const SECRET = 'The caller is the suspect’s sister';

function incident(over: Partial<Incident> = {}): Incident {
  return Incident.parse({
    id: randomUUID(),
    force: 'DMO',
    reference: 'DMO-20261130-0007',
    provisionalReference: 'WS-DMO-1',
    type: 'BURGLARY',
    location: { text: 'Border Road', point: { lat: 50.9, lon: -1.4 }, source: 'gazetteer', district: 'Crossways', accuracyM: null },
    description: SECRET,
    callerName: CALLER,
    callerNumber: NUMBER,
    grade: '1',
    gradedAt: AT,
    pendingDowngrade: null,
    thrive: null,
    related: [randomUUID()],
    status: 'closed',
    queue: { force: 'DMO', area: 'NORTH' },
    owner: 'bob',
    activeUnits: [],
    reopenings: [],
    attendedAt: AT,
    closingCode: 'ADVICE',
    closedAt: AT,
    closedBy: 'bob',
    createdAt: AT,
    createdBy: 'alice',
    createdAtWorkstation: 'WS-DMO',
    updatedAt: AT,
    version: 3,
    ...over,
  });
}

describe('a list row of an incident whose detail needs a reason', () => {
  it('names every field of the incident as shown, withheld or left out, so a field added later is in no row until named', () => {
    const named = new Set<string>([...INCIDENT_ROW_SHOWN, ...INCIDENT_ROW_WITHHELD, ...INCIDENT_ROW_LEFT_OUT]);
    expect(Object.keys(Incident.shape).filter((field) => !named.has(field))).toEqual([]);
  });

  it('shows a closed incident’s reference, type, place, status and times, never its caller, description or who worked it, and says why', () => {
    const closed = incident();
    const row = incidentRow(closed, DEFAULT_JUSTIFICATION, 'DMO', NOW);
    expect(row).toMatchObject({ id: closed.id, reference: closed.reference, type: 'BURGLARY', status: 'closed', closingCode: 'ADVICE', location: closed.location, withheld: 'this incident is closed' });
    for (const field of INCIDENT_ROW_LEFT_OUT) expect(row).not.toHaveProperty(field);
    expect(JSON.stringify(row)).not.toContain(CALLER);
    expect(JSON.stringify(row)).not.toContain(NUMBER);
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(row).toMatchObject({ owner: null, closedBy: null, related: [] });
    expect(Incident.safeParse(row).success).toBe(true);
  });

  it('leaves an open incident of the force whole, and follows the force’s rules (closed incidents need no reason where it says so)', () => {
    const open = incident({ status: 'open', closedAt: null, closingCode: null, closedBy: null });
    expect(incidentRow(open, DEFAULT_JUSTIFICATION, 'DMO', NOW)).toBe(open);
    const closed = incident();
    expect(incidentRow(closed, { ...DEFAULT_JUSTIFICATION, closedIncidents: false }, 'DMO', NOW)).toBe(closed);
  });

  it('rows another force’s incident, open as it is, keeping its shared view', () => {
    const theirs = incident({ status: 'open', force: 'NBR', closedAt: null, closingCode: null, closedBy: null, sharedView: { tier: 'view', commonPriority: 1 } });
    expect(incidentRow(theirs, DEFAULT_JUSTIFICATION, 'DMO', NOW)).toMatchObject({ withheld: 'this incident belongs to another force (NBR)', sharedView: { tier: 'view', commonPriority: 1 }, callerName: '' });
  });
});

describe('a list row of a call', () => {
  const call = (receivedAt: string, force = 'DMO'): Contact =>
    Contact.parse({ id: randomUUID(), force, source: '999', callerNumber: NUMBER, handsetLocation: { point: { lat: 50.9, lon: -1.4 }, accuracyM: 30, source: 'AML', at: receivedAt }, state: 'completed', receivedAt, workstation: 'WS-DMO', answeredAt: receivedAt, answeredBy: 'alice', endedAt: receivedAt, incidentId: null, version: 2 });

  it('keeps the caller’s number and position only where a caller’s history would show them without a reason', () => {
    const recent = call(AT);
    expect(contactRow(recent, DEFAULT_JUSTIFICATION, 'DMO', NOW)).toBe(recent);
    const old = call('2026-10-01T10:00:00.000Z');
    expect(contactRow(old, DEFAULT_JUSTIFICATION, 'DMO', NOW)).toMatchObject({ id: old.id, receivedAt: old.receivedAt, callerNumber: null, handsetLocation: null });
    expect(contactRow(call(AT, 'NBR'), DEFAULT_JUSTIFICATION, 'DMO', NOW)).toMatchObject({ callerNumber: null, handsetLocation: null });
  });
});
