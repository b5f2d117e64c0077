import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadForceConfig, neighbourForceConfigFile } from '../../node-common/force-config-file';
import { unverifiedLocation } from '../../shared/domain/location';
import { byHandShareId, type ShareTier } from '../../shared/domain/share';
import { assistEndProblem, holderUnitsDeployed } from '../../shared/domain/assist-writes';
import type { Share } from '../../shared/domain/share';
import type { Unit } from '../../shared/domain/unit';
import { arrangementId, arrangementShareId } from '../../shared/domain/arrangement';
import type { AnyRecord } from '../../shared/domain/records';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { planCommand, rulesOfForce, type ServerRules } from '../../server/commands/plan-command';
import { RecordSet } from '../fakes/rules-harness';
import { demoConfig } from '../fakes/fixtures';
import type { Decision } from '../../server/storage/storage';

// DMO's incident, shared with NBR by hand. What NBR may write to it is decided by the server's plan of each command
// (server/commands/plan-command.ts, shared/domain/assist-writes.ts), against the records as they stand.
const nbr = loadForceConfig(neighbourForceConfigFile());
const AT = '2026-11-30T10:00:00.000Z';
// A third force the server serves, so that passing a share on is refused for being a pass-on, not for naming a force
// the server does not know (server/commands/served-forces.ts).
const xyz = { ...nbr, force: { ...nbr.force, code: 'XYZ', name: 'Third Force' } };
/** The server's clock: the time each command is decided at (decide's `serverAt`). */
let serverAt = AT;
const rules: ServerRules = { config: demoConfig, alsoServes: [nbr, xyz], now: () => Date.parse(serverAt) };

let state: RecordSet;
let incidentId: string;
let seq = 0;

beforeEach(() => {
  state = new RecordSet();
  state.put([{ kind: 'operator', id: 'omar', doc: { id: 'omar', force: 'NBR', displayName: 'omar', roles: ['dispatcher'], active: true, version: 1 } }]);
  state.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
  for (const callSign of ['NB-101', 'NB-102']) {
    expect(state.run('unit.register', { callSign, type: 'RESP', homeStation: 'Northbridge' }, 'nbadmin', undefined, true, nbr).ok).toBe(true);
    expect(state.run('unit.setDuty', { unitId: callSign, duty: 'on_duty', unitVersion: 1 }, 'omar', undefined, false, nbr).ok).toBe(true);
  }
  incidentId = randomUUID();
  state.must('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null });
});

/** A command decided by the server for the operator's force (bob: DMO, omar: NBR); its changes kept if applied. */
function decide(force: 'DMO' | 'NBR', name: string, args: unknown, issuedAt = AT, decidedAt = issuedAt): Decision {
  serverAt = decidedAt;
  const operator = force === 'DMO' ? 'bob' : 'omar';
  const envelope: CommandEnvelope = { commandId: randomUUID(), clientId: randomUUID(), clientSeq: ++seq, name, args, issuedAt, operator, ticket: '', workstation: `WS-${force}`, schemaVersion: SCHEMA_VERSION };
  const decision = planCommand(envelope, rulesOfForce(rules, force)!).decide(state, () => 1);
  if (decision.status === 'applied') state.put(decision.changes);
  return decision;
}

function shareWithNbr(tier: ShareTier, reason = 'Crossways: NBR units are nearer'): Decision {
  return decide('DMO', 'share.create', { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier, reason });
}

const addLog = (text: string) => decide('NBR', 'incident.addLog', { incidentId, entryId: randomUUID(), text });
const deploy = (unitId: string) => decide('NBR', 'unit.assign', { assignmentId: randomUUID(), unitId, incidentId, unitVersion: state.get('unit', unitId)!.version });
const incident = () => state.get('incident', incidentId)!;
const refusedFor = (decision: Decision) => (decision.status === 'rejected' ? decision.reason : `applied (${decision.status})`);
/** A new NBR incident of its own, opened at 08:00 (before the outage the paper records are of). */
function nbrIncident(): string {
  const id = randomUUID();
  const made = decide('NBR', 'incident.create', { incidentId: id, provisionalReference: `WS-N${seq + 1}`, type: 'VIOLENCE', location: unverifiedLocation('Northbridge High Street'), grade: '2', firstLog: null }, '2026-11-30T08:00:00.000Z');
  expect(refusedFor(made)).toBe('applied (applied)');
  return id;
}
const assignmentsOf = () => [...state.records.values()].filter((r): r is Extract<AnyRecord, { kind: 'assignment' }> => r.kind === 'assignment' && r.doc.incidentId === incidentId).map((r) => r.doc);

describe('the view tier', () => {
  it('refuses every write of the force shared with, naming the tier', () => {
    shareWithNbr('view');
    expect(refusedFor(addLog('NB-101 can attend'))).toMatch(/DMO has shared the incident with NBR to view only: NBR may not write to it/);
    expect(refusedFor(deploy('NB-101'))).toMatch(/to view only/);
    expect(state.get('unit', 'NB-101')!.commitment).toBeNull();
  });
});

describe('the assist tier', () => {
  beforeEach(() => {
    expect(shareWithNbr('assist').status).toBe('applied');
  });

  it('lets the holder write in the log: the line is the owner’s record, marked as written by NBR', () => {
    const decision = addLog('NB-101 can be there in 4 minutes');
    expect(decision.status).toBe('applied');
    const line = decision.changes.find((c) => c.kind === 'logEntry')!.doc;
    expect(line).toMatchObject({ force: 'DMO', byForce: 'NBR', author: 'omar', incidentId, text: 'NB-101 can be there in 4 minutes' });
  });

  it('lets the holder deploy its own unit and run it: the deployment the owner’s, naming NBR’s unit, the owner’s handoff untouched', () => {
    const handoff = incident().handoff;
    expect(deploy('NB-101').status).toBe('applied');
    const [deployment] = assignmentsOf();
    expect(deployment).toMatchObject({ force: 'DMO', unitForce: 'NBR', unitId: 'NB-101', assignedBy: 'omar', status: 'assigned' });
    expect(incident().activeUnits).toContain('NB-101');
    expect(incident().handoff).toEqual(handoff);
    expect(state.get('unit', 'NB-101')!.commitment).toMatchObject({ incidentId });
    // Its statuses: at scene stops the owner's attendance clock, as any unit's first arrival does.
    const atScene = decide('NBR', 'assignment.setStatus', { assignmentId: deployment!.id, unitId: 'NB-101', incidentId, status: 'at_scene', assignmentVersion: deployment!.version });
    expect(refusedFor(atScene)).toBe('applied (applied)');
    expect(incident().attendedAt).toBe(AT);
    expect(decide('NBR', 'assignment.receipt', { assignmentId: deployment!.id, unitId: 'NB-101', incidentId, receipt: 'accepted' }).status).toBe('applied');
    const cleared = state.get('assignment', deployment!.id)!;
    expect(decide('NBR', 'assignment.setStatus', { assignmentId: cleared.id, unitId: 'NB-101', incidentId, status: 'cleared', assignmentVersion: cleared.version }).status).toBe('applied');
    expect(state.get('unit', 'NB-101')!.commitment).toBeNull();
    expect(incident().activeUnits).not.toContain('NB-101');
  });

  it('lets the holder back-enter a paper deployment of its own unit, made as its deployment at the desk is: the owner’s record naming NBR’s unit, the owner’s handoff untouched (issue 12’s try-out)', () => {
    const handoff = incident().handoff;
    const recorded = decide('NBR', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId, deployedAt: '2026-11-30T09:10:00.000Z', arrivedAt: '2026-11-30T09:20:00.000Z', paper: { outageFrom: '2026-11-30T09:00:00.000Z' } });
    expect(refusedFor(recorded)).toBe('applied (applied)');
    const [deployment] = assignmentsOf();
    expect(deployment).toMatchObject({ force: 'DMO', unitForce: 'NBR', unitId: 'NB-101', status: 'at_scene', assignedBy: 'omar' });
    expect(deployment!.lent).toBeUndefined();
    expect(incident().handoff).toEqual(handoff);
    expect(incident().attendedAt).toBe('2026-11-30T09:20:00.000Z');
    expect(state.get('unit', 'NB-101')!.commitment).toMatchObject({ incidentId });
    const lines = recorded.status === 'applied' ? recorded.changes.filter((c) => c.kind === 'logEntry').map((c) => c.doc) : [];
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatchObject({ force: 'DMO', byForce: 'NBR', incidentId });
    // Entered twice: it is on this incident already, not "another" (the words of the try-out's minor).
    const twice = decide('NBR', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId, deployedAt: '2026-11-30T09:10:00.000Z', paper: { outageFrom: '2026-11-30T09:00:00.000Z' } });
    expect(refusedFor(twice)).toBe('NB-101 is already deployed on this incident');
    // NBR runs it from there, as a unit it deployed at the desk.
    const cleared = decide('NBR', 'assignment.setStatus', { assignmentId: deployment!.id, unitId: 'NB-101', incidentId, status: 'cleared', assignmentVersion: deployment!.version });
    expect(refusedFor(cleared)).toBe('applied (applied)');
    // Once DMO has closed the incident, NBR may no more enter a paper deployment there than write a line in its log.
    const closing = decide('DMO', 'incident.close', { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: incident().version });
    expect(refusedFor(closing)).toBe('applied (applied)');
    const afterClosing = decide('NBR', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId, deployedAt: '2026-11-30T09:10:00.000Z', clearedAt: '2026-11-30T09:30:00.000Z', paper: { outageFrom: '2026-11-30T09:00:00.000Z' } });
    expect(refusedFor(afterClosing)).toBe("DMO has closed the incident: NBR, assisting, may no longer write in its log (DMO's control room may add a deployment kept on paper, or reopen the incident)");
    // The owner's unit is not NBR's to back-enter, as it is not NBR's to deploy.
    const owners = decide('NBR', 'assignment.record', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId, deployedAt: '2026-11-30T09:10:00.000Z', paper: { outageFrom: '2026-11-30T09:00:00.000Z' } });
    expect(owners.status).not.toBe('applied');
    expect(state.get('unit', 'DM-11')!.commitment).toBeNull();
  });

  it('lets the holder confirm its own unit’s deployment by radio, which the owner’s desk may not (issue 12’s try-out)', () => {
    expect(deploy('NB-101').status).toBe('applied');
    const [deployment] = assignmentsOf();
    expect(refusedFor(decide('NBR', 'assignment.confirmByRadio', { assignmentId: deployment!.id, unitId: 'NB-101', incidentId }))).toBe('applied (applied)');
    expect(state.get('assignment', deployment!.id)!.radioConfirmed).toMatchObject({ by: expect.any(String) });
  });

  it('tells the owner moving or answering for the holder’s unit whose unit it is, not that it is missing', () => {
    expect(deploy('NB-101').status).toBe('applied');
    const [deployment] = assignmentsOf();
    const on = { assignmentId: deployment!.id, unitId: 'NB-101', incidentId };
    const attempts: [string, unknown][] = [
      ['assignment.setStatus', { ...on, status: 'cleared', assignmentVersion: deployment!.version }],
      ['assignment.receipt', { ...on, receipt: 'accepted' }],
      ['assignment.confirmByRadio', { ...on }],
    ];
    for (const [name, args] of attempts) {
      expect(refusedFor(decide('DMO', name, args)), name).toBe("NB-101 is NBR's unit: NBR runs it on this incident, and DMO may not move or answer for it");
    }
    expect(state.get('assignment', deployment!.id)).toEqual(deployment);
  });

  it('keeps in the holder’s conflict the incident as the share shows it: common priority and the owner’s type name', () => {
    const open = incident();
    expect(decide('DMO', 'incident.close', { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: open.version, reservations: [] }).status).toBe('applied');
    const lost = decide('NBR', 'unit.assign', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId, unitVersion: state.get('unit', 'NB-101')!.version });
    expect(lost).toMatchObject({ status: 'rejected', code: 'conflict' });
    const conflict = lost.changes.find((change) => change.kind === 'conflict')!.doc as { theirs: Record<string, unknown> };
    expect(conflict.theirs).toMatchObject({ id: incidentId, status: 'closed', grade: '', sharedView: { tier: 'assist', commonPriority: 1, typeName: 'Assault' } });
    expect(JSON.stringify(conflict.theirs)).not.toContain('ADVICE');
  });

  it('refuses the holder deploying the owner’s unit, or moving the owner’s unit’s deployment', () => {
    // DMO's unit, not lent to NBR, is one NBR cannot see: refused as a unit the server never had, in the same words.
    expect(refusedFor(deploy('DM-11'))).toBe(refusedFor(decide('NBR', 'unit.assign', { assignmentId: randomUUID(), unitId: 'DM-99', incidentId, unitVersion: 1 })).replace('DM-99', 'DM-11'));
    expect(decide('DMO', 'unit.assign', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId, unitVersion: state.get('unit', 'DM-11')!.version }).status).toBe('applied');
    const [owners] = assignmentsOf();
    expect(refusedFor(decide('NBR', 'assignment.setStatus', { assignmentId: owners!.id, unitId: 'DM-11', incidentId, status: 'at_scene', assignmentVersion: owners!.version }))).toMatch(/belongs to force DMO|not .* DMO's units/);
    expect(state.get('assignment', owners!.id)!.status).toBe('assigned');
  });

  it('refuses the holder changing the incident: grade, type, description, closing, ownership', () => {
    const before = incident();
    const attempts: [string, unknown][] = [
      ['incident.regrade', { incidentId, changeId: randomUUID(), grade: '2', reason: 'Calmer now' }],
      ['incident.changeType', { incidentId, changeId: randomUUID(), type: 'DISORDER', reason: '' }],
      ['incident.update', { incidentId, changeId: randomUUID(), fields: { description: 'NBR’s words' } }],
      ['incident.close', { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: before.version, reservations: [] }],
      ['incident.takeOwnership', { incidentId, takeId: randomUUID(), incidentVersion: before.version }],
    ];
    for (const [name, args] of attempts) expect(refusedFor(decide('NBR', name, args)), name).toMatch(/at the assist tier: NBR may write in its log and deploy and run its own units there, not change the incident/);
    expect(incident()).toEqual(before);
  });

  it('refuses the holder sharing it on or revoking the owner’s share', () => {
    const passOn = decide('NBR', 'share.create', { shareId: randomUUID(), incidentId, sharedWith: 'XYZ', tier: 'view', reason: 'Passing it on' });
    expect(refusedFor(passOn)).toMatch(/at the assist tier|a share is never passed on/);
    expect(refusedFor(decide('NBR', 'share.revoke', { shareId: byHandShareId(incidentId, 'NBR'), reason: 'Not wanted' }))).toMatch(/may not change it|never passed on/);
  });

  it('refuses every write once the share is revoked, and once it is cut to view; what NBR wrote stays DMO’s', () => {
    const line = addLog('On our way');
    expect(line.status).toBe('applied');
    expect(shareWithNbr('view', 'Our units have it now').status).toBe('applied');
    expect(refusedFor(addLog('Still here'))).toMatch(/to view only/);
    expect(shareWithNbr('assist', 'Need you again').status).toBe('applied');
    expect(addLog('Back on it').status).toBe('applied');
    expect(decide('DMO', 'share.revoke', { shareId: byHandShareId(incidentId, 'NBR'), reason: 'Suspect arrested' }).status).toBe('applied');
    // Said as what happened (a try-out: "has not shared it with NBR" read as if it never had).
    expect(refusedFor(addLog('One more'))).toMatch(/^DMO revoked its share of the incident with NBR at \d\d:\d\d (GMT|BST): NBR may not change it$/);
    expect(refusedFor(deploy('NB-102'))).toMatch(/^DMO revoked its share of the incident with NBR at /);
    const written = line.changes.find((c) => c.kind === 'logEntry')!;
    expect(state.get('logEntry', written.id)).toMatchObject({ force: 'DMO', byForce: 'NBR' });
  });
});

describe('a unit lent to the owner', () => {
  it('tells the lender changing its lent unit’s deployment that the unit is lent, not that the incident is shared to view, shared or not', () => {
    const loanId = randomUUID();
    expect(decide('DMO', 'loan.request', { loanId, incidentId, lender: 'NBR', ask: { type: 'a response car' }, reason: 'No DMO unit free' }).status).toBe('applied');
    expect(decide('NBR', 'loan.accept', { loanId, loanVersion: state.get('loan', loanId)!.version, unitId: 'NB-101', unitVersion: state.get('unit', 'NB-101')!.version }).status).toBe('applied');
    expect(decide('DMO', 'unit.assign', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId, unitVersion: state.get('unit', 'NB-101')!.version }).status).toBe('applied');
    const [deployment] = assignmentsOf();
    const byLender = decide('NBR', 'assignment.setStatus', { assignmentId: deployment!.id, unitId: 'NB-101', incidentId, status: 'at_scene', assignmentVersion: deployment!.version });
    expect(refusedFor(byLender)).toBe("NB-101 is lent to DMO, which runs it on DMO's incident until it is returned: NBR sees its deployment there, and may not change it");
    expect(refusedFor(byLender)).not.toMatch(/shared/);
    // The incident shared with NBR to view as well: the loan is still what shows NBR the deployment.
    expect(shareWithNbr('view').status).toBe('applied');
    const again = decide('NBR', 'assignment.setStatus', { assignmentId: deployment!.id, unitId: 'NB-101', incidentId, status: 'at_scene', assignmentVersion: deployment!.version });
    expect(refusedFor(again)).toBe(refusedFor(byLender));
    // And shared with NBR to assist: NBR runs the units it deployed there, not its unit the borrower deployed.
    expect(shareWithNbr('assist').status).toBe('applied');
    const assisting = decide('NBR', 'assignment.setStatus', { assignmentId: deployment!.id, unitId: 'NB-101', incidentId, status: 'at_scene', assignmentVersion: deployment!.version });
    expect(refusedFor(assisting)).toContain(refusedFor(byLender));
    expect(decide('NBR', 'assignment.receipt', { assignmentId: deployment!.id, unitId: 'NB-101', incidentId, receipt: 'accepted' }).status).toBe('rejected');
    expect(state.get('assignment', deployment!.id)).toEqual(deployment);
  });
});

describe('a unit lent to the owner and back-entered from paper', () => {
  it('is the borrower’s to run and the lender’s to see, as the borrower’s deployment at the desk is', () => {
    const loanId = randomUUID();
    expect(decide('DMO', 'loan.request', { loanId, incidentId, lender: 'NBR', ask: { type: 'a response car' }, reason: 'No DMO unit free' }, '2026-11-30T08:55:00.000Z').status).toBe('applied');
    expect(decide('NBR', 'loan.accept', { loanId, loanVersion: state.get('loan', loanId)!.version, unitId: 'NB-101', unitVersion: state.get('unit', 'NB-101')!.version }, '2026-11-30T08:56:00.000Z').status).toBe('applied');
    const recorded = decide('DMO', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId, deployedAt: '2026-11-30T09:10:00.000Z', paper: { outageFrom: '2026-11-30T09:00:00.000Z' } });
    expect(refusedFor(recorded)).toBe('applied (applied)');
    const [deployment] = assignmentsOf();
    expect(deployment).toMatchObject({ force: 'DMO', unitForce: 'NBR', lent: true, unitId: 'NB-101' });
    const byLender = decide('NBR', 'assignment.setStatus', { assignmentId: deployment!.id, unitId: 'NB-101', incidentId, status: 'at_scene', assignmentVersion: deployment!.version });
    expect(refusedFor(byLender)).toMatch(/^NB-101 is lent to DMO, which runs it on DMO's incident/);
    const byBorrower = decide('DMO', 'assignment.setStatus', { assignmentId: deployment!.id, unitId: 'NB-101', incidentId, status: 'at_scene', assignmentVersion: deployment!.version });
    expect(refusedFor(byBorrower)).toBe('applied (applied)');
  });

  it('is refused where its times fall outside the loan: the borrower’s before it began, the lender’s own while it ran (a try-out’s medium)', () => {
    const loanId = randomUUID();
    expect(decide('DMO', 'loan.request', { loanId, incidentId, lender: 'NBR', ask: { callSign: 'NB-102' }, reason: 'No DMO unit free' }, '2026-11-30T09:20:00.000Z').status).toBe('applied');
    expect(decide('NBR', 'loan.accept', { loanId, loanVersion: state.get('loan', loanId)!.version, unitId: 'NB-102', unitVersion: state.get('unit', 'NB-102')!.version }, '2026-11-30T09:20:30.000Z').status).toBe('applied');
    const outage = { outageFrom: '2026-11-30T09:00:00.000Z' };
    // Sent (by radio, on paper) at 09:10, lent at 09:20: it was NBR's then.
    const before = decide('DMO', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId, deployedAt: '2026-11-30T09:10:00.000Z', clearedAt: '2026-11-30T09:15:00.000Z', paper: outage });
    expect(refusedFor(before)).toBe("NB-102 was lent to DMO at 2026-11-30 09:20:30 GMT, after the paper's deployment at 2026-11-30 09:10 GMT: it was NBR's then");
    // In the minute the loan began, before its second (a try-out's medium: up to a minute on two incidents): refused;
    // from the next minute, it stands.
    const sameMinute = decide('DMO', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId, deployedAt: '2026-11-30T09:20:00.000Z', clearedAt: '2026-11-30T09:25:00.000Z', paper: outage });
    expect(refusedFor(sameMinute)).toBe("NB-102 was lent to DMO at 2026-11-30 09:20:30 GMT, after the paper's deployment at 2026-11-30 09:20 GMT: it was NBR's then");
    const nextMinute = decide('DMO', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId, deployedAt: '2026-11-30T09:21:00.000Z', clearedAt: '2026-11-30T09:25:00.000Z', paper: outage });
    expect(refusedFor(nextMinute)).toBe('applied (applied)');
    // DMO hands it back: its desk queued the return offline at 09:25 and the server took it at 09:40 (a try-out's high:
    // the desk's time made the loan look shorter, and let the lender's paper overlap the borrower's deployment). The
    // loan ran, for every desk, until the server took the return.
    expect(decide('DMO', 'loan.return', { loanId, loanVersion: state.get('loan', loanId)!.version, unitId: 'NB-102', unitVersion: state.get('unit', 'NB-102')!.version }, '2026-11-30T09:25:00.000Z', '2026-11-30T09:40:00.000Z').status).toBe('applied');
    const ownDuring = decide('NBR', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId: nbrIncident(), deployedAt: '2026-11-30T09:30:00.000Z', paper: outage });
    expect(refusedFor(ownDuring)).toBe("NB-102 was lent to DMO from 2026-11-30 09:20:30 GMT to 2026-11-30 09:40:00 GMT: the paper's deployment (from 2026-11-30 09:30 GMT on) falls in that time, when DMO had it");
    const ownBefore = decide('NBR', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId: nbrIncident(), deployedAt: '2026-11-30T09:05:00.000Z', clearedAt: '2026-11-30T09:18:00.000Z', paper: outage });
    expect(refusedFor(ownBefore)).toBe('applied (applied)');
    const ownAfter = decide('NBR', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId: nbrIncident(), deployedAt: '2026-11-30T09:40:00.000Z', clearedAt: '2026-11-30T09:44:00.000Z', paper: outage });
    expect(refusedFor(ownAfter)).toBe('applied (applied)');
    // Lent again, 09:50 to 10:00: the first loan is no longer the last, and is still kept to (a try-out's finding).
    const again = randomUUID();
    expect(decide('DMO', 'loan.request', { loanId: again, incidentId, lender: 'NBR', ask: { callSign: 'NB-102' }, reason: 'Again' }, '2026-11-30T09:49:00.000Z').status).toBe('applied');
    expect(decide('NBR', 'loan.accept', { loanId: again, loanVersion: state.get('loan', again)!.version, unitId: 'NB-102', unitVersion: state.get('unit', 'NB-102')!.version }, '2026-11-30T09:50:00.000Z').status).toBe('applied');
    expect(decide('DMO', 'loan.return', { loanId: again, loanVersion: state.get('loan', again)!.version, unitId: 'NB-102', unitVersion: state.get('unit', 'NB-102')!.version }, '2026-11-30T10:00:00.000Z').status).toBe('applied');
    expect(state.get('unit', 'NB-102')!.pastLoans).toEqual([
      { to: 'DMO', since: '2026-11-30T09:20:30.000Z', at: '2026-11-30T09:40:00.000Z' },
      { to: 'DMO', since: '2026-11-30T09:50:00.000Z', at: '2026-11-30T10:00:00.000Z' },
    ]);
    const inFirst = decide('NBR', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId: nbrIncident(), deployedAt: '2026-11-30T09:25:00.000Z', clearedAt: '2026-11-30T09:35:00.000Z', paper: outage }, '2026-11-30T10:05:00.000Z');
    expect(refusedFor(inFirst)).toBe("NB-102 was lent to DMO from 2026-11-30 09:20:30 GMT to 2026-11-30 09:40:00 GMT: the paper's deployment (2026-11-30 09:25 GMT to 2026-11-30 09:35 GMT) falls in that time, when DMO had it");
  });

  it('dates a loan accepted offline and sent later from when the server took it, so the borrower’s paper cannot reach back over the lender’s (a try-out’s high)', () => {
    const outage = { outageFrom: '2026-11-30T08:50:00.000Z' };
    const loanId = randomUUID();
    expect(decide('DMO', 'loan.request', { loanId, incidentId, lender: 'NBR', ask: { callSign: 'NB-102' }, reason: 'No DMO unit free' }, '2026-11-30T08:55:00.000Z').status).toBe('applied');
    // NBR's own paper record of NB-102, 08:58 to 09:30, entered while the unit is its own.
    const own = decide('NBR', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId: nbrIncident(), deployedAt: '2026-11-30T08:58:00.000Z', clearedAt: '2026-11-30T09:30:00.000Z', paper: outage }, '2026-11-30T09:35:00.000Z');
    expect(refusedFor(own)).toBe('applied (applied)');
    // NBR's acceptance, made offline at 09:00, reaches the server at 09:40: the loan began at 09:40.
    expect(decide('NBR', 'loan.accept', { loanId, loanVersion: state.get('loan', loanId)!.version, unitId: 'NB-102', unitVersion: state.get('unit', 'NB-102')!.version }, '2026-11-30T09:00:00.000Z', '2026-11-30T09:40:00.000Z').status).toBe('applied');
    expect(state.get('unit', 'NB-102')!.loan?.since).toBe('2026-11-30T09:40:00.000Z');
    const borrowers = decide('DMO', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId, deployedAt: '2026-11-30T09:01:00.000Z', clearedAt: '2026-11-30T09:10:00.000Z', paper: outage }, '2026-11-30T09:45:00.000Z');
    expect(refusedFor(borrowers)).toBe("NB-102 was lent to DMO at 2026-11-30 09:40:00 GMT, after the paper's deployment at 2026-11-30 09:01 GMT: it was NBR's then");
  });

  it('holds a desk whose clock runs ahead to the server’s: no paper in the server’s future, no loan begun there (a try-out’s high)', () => {
    const outage = { outageFrom: '2026-11-30T08:50:00.000Z' };
    // NBR's desk says 09:32; the server's clock says 09:30. A paper record of NB-102 from 09:30:30 to 09:31:40 is, for
    // every other desk, still to come.
    const ahead = decide('NBR', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId: nbrIncident(), deployedAt: '2026-11-30T09:30:30.000Z', clearedAt: '2026-11-30T09:31:40.000Z', paper: outage }, '2026-11-30T09:32:00.000Z', '2026-11-30T09:30:00.000Z');
    expect(refusedFor(ahead)).toBe("the paper's time 2026-11-30 09:30:30 GMT is still to come by the server's clock (2026-11-30 09:30 GMT): this desk's clock (2026-11-30 09:32 GMT) was ahead of it");
    // Its acceptance of a loan, stamped 10:00 by the desk, is taken by the server at 09:30: the loan begins then.
    const loanId = randomUUID();
    expect(decide('DMO', 'loan.request', { loanId, incidentId, lender: 'NBR', ask: { callSign: 'NB-102' }, reason: 'No DMO unit free' }, '2026-11-30T09:29:00.000Z').status).toBe('applied');
    expect(decide('NBR', 'loan.accept', { loanId, loanVersion: state.get('loan', loanId)!.version, unitId: 'NB-102', unitVersion: state.get('unit', 'NB-102')!.version }, '2026-11-30T10:00:00.000Z', '2026-11-30T09:30:00.000Z').status).toBe('applied');
    expect(state.get('unit', 'NB-102')!.loan?.since).toBe('2026-11-30T09:30:00.000Z');
    expect(decide('DMO', 'loan.return', { loanId, loanVersion: state.get('loan', loanId)!.version, unitId: 'NB-102', unitVersion: state.get('unit', 'NB-102')!.version }, '2026-11-30T09:35:00.000Z').status).toBe('applied');
    expect(state.get('unit', 'NB-102')!.pastLoans).toEqual([{ to: 'DMO', since: '2026-11-30T09:30:00.000Z', at: '2026-11-30T09:35:00.000Z' }]);
  });

  it('is refused, cleared or not, on an incident the unit was not lent for, and to the lender on the incident it was lent for (a try-out’s high)', () => {
    const loanId = randomUUID();
    expect(decide('DMO', 'loan.request', { loanId, incidentId, lender: 'NBR', ask: { callSign: 'NB-102' }, reason: 'No DMO unit free' }).status).toBe('applied');
    expect(decide('NBR', 'loan.accept', { loanId, loanVersion: state.get('loan', loanId)!.version, unitId: 'NB-102', unitVersion: state.get('unit', 'NB-102')!.version }).status).toBe('applied');
    // DMO's private incident, never shared: the loan is not for it.
    const privateId = randomUUID();
    state.must('incident.create', { incidentId: privateId, provisionalReference: 'WS-P0002', type: 'ASSAULT', location: unverifiedLocation('Harbour Street'), grade: '2', firstLog: null });
    const times = { deployedAt: '2026-11-30T09:10:00.000Z', arrivedAt: '2026-11-30T09:20:00.000Z', paper: { outageFrom: '2026-11-30T09:00:00.000Z' } };
    for (const clearedAt of ['2026-11-30T09:40:00.000Z', null]) {
      const elsewhere = decide('DMO', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId: privateId, ...times, clearedAt });
      expect(refusedFor(elsewhere), `cleared ${clearedAt}`).toBe('NB-102 is lent to DMO for another incident');
    }
    // The lender, assisting on the incident it lent the unit for: the borrower runs it there, so records it.
    expect(shareWithNbr('assist').status).toBe('applied');
    for (const clearedAt of ['2026-11-30T09:40:00.000Z', null]) {
      const byLender = decide('NBR', 'assignment.record', { assignmentId: randomUUID(), unitId: 'NB-102', incidentId, ...times, clearedAt });
      expect(refusedFor(byLender), `cleared ${clearedAt}`).toBe('NB-102 is lent to DMO');
    }
    expect(assignmentsOf()).toEqual([]);
    expect([...state.records.values()].some((r) => r.kind === 'assignment')).toBe(false);
  });
});

describe('an assist share made by a standing arrangement', () => {
  it('lets the holder write as a dispatcher’s assist share does: the server reads the arrangement’s share with the command', () => {
    const id = arrangementShareId(incidentId, arrangementId('DMO', 'ASSAULT', 'NBR'));
    state.put([{ kind: 'share', id, doc: { id, force: 'DMO', incidentId, sharedWith: 'NBR', tier: 'assist', how: 'arrangement', reason: 'standing arrangement for Assault (ASSAULT)', by: 'system', at: AT, revoked: null, version: 1 } }]);
    expect(refusedFor(addLog('NB-101 can be there in 4 minutes'))).toBe('applied (applied)');
    expect(refusedFor(deploy('NB-101'))).toBe('applied (applied)');
  });
});

describe('sharing by hand again', () => {
  it('cuts the share of a closed incident to view, which shares nothing new, but neither widens nor gives again a share of one (tryout15b)', () => {
    expect(refusedFor(shareWithNbr('assist'))).toBe('applied (applied)');
    expect(refusedFor(decide('DMO', 'incident.close', { incidentId, closeId: randomUUID(), closingCode: 'ADVICE', incidentVersion: incident().version, reservationIds: [] }))).toBe('applied (applied)');
    expect(refusedFor(shareWithNbr('view', 'Closed: NBR keeps a view'))).toBe('applied (applied)');
    expect(state.get('share', byHandShareId(incidentId, 'NBR'))).toMatchObject({ tier: 'view', assisted: true, revoked: null });
    expect(refusedFor(shareWithNbr('assist'))).toBe('the incident is closed: only an open incident is shared (a share of it may still be cut to view or revoked)');
    expect(refusedFor(decide('DMO', 'share.revoke', { shareId: byHandShareId(incidentId, 'NBR'), reason: 'Done' }))).toBe('applied (applied)');
    expect(refusedFor(shareWithNbr('view'))).toMatch(/^the incident is closed/);
  });

  it('changes the one share’s tier up and down, gives a revoked share again, and refuses the same tier twice', () => {
    const id = byHandShareId(incidentId, 'NBR');
    expect(shareWithNbr('view').status).toBe('applied');
    expect(shareWithNbr('assist', 'Their dog unit is nearest').status).toBe('applied');
    expect(state.get('share', id)).toMatchObject({ tier: 'assist', reason: 'Their dog unit is nearest', version: 2, revoked: null });
    expect(refusedFor(shareWithNbr('assist'))).toMatch(/shared with NBR at the assist tier already/);
    expect(decide('DMO', 'share.revoke', { shareId: id, reason: 'Done' }).status).toBe('applied');
    const again = shareWithNbr('view', 'Suspect seen again at Crossways');
    expect(again.status).toBe('applied');
    expect(state.get('share', id)).toMatchObject({ tier: 'view', revoked: null, version: 4 });
    const lines = [...state.records.values()].filter((r) => r.kind === 'logEntry' && r.doc.incidentId === incidentId).map((r) => (r.doc as { text: string }).text);
    expect(lines).toEqual(expect.arrayContaining(['Share with NBR changed from view to assist: Their dog unit is nearest', 'Shared again with NBR (view): Suspect seen again at Crossways']));
  });
});

describe('ending an assist share while the holder’s units are there', () => {
  it('names the holder’s units still deployed (committed), not those cleared or the owner’s', () => {
    const deployments = [
      { unitId: 'NB-101', unitForce: 'NBR', status: 'at_scene' as const },
      { unitId: 'NB-102', unitForce: 'NBR', status: 'cleared' as const },
      { unitId: 'DM-11', status: 'en_route' as const },
      // Lent to DMO and deployed by DMO: DMO runs it, so it does not hold the share open.
      { unitId: 'NB-104', unitForce: 'NBR', status: 'at_scene' as const, lent: true as const },
    ];
    expect(holderUnitsDeployed(deployments, 'NBR')).toEqual(['NB-101']);
  });

  it('lets the owner end the share with a unit the holder lent it still there, as the server checks it', () => {
    const was = { id: 's1', force: 'DMO', incidentId, sharedWith: 'NBR', tier: 'assist', revoked: null } as unknown as Share;
    const revoked = { ...was, revoked: { at: '2026-11-29T10:00:00.000Z', by: 'carol', reason: 'Ours now' } } as unknown as Share;
    const lent = { id: 'NB-104', force: 'NBR', commitment: { incidentId }, loan: { loanId: randomUUID(), to: 'DMO', incidentId, since: '2026-11-29T09:00:00.000Z' } } as unknown as Unit;
    const ownRun = { id: 'NB-101', force: 'NBR', commitment: { incidentId } } as unknown as Unit;
    expect(assistEndProblem(was, revoked, [lent])).toBeNull();
    expect(assistEndProblem(was, revoked, [lent, ownRun])).toBe('NB-101 of NBR still deployed on the incident: NBR clears its units before the share is revoked');
  });

  it('is refused by the server, revoked or cut to view, while NBR’s unit is committed there; allowed once it clears, and at any time for a view share or DMO’s own unit', () => {
    const shareId = byHandShareId(incidentId, 'NBR');
    shareWithNbr('assist');
    expect(decide('DMO', 'unit.assign', { assignmentId: randomUUID(), unitId: 'DM-11', incidentId, unitVersion: state.get('unit', 'DM-11')!.version }).status).toBe('applied');
    expect(deploy('NB-101').status).toBe('applied');
    expect(refusedFor(decide('DMO', 'share.revoke', { shareId, reason: 'Ours now' }))).toBe('NB-101 of NBR still deployed on the incident: NBR clears its units before the share is revoked');
    expect(refusedFor(shareWithNbr('view'))).toBe('NB-101 of NBR still deployed on the incident: NBR clears its units before the share is cut to view');
    expect(state.get('share', shareId)).toMatchObject({ tier: 'assist', revoked: null });
    const nb101 = assignmentsOf().find((a) => a.unitId === 'NB-101')!;
    expect(decide('NBR', 'assignment.setStatus', { assignmentId: nb101.id, unitId: 'NB-101', incidentId, status: 'cleared', assignmentVersion: nb101.version }).status).toBe('applied');
    // DM-11, DMO's own, is still there: it does not hold the share open.
    expect(shareWithNbr('view').status).toBe('applied');
    expect(decide('DMO', 'share.revoke', { shareId, reason: 'Ours now' }).status).toBe('applied');
  });
});

describe('commands following a refused one from the same workstation (CommandEnvelope.follows)', () => {
  const clientId = randomUUID();
  /** A command of this one workstation, decided by the server; every record it leaves kept, refused or not. */
  function send(force: 'DMO' | 'NBR', name: string, args: unknown, follows?: string[]) {
    const envelope: CommandEnvelope = {
      commandId: randomUUID(),
      clientId,
      clientSeq: ++seq,
      name,
      args,
      issuedAt: AT,
      operator: force === 'DMO' ? 'bob' : 'omar',
      ticket: '',
      workstation: `WS-${force}`,
      schemaVersion: SCHEMA_VERSION,
      ...(follows ? { follows } : {}),
    };
    const decision = planCommand(envelope, rulesOfForce(rules, force)!).decide(state, () => 1);
    state.put(decision.changes);
    return { id: envelope.commandId, decision };
  }

  it('keeps a status press on a deployment the partition refused on that refusal, not as a refusal of its own', () => {
    expect(shareWithNbr('view').status).toBe('applied');
    const assignmentId = randomUUID();
    const made = send('NBR', 'unit.assign', { assignmentId, unitId: 'NB-101', incidentId, unitVersion: state.get('unit', 'NB-101')!.version });
    expect(made.decision).toMatchObject({ status: 'rejected', code: 'forbidden' });
    const pressed = send('NBR', 'assignment.setStatus', { assignmentId, unitId: 'NB-101', incidentId, status: 'at_scene', assignmentVersion: 1 }, [made.id]);
    expect(pressed.decision).toMatchObject({ status: 'rejected', code: 'conflict', reason: expect.stringMatching(/^refused with your earlier command \(.+\), which was refused: DMO has shared the incident with NBR to view only/) });
    expect(pressed.decision.changes.map((change) => change.kind)).toEqual(['refusal']);
    expect(state.get('refusal', made.id)!.followedBy).toEqual([expect.objectContaining({ commandId: pressed.id, commandName: 'assignment.setStatus', operator: 'omar' })]);
    expect(state.get('refusal', pressed.id)).toBeUndefined();
    expect(state.get('conflict', pressed.id)).toBeUndefined();
  });

  it('keeps a log line on an incident whose making was refused outright on that refusal', () => {
    const madeId = randomUUID();
    const made = send('DMO', 'incident.create', { incidentId: madeId, provisionalReference: 'WS-P0002', type: 'NO-SUCH-TYPE', location: unverifiedLocation('Bargate'), grade: '1', firstLog: null });
    expect(made.decision).toMatchObject({ status: 'rejected', code: 'invalid' });
    const line = { incidentId: madeId, entryId: randomUUID(), text: 'Caller rang back' };
    const logged = send('DMO', 'incident.addLog', line, [made.id]);
    expect(logged.decision).toMatchObject({ status: 'rejected', code: 'conflict', reason: expect.stringContaining('which was refused') });
    expect(state.get('refusal', made.id)!.followedBy?.map((f) => f.commandName)).toEqual(['incident.addLog']);
    expect(state.get('conflict', logged.id)).toBeUndefined();
  });
});
