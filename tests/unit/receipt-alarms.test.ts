import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { alarmsHere } from '../../shared/dispatch/alarms';
import { CLAIM_FALLBACK_MS, CLAIM_SPREAD_MS, claimAtMs, openDeadlines } from '../../shared/dispatch/deadlines';
import { receiptDueMs, unconfirmed } from '../../shared/dispatch/receipts';
import { raisedHere } from '../../shared/domain/raised';
import { unverifiedLocation } from '../../shared/domain/location';
import { deploymentRunBy, runsDeployment, type Assignment } from '../../shared/domain/assignment';
import { demoConfig } from '../fakes/fixtures';
import { RecordSet } from '../fakes/rules-harness';

// The demonstration force waits 60 s for a grade 1 deployment's acceptance, 120 s at grade 2, 600 s at grade 3.
const SENT = '2026-11-29T10:00:00.000Z';
const after = (seconds: number) => new Date(Date.parse(SENT) + seconds * 1000).toISOString();

let state: RecordSet;
let incidentId: string;
let assignmentId: string;
const job = () => state.get('assignment', assignmentId)!;
const unit = () => state.get('unit', 'DM-11')!;
const names = () => ({ assignmentId, unitId: 'DM-11', incidentId });
const logTexts = () => [...state.records.values()].flatMap((r) => (r.kind === 'logEntry' ? [r.doc.text] : []));
const receipt = (value: 'received' | 'accepted' | 'rejected', at: string, note = '') => state.run('assignment.receipt', { ...names(), receipt: value, note }, 'bob', at);
const claim = (at: string, operator = 'bob') => state.run('assignment.receiptOverdue', names(), operator, at);

beforeEach(() => {
  state = new RecordSet();
  incidentId = randomUUID();
  assignmentId = randomUUID();
  state.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
  state.must('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '1', firstLog: null });
  expect(state.run('unit.assign', { assignmentId, unitId: 'DM-11', incidentId, unitVersion: unit().version }, 'bob', SENT).ok).toBe(true);
});

describe('a deployment with no receipt escalates', () => {
  it('falls due after its grade’s time from the force configuration', () => {
    expect(receiptDueMs(demoConfig, job(), '1')).toBe(Date.parse(after(60)));
    expect(receiptDueMs(demoConfig, job(), '3')).toBe(Date.parse(after(600)));
    expect(receiptDueMs(demoConfig, job(), '4')).toBeNull();
  });

  it('raises the alarm once, not before its time, for the workstation that claims it first, and logs it', () => {
    expect(claim(after(59))).toEqual({ ok: true, changes: [] });
    const version = job().version;
    expect(claim(after(60)).ok).toBe(true);
    expect(job()).toMatchObject({ receiptAlarm: { at: after(60), workstation: 'WS-bob' }, version });
    expect(claim(after(61), 'carol')).toEqual({ ok: true, changes: [] });
    expect(job().receiptAlarm?.workstation).toBe('WS-bob');
    expect(logTexts()).toContain('DM-11 has not accepted the deployment 60 s after it was sent (no receipt from its terminal): the dispatcher at WS-bob is alerted to confirm it by radio');
  });

  it('shows the deployment unconfirmed until the crew accepts it or the dispatcher confirms it by radio', () => {
    expect(unconfirmed(demoConfig, job(), '1', Date.parse(after(30)))).toBe(false);
    expect(unconfirmed(demoConfig, job(), '1', Date.parse(after(60)))).toBe(true);
    claim(after(60));
    receipt('received', after(70));
    expect(unconfirmed(demoConfig, job(), '1', Date.parse(after(70)))).toBe(true);
    expect(state.run('assignment.confirmByRadio', names(), 'bob', after(90)).ok).toBe(true);
    expect(job().radioConfirmed).toEqual({ at: after(90), by: 'bob' });
    expect(unconfirmed(demoConfig, job(), '1', Date.parse(after(90)))).toBe(false);
    expect(logTexts()).toContain('DM-11 confirmed the deployment by radio');
  });

  it('is not raised for a deployment the crew accepted, or that they are already driving to', () => {
    receipt('accepted', after(5));
    expect(claim(after(60))).toEqual({ ok: true, changes: [] });
    const other = randomUUID();
    state.registerOnDuty({ callSign: 'DM-12', type: 'IRV', homeStation: 'Central' });
    state.run('unit.assign', { assignmentId: other, unitId: 'DM-12', incidentId, unitVersion: state.get('unit', 'DM-12')!.version }, 'bob', SENT);
    state.run('assignment.setStatus', { assignmentId: other, unitId: 'DM-12', incidentId, status: 'en_route', assignmentVersion: 1 }, 'bob', after(10));
    expect(state.run('assignment.receiptOverdue', { assignmentId: other, unitId: 'DM-12', incidentId }, 'bob', after(60))).toEqual({ ok: true, changes: [] });
  });
});

describe('late receipts never undo what the dispatcher confirmed', () => {
  it('records an acceptance that comes after a confirmation by radio, saying it is late', () => {
    state.run('assignment.confirmByRadio', names(), 'bob', after(90));
    expect(receipt('accepted', after(120)).ok).toBe(true);
    expect(job()).toMatchObject({ status: 'assigned', delivery: { state: 'accepted' } });
    expect(logTexts()).toContain('DM-11 accepted the deployment (late: after the dispatcher confirmed it by radio)');
  });

  it('turns a rejection after the unit was confirmed at scene by radio into a question, not a stand-down', () => {
    state.run('assignment.setStatus', { ...names(), status: 'at_scene', assignmentVersion: job().version }, 'bob', after(300));
    expect(receipt('rejected', after(320), 'vehicle fault').ok).toBe(true);
    expect(job()).toMatchObject({ status: 'at_scene', lateRejection: { at: after(320), note: 'vehicle fault', raised: { workstation: 'WS-bob' } } });
    expect(unit().commitment?.assignmentId).toBe(assignmentId);
    expect(state.get('incident', incidentId)!.activeUnits).toEqual(['DM-11']);
    expect(logTexts()).toContain(
      "DM-11's terminal rejected the deployment after the unit was booked at scene: vehicle fault. Not stood down: the dispatcher is asked whether to stand it down or keep it",
    );
  });

  it('asks the same of a rejection after the crew had accepted, or after a confirmation by radio', () => {
    receipt('accepted', after(5));
    receipt('rejected', after(40));
    expect(job()).toMatchObject({ status: 'assigned', delivery: { state: 'accepted' }, lateRejection: { at: after(40) } });
  });

  it('still stands the unit down on a rejection while nothing has confirmed the deployment', () => {
    receipt('received', after(2));
    receipt('rejected', after(20), 'committed to a prisoner');
    expect(job()).toMatchObject({ status: 'cleared', delivery: { state: 'rejected' }, lateRejection: null });
    expect(unit().commitment).toBeNull();
  });

  it('records each receipt once, however often the terminal sends it, and a late "received" in its place', () => {
    receipt('accepted', after(5));
    expect(receipt('accepted', after(6))).toEqual({ ok: true, changes: [] });
    expect(receipt('received', after(7)).ok).toBe(true);
    expect(job().delivery).toMatchObject({ state: 'accepted' });
    expect(logTexts()).toContain('DM-11 received the deployment (late: after it had accepted)');
  });

  describe('the dispatcher answers the question', () => {
    beforeEach(() => {
      state.run('assignment.confirmByRadio', names(), 'bob', after(90));
      receipt('rejected', after(100), 'vehicle fault');
    });

    it('stands the unit down, releasing it', () => {
      expect(state.run('assignment.answerLateRejection', { ...names(), standDown: true, assignmentVersion: job().version }, 'bob', after(110)).ok).toBe(true);
      expect(job()).toMatchObject({ status: 'cleared', lateRejection: null });
      expect(unit().commitment).toBeNull();
      expect(logTexts()).toContain("DM-11 stood down, as its terminal's rejection asked");
    });

    it('keeps the unit, and a second answer made on what was seen before loses visibly', () => {
      const seen = job().version;
      expect(state.run('assignment.answerLateRejection', { ...names(), standDown: false, assignmentVersion: seen }, 'bob', after(110)).ok).toBe(true);
      expect(job()).toMatchObject({ status: 'assigned', lateRejection: null });
      expect(state.run('assignment.answerLateRejection', { ...names(), standDown: true, assignmentVersion: seen }, 'carol', after(111))).toMatchObject({ ok: false, code: 'conflict' });
      expect(unit().commitment?.assignmentId).toBe(assignmentId);
    });
  });
});

describe('a reservation’s time', () => {
  it('prompts the dispatcher once, at its time, and only while it is still a reservation', () => {
    const booking = randomUUID();
    state.run('unit.assign', { assignmentId: booking, unitId: 'DM-11', incidentId, unitVersion: unit().version, reserveFor: after(3600) }, 'bob', SENT);
    const due = (at: string, operator = 'bob') => state.run('assignment.reservationDue', { assignmentId: booking, unitId: 'DM-11', incidentId }, operator, at);
    expect(due(after(3599))).toEqual({ ok: true, changes: [] });
    expect(due(after(3600)).ok).toBe(true);
    expect(state.get('assignment', booking)).toMatchObject({ status: 'reserved', duePrompt: { workstation: 'WS-bob' } });
    expect(due(after(3601), 'carol')).toEqual({ ok: true, changes: [] });
    expect(logTexts()).toContain("DM-11's reservation for 11:00 is due: the dispatcher at WS-bob is prompted to deploy it");
  });
});

describe('which workstation an alarm shows at', () => {
  const raised = { at: SENT, workstation: 'WS-A', clientId: '00000000-0000-4000-8000-00000000000a' };
  const a = { clientId: raised.clientId, online: true };
  const b = { clientId: '00000000-0000-4000-8000-00000000000b', online: true };

  it('is the one whose claim the server kept: never another, and not before the server has confirmed it unless cut off', () => {
    expect(raisedHere(raised, false, a)).toBe(true);
    expect(raisedHere(raised, true, a)).toBe(false);
    expect(raisedHere(raised, true, { ...a, online: false })).toBe(true);
    expect(raisedHere(raised, false, b)).toBe(false);
    expect(raisedHere(raised, false, { ...b, online: false })).toBe(false);
    expect(raisedHere(null, false, a)).toBe(false);
  });

  it('lists the receipt alarm until the deployment is confirmed', () => {
    const view = (doc: Assignment) => ({ ...doc, pending: false });
    const here = { clientId: '00000000-0000-4000-8000-000000000001', online: true, force: 'DMO' };
    expect(alarmsHere([], [view(job())], here)).toEqual([]);
    claim(after(60));
    expect(alarmsHere([], [view(job())], here).map((x) => x.kind)).toEqual(['receipt']);
    state.run('assignment.confirmByRadio', names(), 'bob', after(90));
    expect(alarmsHere([], [view(job())], here)).toEqual([]);
  });
});

describe('who claims a deadline', () => {
  it('is the workstation of the dispatcher who deployed first; the others only if nobody has after the fallback', () => {
    const deadlines = openDeadlines(demoConfig, [unit()], [job()], () => '1');
    const receiptDeadline = deadlines.find((d) => d.key === `receipt:${assignmentId}`)!;
    expect(receiptDeadline).toMatchObject({ dueMs: Date.parse(after(60)), firstClaim: 'bob', command: { name: 'assignment.receiptOverdue', args: names() } });
    const at = (operator: string, online = false) => claimAtMs(receiptDeadline, { operator, workstation: 'WS-A', online });
    expect(at('bob')).toBe(Date.parse(after(60)));
    expect(at('bob', true)).toBe(Date.parse(after(60)));
    expect(at('carol')).toBe(Date.parse(after(60)) + CLAIM_FALLBACK_MS);
    // Online, the others' fallback claims are spread out as anyone's are (tests/unit/claim-spread.test.ts).
    expect(at('carol', true)).toBeGreaterThanOrEqual(Date.parse(after(60)) + CLAIM_FALLBACK_MS);
    expect(at('carol', true)).toBeLessThan(Date.parse(after(60)) + CLAIM_FALLBACK_MS + CLAIM_SPREAD_MS);
    claim(after(60));
    expect(openDeadlines(demoConfig, [unit()], [job()], () => '1').some((d) => d.key.startsWith('receipt:'))).toBe(false);
  });
});

describe('whose desk a deployment’s alarms and prompts are for (issue 12’s try-out: DMO was offered NBR’s unit)', () => {
  const view = (doc: Assignment) => ({ ...doc, pending: false });
  const here = (force: string) => ({ clientId: '00000000-0000-4000-8000-000000000001', online: true, force });

  it('names the force that runs it: its own unit’s force when assisting, the borrower for a lent unit, else the incident’s', () => {
    expect(deploymentRunBy({ force: 'DMO' })).toBe('DMO');
    expect(deploymentRunBy({ force: 'DMO', unitForce: 'NBR' })).toBe('NBR');
    expect(deploymentRunBy({ force: 'DMO', unitForce: 'NBR', lent: true })).toBe('DMO');
    expect(runsDeployment(null, { force: 'DMO' })).toBe(false);
  });

  it('neither alarms nor claims at the incident’s force for another force’s unit assisting there, and does at the unit’s force', () => {
    claim(after(60));
    const assisting = { ...job(), unitForce: 'NBR' };
    expect(alarmsHere([], [view(assisting)], here('DMO'))).toEqual([]);
    expect(alarmsHere([], [view(assisting)], here('NBR')).map((x) => x.kind)).toEqual(['receipt']);
    const unclaimed = { ...assisting, receiptAlarm: null };
    expect(openDeadlines(demoConfig, [], [unclaimed], () => '1').some((d) => d.key.startsWith('receipt:'))).toBe(false);
  });

  it('alarms the borrower, not the lender, for a lent unit', () => {
    claim(after(60));
    const lent = { ...job(), unitForce: 'NBR', lent: true as const };
    expect(alarmsHere([], [view(lent)], here('DMO')).map((x) => x.kind)).toEqual(['receipt']);
    expect(alarmsHere([], [view(lent)], here('NBR'))).toEqual([]);
    expect(openDeadlines(demoConfig, [], [{ ...lent, receiptAlarm: null }], () => '1').some((d) => d.key.startsWith('receipt:'))).toBe(true);
  });
});
