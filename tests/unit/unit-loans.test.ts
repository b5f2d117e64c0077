import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadForceConfig, neighbourForceConfigFile } from '../../node-common/force-config-file';
import { unverifiedLocation } from '../../shared/domain/location';
import { loanPolicy } from '../../shared/domain/loan-policy';
import { unitsForAsk } from '../../shared/domain/loan';
import { mayChange, visibleTo } from '../../shared/domain/partition';
import type { AnyRecord, RecordKind } from '../../shared/domain/records';
import { changesFor } from '../../server/changes-for';
import { auditDrafts } from '../../server/audit/command-audit';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { RecordSet } from '../fakes/rules-harness';
import { openDeadlines } from '../../shared/dispatch/deadlines';
import { demoConfig } from '../fakes/fixtures';
import { takeBackStandDown } from '../../shared/commands/loan-take-back';
import type { ApplyContext } from '../../shared/commands/types';

// Unit loans between forces: DMO (the borrower) asks NBR (the lender) for a unit for one of its incidents.
const nbr = loadForceConfig(neighbourForceConfigFile());

let state: RecordSet;
let incidentId: string;

beforeEach(() => {
  state = new RecordSet();
  for (const id of ['omar', 'priya']) state.put([{ kind: 'operator', id, doc: { id, force: 'NBR', displayName: id, roles: ['dispatcher'], active: true, version: 1 } }]);
  state.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
  for (const callSign of ['NB-101', 'NB-102']) {
    expect(state.run('unit.register', { callSign, type: 'RESP', homeStation: 'Northbridge' }, 'nbadmin', undefined, true, nbr).ok).toBe(true);
    expect(state.run('unit.setDuty', { unitId: callSign, duty: 'on_duty', unitVersion: 1 }, 'omar', undefined, false, nbr).ok).toBe(true);
  }
  incidentId = randomUUID();
  state.must('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null });
});

const loan = (id: string) => state.get('loan', id)!;
const unit = (id: string) => state.get('unit', id)!;
const asNbr = (name: string, args: unknown, operator = 'omar') => state.run(name, args, operator, undefined, false, nbr);
const record = (kind: RecordKind, id: string) => ({ kind, id, doc: state.get(kind, id) }) as AnyRecord;

function request(ask: unknown = { type: 'a response car' }, reason = 'No DMO unit free within 20 minutes'): string {
  const loanId = randomUUID();
  state.must('loan.request', { loanId, incidentId, lender: 'NBR', ask, reason }, 'bob');
  return loanId;
}

function accept(loanId: string, unitId = 'NB-101', operator = 'omar') {
  return asNbr('loan.accept', { loanId, loanVersion: loan(loanId).version, unitId, unitVersion: unit(unitId).version }, operator);
}

describe('asking another force for a unit', () => {
  it('carries in the request what the lender needs to decide, and nothing of the caller or the log', () => {
    state.must('incident.update', { incidentId, changeId: randomUUID(), fields: { callerName: 'Ms Private', callerNumber: '07700 900999' } });
    const loanId = request();
    expect(loan(loanId)).toMatchObject({
      force: 'DMO',
      lender: 'NBR',
      status: 'requested',
      ask: { type: 'a response car' },
      reason: 'No DMO unit free within 20 minutes',
      incident: { reference: 'WS-P0001', type: 'Assault', commonPriority: 1, location: 'Crossways Road' },
    });
    expect(JSON.stringify(loan(loanId))).not.toMatch(/Ms Private|07700/);
    const log = [...state.records.values()].filter((r) => r.kind === 'logEntry').map((r) => (r.doc as { text: string }).text);
    expect(log).toContain('Asked NBR for a unit (a response car): No DMO unit free within 20 minutes');
  });

  it('refuses a request without a reason, to its own force, or for a closed incident', () => {
    expect(() => request({ type: 'dog' }, '  ')).toThrow(/reason/);
    expect(state.run('loan.request', { loanId: randomUUID(), incidentId, lender: 'DMO', ask: { type: 'dog' }, reason: 'x' }, 'bob')).toMatchObject({ ok: false, code: 'invalid' });
    state.must('incident.close', { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: state.get('incident', incidentId)!.version });
    expect(state.run('loan.request', { loanId: randomUUID(), incidentId, lender: 'NBR', ask: { type: 'dog' }, reason: 'x' }, 'bob')).toMatchObject({ ok: false, code: 'conflict' });
  });
});

describe('answering a request (compare-and-set on the request and on the unit)', () => {
  it('lends a free unit: the request accepted with its call sign, the unit marked lent to DMO for the incident', () => {
    const loanId = request();
    expect(accept(loanId).ok).toBe(true);
    expect(loan(loanId)).toMatchObject({ status: 'accepted', unitId: 'NB-101', callSign: 'NB-101', answeredBy: 'omar', version: 2 });
    expect(unit('NB-101').loan).toMatchObject({ loanId, to: 'DMO', incidentId });
  });

  it('tells the second of two dispatchers accepting one request that the first won, and lends nothing more', () => {
    const loanId = request();
    const seen = loan(loanId).version;
    expect(accept(loanId, 'NB-101', 'omar').ok).toBe(true);
    const second = asNbr('loan.accept', { loanId, loanVersion: seen, unitId: 'NB-102', unitVersion: unit('NB-102').version }, 'priya');
    expect(second).toMatchObject({ ok: false, code: 'conflict', reason: 'the request was already accepted by omar, lending NB-101', target: { kind: 'loan', id: loanId } });
    expect(unit('NB-102').loan ?? null).toBeNull();
  });

  it('loses, as a conflict, lending a unit its own force deployed meanwhile, and the reverse', () => {
    const loanId = request();
    const seenVersion = unit('NB-101').version;
    // NBR's own incident, and another NBR dispatcher sends NB-101 to it first.
    const own = randomUUID();
    expect(asNbr('incident.create', { incidentId: own, provisionalReference: 'NB-P0001', type: 'DISORDER', location: unverifiedLocation('Mill Lane'), grade: '1', firstLog: null }).ok).toBe(true);
    expect(asNbr('unit.assign', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId: own, unitVersion: seenVersion }, 'priya').ok).toBe(true);
    const late = asNbr('loan.accept', { loanId, loanVersion: 1, unitId: 'NB-101', unitVersion: seenVersion });
    expect(late).toMatchObject({ ok: false, code: 'conflict', target: { kind: 'unit', id: 'NB-101' } });
    expect(loan(loanId).status).toBe('requested');

    // The reverse: NB-102 lent first; NBR deploying it (as seen before the loan) loses, and so does deploying it now.
    const before = unit('NB-102').version;
    expect(accept(loanId, 'NB-102').ok).toBe(true);
    expect(asNbr('unit.assign', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId: own, unitVersion: before }, 'priya')).toMatchObject({ ok: false, code: 'conflict', reason: 'NB-102 changed since you looked: it is now lent to DMO' });
    expect(asNbr('unit.assign', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId: own, unitVersion: unit('NB-102').version }, 'priya')).toMatchObject({ ok: false, code: 'conflict', reason: 'NB-102 is lent to DMO' });
  });

  it('says in the conflict inbox what the losing answer was and what the request and unit are now', async () => {
    const { describeCommand, describeTheirs } = await import('../../renderer/features/conflicts/describe-command');
    const loanId = request();
    accept(loanId);
    const lookup = { incidents: {}, units: {} };
    type Conflict = Parameters<typeof describeTheirs>[0];
    expect(describeCommand('loan.accept', { loanId, unitId: 'NB-102' }, lookup)).toBe('Lend NB-102 to another force');
    expect(describeTheirs({ target: { kind: 'loan', id: loanId }, theirs: loan(loanId) } as unknown as Conflict, lookup)).toBe('The request from DMO is accepted by omar, NB-101 lent');
    // The lender's desk holds the loan, whose summary names DMO's incident (it does not hold the incident itself).
    const reference = loan(loanId).incident.reference;
    const lenders = { ...lookup, loans: { [loanId]: { ...loan(loanId), pending: false } } };
    expect(describeTheirs({ target: { kind: 'unit', id: 'NB-101' }, theirs: unit('NB-101') } as unknown as Conflict, lenders)).toBe(`NB-101 is lent to DMO for ${reference}, DMO's Assault`);
    expect(describeTheirs({ target: { kind: 'unit', id: 'NB-101' }, theirs: unit('NB-101') } as unknown as Conflict, lookup)).toBe("NB-101 is lent to DMO for one of DMO's incidents");
  });

  it('says of an NBR deployment made offline that lost to a loan the unit was lent to DMO, for its incident, and deployed there; never “committed to” another incident', async () => {
    const { describeCommand, describeTheirs } = await import('../../renderer/features/conflicts/describe-command');
    const loanId = request();
    const own = randomUUID();
    expect(asNbr('incident.create', { incidentId: own, provisionalReference: 'NB-P0001', type: 'DISORDER', location: unverifiedLocation('Mill Lane'), grade: '1', firstLog: null }).ok).toBe(true);
    const seenVersion = unit('NB-101').version;
    // priya lends NB-101 to DMO, and DMO deploys it, while omar's deployment of it (made offline) has not yet arrived.
    expect(accept(loanId, 'NB-101', 'priya').ok).toBe(true);
    expect(state.run('unit.assign', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId, unitVersion: unit('NB-101').version }, 'bob').ok).toBe(true);
    const lost = asNbr('unit.assign', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId: own, unitVersion: seenVersion });
    expect(lost).toMatchObject({ ok: false, code: 'conflict', reason: 'NB-101 changed since you looked: it is now lent to DMO', target: { kind: 'unit', id: 'NB-101' } });
    const reference = loan(loanId).incident.reference;
    const lookup = { incidents: {}, units: {}, loans: { [loanId]: { ...loan(loanId), pending: false } } };
    type Conflict = Parameters<typeof describeTheirs>[0];
    expect(describeTheirs({ target: { kind: 'unit', id: 'NB-101' }, theirs: unit('NB-101') } as unknown as Conflict, lookup)).toBe(`NB-101 is lent to DMO for ${reference}, DMO's Assault, deployed there`);
    // A deployment to DMO's incident, named by the loan's summary of it rather than "an incident".
    expect(describeCommand('unit.assign', { unitId: 'NB-101', incidentId }, lookup)).toBe(`Deploy NB-101 to ${reference}, DMO's Assault`);
  });

  it('holds a request by call sign to that unit, and lets only the lender answer', () => {
    const loanId = request({ callSign: 'NB-102' });
    expect(accept(loanId, 'NB-101')).toMatchObject({ ok: false, code: 'invalid', reason: 'DMO asked for NB-102, not NB-101' });
    expect(state.run('loan.accept', { loanId, loanVersion: 1, unitId: 'DM-11', unitVersion: unit('DM-11').version }, 'bob')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(accept(loanId, 'NB-102').ok).toBe(true);
  });

  it('declines with a reason, after which neither acceptance nor withdrawal goes through', () => {
    const loanId = request();
    expect(() => asNbr('loan.decline', { loanId, loanVersion: 1, reason: ' ' })).toThrow('say why the request is declined');
    expect(asNbr('loan.decline', { loanId, loanVersion: 1, reason: 'All Northbridge cars committed' }).ok).toBe(true);
    expect(loan(loanId)).toMatchObject({ status: 'declined', declineReason: 'All Northbridge cars committed', answeredBy: 'omar' });
    expect(accept(loanId)).toMatchObject({ ok: false, code: 'conflict', reason: 'the request was already declined by omar: All Northbridge cars committed' });
    expect(state.run('loan.withdraw', { loanId, loanVersion: loan(loanId).version }, 'bob')).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('lets the borrower withdraw a request still waiting, and then nobody accepts it', () => {
    const loanId = request();
    expect(asNbr('loan.withdraw', { loanId, loanVersion: 1 })).toMatchObject({ ok: false, code: 'forbidden' });
    state.must('loan.withdraw', { loanId, loanVersion: 1 }, 'bob');
    expect(loan(loanId).status).toBe('withdrawn');
    expect(accept(loanId)).toMatchObject({ ok: false, code: 'conflict', reason: 'DMO withdrew the request' });
  });
});

describe('a lent unit at work and back home', () => {
  it('is deployed by the borrower on that incident only, and returned only once cleared from it', () => {
    const loanId = request();
    accept(loanId);
    const other = randomUUID();
    state.must('incident.create', { incidentId: other, provisionalReference: 'WS-P0002', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '2', firstLog: null });
    expect(state.run('unit.assign', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId: other, unitVersion: unit('NB-101').version }, 'bob')).toMatchObject({ ok: false, reason: 'NB-101 is lent to DMO for another incident' });

    const assignmentId = randomUUID();
    state.must('unit.assign', { assignmentId, unitId: 'NB-101', incidentId, unitVersion: unit('NB-101').version }, 'bob');
    expect(state.get('assignment', assignmentId)).toMatchObject({ force: 'DMO', unitForce: 'NBR', status: 'assigned' });
    expect(state.get('incident', incidentId)!.activeUnits).toEqual(['NB-101']);
    // The borrower deploys it, but does not book NBR's officers on or off.
    expect(state.run('unit.setDuty', { unitId: 'NB-101', duty: 'off_duty', unitVersion: unit('NB-101').version }, 'bob')).toMatchObject({ ok: false, code: 'forbidden', reason: "NB-101 is NBR's unit: only NBR books it on or off" });

    expect(state.run('loan.return', { loanId, unitId: 'NB-101' }, 'bob')).toMatchObject({ ok: false, code: 'conflict', reason: 'NB-101 is still committed to WS-P0001: clear it from the incident first' });
    state.must('assignment.setStatus', { assignmentId, unitId: 'NB-101', incidentId, status: 'at_scene', assignmentVersion: 1 }, 'bob');
    expect(state.get('incident', incidentId)!.attendedAt).not.toBeNull(); // the borrower's attendance clock stops on it
    state.must('assignment.setStatus', { assignmentId, unitId: 'NB-101', incidentId, status: 'cleared', assignmentVersion: 2 }, 'bob');
    state.must('loan.return', { loanId, unitId: 'NB-101' }, 'bob');
    expect(loan(loanId)).toMatchObject({ status: 'returned', endedBy: 'bob', endedByForce: 'DMO' });
    expect(unit('NB-101')).toMatchObject({ loan: null, loanEnded: { loanId, to: 'DMO', atVersion: unit('NB-101').version }, commitment: null });
    // Back with NBR: its own dispatchers may deploy it again.
    expect(unit('NB-101').loan).toBeNull();
  });
});

describe('the lender taking its unit back (compare-and-set on the loan and on the unit)', () => {
  const takeBack = (loanId: string, extra: Record<string, unknown> = {}, operator = 'omar') =>
    asNbr('loan.takeBack', { loanId, loanVersion: loan(loanId).version, unitId: 'NB-101', unitVersion: unit('NB-101').version, reason: 'Needed for a firearms job in Northbridge', deployment: null, ...extra }, operator);

  it('takes a free lent unit back with the reason: the loan returned, taken back by NBR, the unit NBR’s again and withdrawn from DMO', () => {
    const loanId = request();
    accept(loanId);
    expect(takeBack(loanId).ok).toBe(true);
    expect(loan(loanId)).toMatchObject({ status: 'returned', endedBy: 'omar', endedByForce: 'NBR', takenBack: { reason: 'Needed for a firearms job in Northbridge', by: 'omar', deployed: false } });
    expect(unit('NB-101')).toMatchObject({ loan: null, loanEnded: { loanId, to: 'DMO', atVersion: unit('NB-101').version }, commitment: null });
  });

  it('is the lender’s alone, needs a reason, and loses to a loan or unit that changed since the dispatcher looked', () => {
    const loanId = request();
    accept(loanId);
    expect(state.run('loan.takeBack', { loanId, loanVersion: loan(loanId).version, unitId: 'NB-101', unitVersion: unit('NB-101').version, reason: 'x', deployment: null }, 'bob')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(() => takeBack(loanId, { reason: '  ' })).toThrow(/say why the unit is taken back/);
    expect(takeBack(loanId, { loanVersion: loan(loanId).version - 1 })).toMatchObject({ ok: false, code: 'conflict', reason: 'the loan changed since you looked' });
    const seen = unit('NB-101').version;
    // DMO deploys it meanwhile: the take-back made on what NBR saw before loses.
    state.must('unit.assign', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId, unitVersion: seen }, 'bob');
    expect(takeBack(loanId, { unitVersion: seen })).toMatchObject({ ok: false, code: 'conflict', reason: 'NB-101 changed since you looked' });
    // Naming no deployment for a unit now deployed (what the dispatcher saw is out of date) loses too.
    expect(takeBack(loanId)).toMatchObject({ ok: false, code: 'conflict', reason: "NB-101's deployment changed since you looked" });
    expect(loan(loanId).status).toBe('accepted');
  });

  it('takes back a unit deployed on the borrower’s incident: the unit freed, and the deployment stood down with a line in DMO’s log', () => {
    const loanId = request();
    accept(loanId);
    const assignmentId = randomUUID();
    state.must('unit.assign', { assignmentId, unitId: 'NB-101', incidentId, unitVersion: unit('NB-101').version }, 'bob');
    state.must('assignment.setStatus', { assignmentId, unitId: 'NB-101', incidentId, status: 'at_scene', assignmentVersion: 1 }, 'bob');
    const before = { assignment: state.get('assignment', assignmentId)!, incident: state.get('incident', incidentId)! };
    // Naming another incident than the loan's is refused: the server would stand the unit down from nothing.
    expect(takeBack(loanId, { deployment: { assignmentId, incidentId: randomUUID() } })).toMatchObject({ ok: false, code: 'invalid' });
    const result = takeBack(loanId, { deployment: { assignmentId, incidentId } });
    expect(result.ok).toBe(true);
    expect(loan(loanId).takenBack).toMatchObject({ deployed: true });
    expect(unit('NB-101')).toMatchObject({ loan: null, commitment: null });
    // What the server writes in the borrower's records in the take-back's name (server/commands/plan-command.ts).
    const ctx = { issuedAt: '2026-11-29T10:05:00.000Z', actor: { operator: 'omar', workstation: 'NB-DESK-1', clientId: randomUUID() }, config: nbr } as ApplyContext;
    const standDown = takeBackStandDown(loan(loanId), before.assignment, before.incident, ctx);
    expect(standDown.find((r) => r.kind === 'assignment')?.doc).toMatchObject({ status: 'cleared', force: 'DMO', version: before.assignment.version + 1 });
    expect(standDown.find((r) => r.kind === 'incident')?.doc).toMatchObject({ activeUnits: [], attendedAt: before.incident.attendedAt, version: before.incident.version + 1 });
    expect(standDown.find((r) => r.kind === 'logEntry')?.doc).toMatchObject({
      force: 'DMO',
      incidentId,
      text: 'NB-101 taken back by NBR (omar): Needed for a firearms job in Northbridge. Its deployment here is ended; it no longer attends',
    });
    // Nothing to stand down for a unit taken back free, or a deployment already cleared.
    expect(takeBackStandDown({ ...loan(loanId), takenBack: { ...loan(loanId).takenBack!, deployed: false } }, before.assignment, before.incident, ctx)).toEqual([]);
    expect(takeBackStandDown(loan(loanId), { ...before.assignment, status: 'cleared' }, before.incident, ctx)).toEqual([]);
  });
});

describe('a lent unit’s hours stay its own force’s', () => {
  it('refuses the borrower extending its shift or relieving it, and re-describing it (its shift pattern), with the reason', () => {
    accept(request());
    const ending = { ...unit('NB-101'), tour: { bookedOnAt: '2026-11-29T09:00:00.000Z', bookedOnBy: 'omar', via: 'dispatcher' as const, endsAt: '2026-11-29T16:00:00.000Z', overrun: null } };
    state.put([{ kind: 'unit', id: 'NB-101', doc: ending }]);
    const extend = { unitId: 'NB-101', unitVersion: unit('NB-101').version, extendUntil: '2026-11-29T18:00:00.000Z', incidentId: null };
    expect(state.run('unit.answerShiftEnd', extend, 'bob')).toMatchObject({ ok: false, code: 'forbidden', reason: "NB-101 is NBR's unit: only NBR extends its shift or relieves it" });
    expect(state.run('unit.answerShiftEnd', { ...extend, extendUntil: null }, 'bob')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(unit('NB-101').tour!.endsAt).toBe('2026-11-29T16:00:00.000Z');
    expect(state.run('unit.register', { callSign: 'NB-101', type: 'IRV', homeStation: 'Central' }, 'bob', undefined, true)).toMatchObject({ ok: false, code: 'forbidden', reason: "NB-101 is NBR's unit: only NBR describes it" });
    // Its own force still may.
    expect(asNbr('unit.answerShiftEnd', extend).ok).toBe(true);
    expect(unit('NB-101').tour!.endsAt).toBe('2026-11-29T18:00:00.000Z');
  });
});

describe('a lent unit’s shift end', () => {
  it('is raised by the force it is lent to, not by its own (which cannot see the incident it may be committed to)', () => {
    const shiftEnd = (config: typeof nbr) => openDeadlines(config, [unit('NB-101')], [], () => undefined).filter((d) => d.command.name === 'unit.shiftEnded');
    const ending = { ...unit('NB-101'), tour: { bookedOnAt: '2026-11-29T09:00:00.000Z', bookedOnBy: 'omar', via: 'dispatcher' as const, endsAt: '2026-11-29T16:00:00.000Z', overrun: null } };
    state.put([{ kind: 'unit', id: 'NB-101', doc: ending }]);
    expect(shiftEnd(nbr)).toHaveLength(1);
    expect(shiftEnd(demoConfig)).toHaveLength(0);
    accept(request());
    expect(shiftEnd(nbr)).toHaveLength(0);
    expect(shiftEnd(demoConfig)).toHaveLength(1);
  });
});

describe('what a loan lets each force see and change (loan-policy)', () => {
  it('shows the lender the request, and may change it; shows nobody else', () => {
    const loanId = request();
    const asked = record('loan', loanId);
    expect(visibleTo('NBR', asked, loanPolicy)).toBe(asked);
    expect(mayChange('NBR', asked, loanPolicy)).toBe(true);
    expect(visibleTo('XYZ', asked, loanPolicy)).toBeNull();
  });

  it('shows the borrower the lent unit while lent, withdraws it at the version that ended the loan, and then says nothing', () => {
    const loanId = request();
    expect(visibleTo('DMO', record('unit', 'NB-101'), loanPolicy)).toBeNull();
    accept(loanId);
    expect(visibleTo('DMO', record('unit', 'NB-101'), loanPolicy)?.doc).toMatchObject({ callSign: 'NB-101', loan: { to: 'DMO' } });
    expect(mayChange('DMO', record('unit', 'NB-101'), loanPolicy)).toBe(true);
    expect(visibleTo('DMO', record('unit', 'NB-102'), loanPolicy)).toBeNull();

    state.must('loan.return', { loanId, unitId: 'NB-101' }, 'bob');
    const returned = record('unit', 'NB-101');
    expect(visibleTo('DMO', returned, loanPolicy)).toEqual({ kind: 'unit', id: 'NB-101', doc: null });
    expect(mayChange('DMO', returned, loanPolicy)).toBe(false);
    // A later change of the unit at NBR reaches DMO in no form.
    expect(asNbr('unit.setDuty', { unitId: 'NB-101', duty: 'off_duty', unitVersion: unit('NB-101').version }).ok).toBe(true);
    expect(visibleTo('DMO', record('unit', 'NB-101'), loanPolicy)).toBeNull();
  });

  it('shows the lender the deployment of its unit (statuses, receipts) without letting it change it', () => {
    const loanId = request();
    accept(loanId);
    const assignmentId = randomUUID();
    state.must('unit.assign', { assignmentId, unitId: 'NB-101', incidentId, unitVersion: unit('NB-101').version }, 'bob');
    const deployment = record('assignment', assignmentId);
    expect(visibleTo('NBR', deployment, loanPolicy)?.doc).toMatchObject({ status: 'assigned', delivery: { state: 'sent' } });
    expect(mayChange('NBR', deployment, loanPolicy)).toBe(false);
    // The incident itself and its log stay DMO's alone.
    expect(visibleTo('NBR', record('incident', incidentId), loanPolicy)).toBeNull();
  });
});

describe('what leaves the server for each force', () => {
  it('sends the borrower the unit when lent, a withdrawal when returned; an older workstation neither loans nor withdrawals', () => {
    const loanId = request();
    accept(loanId);
    const lent = { seq: 10, kind: 'unit', id: 'NB-101', doc: unit('NB-101') };
    const asked = { seq: 11, kind: 'loan', id: loanId, doc: loan(loanId) };
    const dmo = { clientId: 'c', schemaVersion: SCHEMA_VERSION, force: 'DMO' };
    expect(changesFor(dmo, [lent, asked]).map((c) => c.kind)).toEqual(['unit', 'loan']);
    state.must('loan.return', { loanId, unitId: 'NB-101' }, 'bob');
    const back = { seq: 12, kind: 'unit', id: 'NB-101', doc: unit('NB-101') };
    expect(changesFor(dmo, [back])).toEqual([{ seq: 12, kind: 'unit', id: 'NB-101', doc: null }]);
    expect(changesFor({ ...dmo, schemaVersion: 6 }, [back, asked])).toEqual([]);
    // NBR receives its own unit whole, always.
    expect(changesFor({ ...dmo, force: 'NBR' }, [back])[0]!.doc).toMatchObject({ callSign: 'NB-101' });
  });
});

describe('the audit of a loan', () => {
  const envelope = (name: string, operator: string): CommandEnvelope => ({
    commandId: randomUUID(),
    clientId: randomUUID(),
    clientSeq: 1,
    name,
    args: {},
    issuedAt: '2026-11-29T10:00:00.000Z',
    operator,
    ticket: '',
    workstation: 'WS-X',
    schemaVersion: SCHEMA_VERSION,
  });

  it('records, in the borrower’s log, the incident summary disclosed to the lending force when asked and when accepted', () => {
    const loanId = request();
    const requested = record('loan', loanId);
    const atRequest = auditDrafts(envelope('loan.request', 'bob'), 'now', [requested], () => undefined, 'DMO').filter((d) => d.kind === 'disclosure');
    expect(atRequest).toEqual([expect.objectContaining({ force: 'DMO', recordKind: 'incident', recordId: incidentId })]);
    expect(JSON.parse(atRequest[0]!.after!)).toMatchObject({ recipient: 'NBR', summary: { reference: 'WS-P0001', commonPriority: 1 } });

    const before = requested.doc;
    accept(loanId);
    const atAccept = auditDrafts(envelope('loan.accept', 'omar'), 'now', [record('loan', loanId)], () => before, 'NBR').filter((d) => d.kind === 'disclosure');
    // Issued by NBR's dispatcher, but the incident is DMO's: the entry is in DMO's log, naming NBR as the recipient.
    expect(atAccept).toEqual([expect.objectContaining({ force: 'DMO', operator: 'omar', recordId: incidentId })]);
    expect(JSON.parse(atAccept[0]!.after!)).toMatchObject({ recipient: 'NBR', what: 'the incident summary and the deployment of its unit NB-101' });
  });
});

describe('the units a lender is offered for an ask', () => {
  const config = loadForceConfig(neighbourForceConfigFile());
  const typeName = (code: string) => config.unitTypes.find((type) => type.code === code)?.name ?? code;
  const free = config.units.map((unit) => ({ callSign: unit.callSign, type: unit.type, skills: unit.skills }));

  it('puts first those of the kind the words ask for, the rest after in their order; a named unit alone', () => {
    expect(unitsForAsk({ type: 'a dog unit' }, free, typeName)[0]).toMatchObject({ type: 'K9' });
    expect(unitsForAsk({ type: 'dogs' }, free, typeName)[0]).toMatchObject({ type: 'K9' });
    expect(unitsForAsk({ type: 'firearms officers' }, free, typeName)[0]).toMatchObject({ type: 'AFO' });
    // Words naming no kind: every unit, in the order given.
    expect(unitsForAsk({ type: 'anything you can spare' }, free, typeName).map((u) => u.callSign)).toEqual(free.map((u) => u.callSign));
    expect(unitsForAsk({ type: 'a dog unit' }, free, typeName)).toHaveLength(free.length);
    expect(unitsForAsk({ callSign: 'nb-301' }, free, typeName).map((u) => u.callSign)).toEqual(['NB-301']);
  });
});
