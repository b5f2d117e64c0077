import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyCommand, parseCommand } from '../../shared/commands/registry';
import type { ApplyContext, ApplyResult } from '../../shared/commands/types';
import { unverifiedLocation } from '../../shared/domain/location';
import { describeAuthor, relayAuthor, relayedCommandNames, relayRefusal, type Relay } from '../../shared/domain/relay';
import { demoConfig } from '../fakes/fixtures';
import { callBackTaskId } from '../../shared/domain/call-backs';
import { RecordSet } from '../fakes/rules-harness';

// The terminal allowlist: what a unit's terminal may say through a workstation, with no operator's roles involved.
const AT = '2026-11-29T10:00:00.000Z';
const DM11: Relay = { kind: 'terminal', unitId: 'DM-11' };

let state: RecordSet;
let incidentId: string;
let assignmentId: string;
let otherAssignmentId: string;

/** Applies a command as the server would a relay of `relay` from workstation WS-dave (a call handler's desk). */
function relayed(name: string, args: unknown, relay: Relay = DM11, extra: Partial<ApplyContext> & { operator?: string } = {}): ApplyResult {
  const parsed = parseCommand(name, args);
  if (!parsed.ok) throw new Error(parsed.reason);
  const { operator = relayAuthor(relay), ...rest } = extra;
  const ctx: ApplyContext = { issuedAt: AT, actor: { operator, workstation: 'WS-dave', clientId: '00000000-0000-4000-8000-000000000002' }, config: demoConfig, relay, ...rest };
  const result = applyCommand(parsed.command, ctx, state);
  if (result.ok) state.put(result.changes);
  return result;
}

const job = (id = assignmentId) => state.get('assignment', id)!;
const names = (id = assignmentId) => ({ assignmentId: id, unitId: job(id).unitId, incidentId });

beforeEach(() => {
  state = new RecordSet();
  incidentId = randomUUID();
  assignmentId = randomUUID();
  otherAssignmentId = randomUUID();
  state.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
  state.registerOnDuty({ callSign: 'DM-12', type: 'IRV', homeStation: 'Central' });
  state.must('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '1', firstLog: null });
  state.must('unit.assign', { assignmentId, unitId: 'DM-11', incidentId, unitVersion: state.get('unit', 'DM-11')!.version }, 'bob');
  state.must('unit.assign', { assignmentId: otherAssignmentId, unitId: 'DM-12', incidentId, unitVersion: state.get('unit', 'DM-12')!.version }, 'bob');
});

describe("the terminal allowlist: what a unit's terminal may say through a workstation", () => {
  it('takes a receipt and the crew’s status presses for the unit’s own deployment, written in the terminal’s name through the workstation', () => {
    expect(relayed('assignment.receipt', { ...names(), receipt: 'accepted', note: '' }).ok).toBe(true);
    expect(relayed('assignment.setStatus', { ...names(), status: 'en_route', assignmentVersion: job().version }).ok).toBe(true);
    expect(relayed('assignment.setStatus', { ...names(), status: 'at_scene', assignmentVersion: job().version }).ok).toBe(true);
    expect(job()).toMatchObject({ status: 'at_scene', delivery: { state: 'accepted', at: AT } });
    const lines = [...state.records.values()].flatMap((r) => (r.kind === 'logEntry' && r.doc.text.startsWith('DM-11 ') ? [r.doc] : []));
    expect(lines.map((l) => [l.text, l.author, l.workstation, l.relay])).toEqual([
      ['DM-11 assigned; deployment sent to its terminal', 'bob', 'WS-bob', undefined],
      ['DM-11 accepted the deployment', 'terminal DM-11', 'WS-dave', DM11],
      ['DM-11 en route', 'terminal DM-11', 'WS-dave', DM11],
      ['DM-11 at scene', 'terminal DM-11', 'WS-dave', DM11],
    ]);
    expect(lines.map((l) => describeAuthor(l.author, l.workstation, l.relay))).toEqual(['bob (WS-bob)', ...Array(3).fill('DM-11 (terminal, via WS-dave)')]);
  });

  it('takes the crew booking its own unit off and on, in the terminal’s name', () => {
    const free = { kind: 'terminal', unitId: 'DM-13' } as const;
    state.must('unit.register', { callSign: 'DM-13', type: 'IRV', homeStation: 'Central' });
    expect(relayed('unit.setDuty', { unitId: 'DM-13', duty: 'on_duty', unitVersion: 1, until: '2026-11-29T18:00:00.000Z', via: 'terminal' }, free).ok).toBe(true);
    expect(state.get('unit', 'DM-13')!.tour).toMatchObject({ bookedOnBy: 'terminal DM-13', via: 'terminal' });
    expect(relayed('unit.setDuty', { unitId: 'DM-13', duty: 'off_duty', unitVersion: 1, via: 'terminal' }, free).ok).toBe(true);
    expect(state.get('unit', 'DM-13')!.duty).toBe('off_duty');
  });

  it('refuses every other command, with the reason, changing nothing', () => {
    expect(relayedCommandNames.terminal).toEqual(['assignment.receipt', 'assignment.setStatus', 'unit.setDuty']);
    const before = new Map(state.records);
    const refused = [
      relayed('incident.addLog', { incidentId, entryId: randomUUID(), text: 'Crew say all quiet' }),
      relayed('assignment.confirmByRadio', names()),
      relayed('unit.assign', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId, unitVersion: state.get('unit', 'DM-11')!.version }),
    ];
    expect(refused).toEqual(
      ['incident.addLog', 'assignment.confirmByRadio', 'unit.assign'].map((name) => ({
        ok: false,
        code: 'forbidden',
        reason: `a message relayed from DM-11's terminal cannot ${name}: only a receipt, a status press or a booking on or off`,
      })),
    );
    expect(state.records).toEqual(before);
  });

  it('refuses a message about another unit, or another unit’s deployment, or in another name', () => {
    expect(relayed('assignment.receipt', { ...names(otherAssignmentId), receipt: 'accepted', note: '' })).toEqual({
      ok: false,
      code: 'forbidden',
      reason: "a message relayed from DM-11's terminal may only be about DM-11, not DM-12",
    });
    // Naming itself on the other unit's deployment: the deployment is not DM-11's.
    expect(relayed('assignment.receipt', { ...names(otherAssignmentId), unitId: 'DM-11', receipt: 'accepted', note: '' })).toMatchObject({ ok: false, reason: 'the assignment belongs to another unit or incident' });
    expect(relayed('unit.setDuty', { unitId: 'DM-12', duty: 'off_duty', unitVersion: 1, via: 'terminal' })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(relayed('assignment.receipt', { ...names(), receipt: 'accepted', note: '' }, DM11, { operator: 'bob' })).toEqual({
      ok: false,
      code: 'forbidden',
      reason: "a message relayed from DM-11's terminal must be in its name (terminal DM-11), not bob's",
    });
    expect(relayed('assignment.receipt', { ...names(), receipt: 'accepted', note: '' }, DM11, { redoOf: { refusalId: randomUUID(), action: 'redone', at: AT } })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(job().delivery?.state).toBe('sent');
  });

  it('refuses what a terminal does not send: clearing, a reservation, a dispatcher’s booking', () => {
    expect(relayed('assignment.setStatus', { ...names(), status: 'cleared', assignmentVersion: job().version })).toEqual({ ok: false, code: 'forbidden', reason: 'a terminal may book its unit en route or at scene, not cleared' });
    expect(relayed('unit.setDuty', { unitId: 'DM-11', duty: 'off_duty', unitVersion: 1, via: 'dispatcher' })).toMatchObject({ ok: false, reason: 'a booking relayed from a terminal must say it came from the terminal' });
    expect(job().status).toBe('assigned');
  });

  it('takes a crew’s vehicle-defect press: a unit standing free becomes unavailable, one committed to a job is refused until it is cleared', () => {
    const free = state.get('unit', 'DM-12')!;
    relayed('assignment.receipt', { ...names(otherAssignmentId), unitId: 'DM-12', receipt: 'rejected', note: 'vehicle broken down' }, { kind: 'terminal', unitId: 'DM-12' });
    expect(state.get('unit', 'DM-12')!.commitment).toBeNull();
    expect(relayed('unit.setDuty', { unitId: 'DM-12', duty: 'unavailable', unitVersion: free.version, via: 'terminal' }, { kind: 'terminal', unitId: 'DM-12' }).ok).toBe(true);
    expect(state.get('unit', 'DM-12')!.duty).toBe('unavailable');
    expect(relayed('unit.setDuty', { unitId: 'DM-11', duty: 'unavailable', unitVersion: 1, via: 'terminal' })).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('is the only way in for a call handler’s desk: her own receipt is refused for her roles', () => {
    expect(relayRefusal(DM11, { name: 'assignment.receipt', args: names(), operator: 'terminal DM-11', workstation: 'WS-dave', redoes: false }, () => undefined)).toBeNull();
    expect(state.run('assignment.receipt', { ...names(), receipt: 'accepted', note: '' }, 'dave')).toMatchObject({ ok: false, code: 'forbidden' });
  });
});

describe('the telephony allowlist: what the switch may report through a workstation', () => {
  const SWITCH: Relay = { kind: 'telephony' };
  const ringing = (contactId: string) => ({ contactId, source: '999', callerNumber: '07700 900123', receivedAt: AT, handsetLocation: null });
  const location = { point: { lat: 50.9, lon: -1.4 }, accuracyM: 30, source: 'AML', at: AT };

  it('takes a call ringing, its location and its abandonment, in the switch’s name, at the position it rang at', () => {
    const contactId = randomUUID();
    expect(relayed('contact.receive', ringing(contactId), SWITCH).ok).toBe(true);
    expect(relayed('contact.locate', { contactId, handsetLocation: location }, SWITCH).ok).toBe(true);
    expect(relayed('contact.end', { contactId, outcome: 'abandoned', taskId: callBackTaskId(demoConfig.force.code, '07700 900123', contactId) }, SWITCH).ok).toBe(true);
    expect(state.get('contact', contactId)).toMatchObject({ workstation: 'WS-dave', state: 'abandoned', endedAt: AT, answeredBy: null });
    expect(describeAuthor(relayAuthor(SWITCH), 'WS-dave', SWITCH)).toBe('telephony (via WS-dave)');
  });

  it('refuses what is the call handler’s, a call offered to another position, and another name', () => {
    const contactId = randomUUID();
    expect(relayed('contact.receive', ringing(contactId), SWITCH).ok).toBe(true);
    expect(relayed('contact.answer', { contactId }, SWITCH)).toEqual({ ok: false, code: 'forbidden', reason: 'a message relayed from the telephony switch cannot contact.answer: only a call ringing, its location or its abandonment' });
    expect(relayed('contact.end', { contactId, outcome: 'silent', taskId: randomUUID() }, SWITCH)).toMatchObject({ ok: false, reason: "the telephony switch may end a call only as abandoned, not silent: that is the call handler's" });
    const elsewhere = relayed('contact.locate', { contactId, handsetLocation: location }, SWITCH, { actor: { operator: 'telephony', workstation: 'WS-other', clientId: '00000000-0000-4000-8000-000000000003' } });
    expect(elsewhere).toEqual({ ok: false, code: 'forbidden', reason: 'the call was offered to WS-dave, not to WS-other: only its own position reports on it' });
    expect(relayed('contact.receive', ringing(randomUUID()), SWITCH, { operator: 'alice' })).toMatchObject({ ok: false, reason: "a message relayed from the telephony switch must be in its name (telephony), not alice's" });
    expect(relayed('assignment.receipt', { ...names(), receipt: 'accepted', note: '' }, SWITCH)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(state.get('contact', contactId)).toMatchObject({ state: 'ringing', handsetLocation: null });
  });
});

describe('the names relays and the system write are no operator’s', () => {
  it.each(['telephony', 'Telephony', 'terminal DM-11', 'terminal', 'system', 'System'])('refuses an operator named %s, by the file’s registration or an administrator’s addition', (name) => {
    const registered = state.run('operator.register', { name, displayName: 'Impostor', roles: ['dispatcher'], active: true }, 'admin', undefined, true);
    expect(registered).toMatchObject({ ok: false, code: 'invalid', reason: `${name} is a name the system gives itself, terminals and the telephony switch: choose another` });
    const added = state.run('operator.add', { name, displayName: 'Impostor', roles: ['dispatcher'] }, 'admin', undefined, true);
    expect(added).toMatchObject({ ok: false, reason: expect.stringContaining('a name the system gives itself, terminals') });
    expect(state.get('operator', name)).toBeUndefined();
  });

  it('still takes a person whose name merely starts with the same letters', () => {
    expect(state.run('operator.register', { name: 'Terminator', displayName: 'T. Arnold', roles: ['dispatcher'], active: true }, 'admin', undefined, true).ok).toBe(true);
  });
});
