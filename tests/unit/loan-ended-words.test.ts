import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadForceConfig, neighbourForceConfigFile } from '../../node-common/force-config-file';
import { unverifiedLocation } from '../../shared/domain/location';
import { byHandShareId } from '../../shared/domain/share';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { planCommand, rulesOfForce, type ServerRules } from '../../server/commands/plan-command';
import { RecordSet } from '../fakes/rules-harness';
import { demoConfig } from '../fakes/fixtures';
import type { Decision } from '../../server/storage/storage';

// Issue 12, M4 (a try-out's finding): DMO's status change, made offline, on NBR's unit lent to DMO and deployed on
// DMO's own incident (shared with NBR at assist), refused once NBR had taken the unit back, read "NBR has shared the
// incident with DMO to view only: DMO may not write to it". The incident is DMO's: the refusal says what happened.
const nbr = loadForceConfig(neighbourForceConfigFile());
/** The server decides each command at the time it was issued (an online desk): decide sets it. */
let serverAt = '2026-11-30T10:00:00.000Z';
const rules: ServerRules = { config: demoConfig, alsoServes: [nbr], now: () => Date.parse(serverAt) };

let state: RecordSet;
let incidentId: string;
let seq = 0;

beforeEach(() => {
  state = new RecordSet();
  state.put([{ kind: 'operator', id: 'omar', doc: { id: 'omar', force: 'NBR', displayName: 'omar', roles: ['dispatcher'], active: true, version: 1 } }]);
  expect(state.run('unit.register', { callSign: 'NB-101', type: 'RESP', homeStation: 'Northbridge' }, 'nbadmin', undefined, true, nbr).ok).toBe(true);
  expect(state.run('unit.setDuty', { unitId: 'NB-101', duty: 'on_duty', unitVersion: 1 }, 'omar', undefined, false, nbr).ok).toBe(true);
  incidentId = randomUUID();
  state.must('incident.create', { incidentId, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null });
});

/** A command decided by the server for its operator's force (bob DMO, omar NBR) at `at` (UTC); kept if applied. */
function decide(operator: 'bob' | 'omar', name: string, args: unknown, at = '2026-11-30T10:00:00.000Z'): Decision {
  const force = operator === 'bob' ? 'DMO' : 'NBR';
  serverAt = at;
  const envelope: CommandEnvelope = { commandId: randomUUID(), clientId: randomUUID(), clientSeq: ++seq, name, args, issuedAt: at, operator, ticket: '', workstation: `WS-${force}`, schemaVersion: SCHEMA_VERSION };
  const decision = planCommand(envelope, rulesOfForce(rules, force)!).decide(state, () => 1);
  if (decision.status === 'applied') state.put(decision.changes);
  return decision;
}

const applied = (decision: Decision) => (decision.status === 'rejected' ? decision.reason : decision.status);

describe('a borrower’s command on a lent unit after its loan ended', () => {
  let assignmentId: string;
  let loanId: string;
  beforeEach(() => {
    expect(applied(decide('bob', 'share.create', { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'On the border' }))).toBe('applied');
    loanId = randomUUID();
    expect(applied(decide('bob', 'loan.request', { loanId, incidentId, lender: 'NBR', ask: { callSign: 'NB-101' }, reason: 'No DMO unit free' }))).toBe('applied');
    expect(applied(decide('omar', 'loan.accept', { loanId, loanVersion: state.get('loan', loanId)!.version, unitId: 'NB-101', unitVersion: state.get('unit', 'NB-101')!.version }))).toBe('applied');
    assignmentId = randomUUID();
    expect(applied(decide('bob', 'unit.assign', { assignmentId, unitId: 'NB-101', incidentId, unitVersion: state.get('unit', 'NB-101')!.version }))).toBe('applied');
  });

  it('says the lender took it back, and when on the borrower’s clock, never that the borrower’s incident is shared with it', () => {
    const version = state.get('assignment', assignmentId)!.version;
    const taken = decide('omar', 'loan.takeBack', { loanId, loanVersion: state.get('loan', loanId)!.version, unitId: 'NB-101', unitVersion: state.get('unit', 'NB-101')!.version, reason: 'Needed in Northbridge', deployment: { assignmentId, incidentId } }, '2026-11-30T10:42:00.000Z');
    expect(applied(taken)).toBe('applied');
    // DMO's workstation, offline, moved NB-101 on before it heard.
    const late = decide('bob', 'assignment.setStatus', { assignmentId, unitId: 'NB-101', incidentId, status: 'at_scene', assignmentVersion: version }, '2026-11-30T10:44:00.000Z');
    expect(late).toMatchObject({ status: 'rejected', reason: "NB-101 was taken back by NBR at 10:42 GMT; it is no longer DMO's to move" });
    expect(JSON.stringify(late)).not.toMatch(/shared the incident/);
  });
});
