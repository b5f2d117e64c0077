import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadForceConfig, neighbourForceConfigFile } from '../../node-common/force-config-file';
import { unverifiedLocation } from '../../shared/domain/location';
import { byHandShareId } from '../../shared/domain/share';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { planCommand, rulesOfForce, type ServerRules } from '../../server/commands/plan-command';
import { auditDrafts } from '../../server/audit/command-audit';
import { RecordSet } from '../fakes/rules-harness';
import { demoConfig } from '../fakes/fixtures';
import type { Decision } from '../../server/storage/storage';

// Issue 13, a try-out's finding: an NBR workstation pushing a command or a look at one of DMO's private records (an
// incident never shared with NBR) must be answered exactly as for an id the server never had, so that a crafted push
// cannot learn that an id is another force's record. The server's plan of each command decides both.
const nbr = loadForceConfig(neighbourForceConfigFile());
const AT = '2026-11-30T10:00:00.000Z';
const rules: ServerRules = { config: demoConfig, alsoServes: [nbr], now: () => Date.parse(AT) };

let state: RecordSet;
let dmoIncident: string;

beforeEach(() => {
  state = new RecordSet();
  state.put([{ kind: 'operator', id: 'omar', doc: { id: 'omar', force: 'NBR', displayName: 'omar', roles: ['dispatcher', 'call_handler', 'supervisor'], active: true, version: 1 } }]);
  dmoIncident = randomUUID();
  state.must('incident.create', { incidentId: dmoIncident, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: unverifiedLocation('Portswood Road'), grade: '1', firstLog: null });
});

/** A command of NBR's (omar) decided by the server; nothing kept. */
function decideForNbr(name: string, args: unknown): Decision {
  const envelope: CommandEnvelope = { commandId: randomUUID(), clientId: 'c-nbr', clientSeq: 1, name, args, issuedAt: AT, operator: 'omar', ticket: '', workstation: 'WS-NBR', schemaVersion: SCHEMA_VERSION };
  return planCommand(envelope, rulesOfForce(rules, 'NBR')!).decide(state, () => 1);
}

/** Everything a workstation can observe of a decision, with the incident's id (the only difference asked) taken out. */
function observed(decision: Decision, id: string): unknown {
  const text = JSON.stringify(decision).replaceAll(id, '<id>');
  const seen = JSON.parse(text) as Decision;
  return {
    status: seen.status,
    ...(seen.status === 'rejected' ? { code: seen.code, reason: seen.reason } : {}),
    // The records the refusal leaves (a conflict or a refusal for NBR's room), without their own fresh ids and times.
    changes: seen.changes.map((change) => {
      const { id: _id, args: _args, commandId: _commandId, ...doc } = change.doc as unknown as Record<string, unknown>;
      return { kind: change.kind, doc };
    }),
    unseen: seen.status === 'applied' ? (seen.unseen ?? []).length : 0,
  };
}

const COMMANDS: [string, (incidentId: string) => unknown][] = [
  ['incident.addLog', (incidentId) => ({ incidentId, entryId: '7d3c1e2a-0b4f-4c6d-8e9f-1a2b3c4d5e6f', text: 'Written by another force' })],
  ['incident.update', (incidentId) => ({ incidentId, changeId: '7d3c1e2a-0b4f-4c6d-8e9f-1a2b3c4d5e6f', fields: { description: 'Two men with a bat' } })],
  ['incident.regrade', (incidentId) => ({ incidentId, changeId: '7d3c1e2a-0b4f-4c6d-8e9f-1a2b3c4d5e6f', grade: '2', reason: 'Calmer now' })],
  ['share.create', (incidentId) => ({ shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'Give it to us' })],
  ['transfer.offer', (incidentId) => ({ transferId: '7d3c1e2a-0b4f-4c6d-8e9f-1a2b3c4d5e6f', incidentId, incidentVersion: 1, to: 'DMO', reason: 'Yours' })],
  ['loan.request', (incidentId) => ({ loanId: '7d3c1e2a-0b4f-4c6d-8e9f-1a2b3c4d5e6f', incidentId, lender: 'DMO', ask: { type: 'IRV', count: 1 }, reason: 'No unit free' })],
];

describe("a push at another force's private record, and at an id the server never had", () => {
  it.each(COMMANDS)('%s is refused in the same words, with the same code, leaving the same record', (name, args) => {
    const unknown = randomUUID();
    const atTheirs = observed(decideForNbr(name, args(dmoIncident)), dmoIncident);
    const atNothing = observed(decideForNbr(name, args(unknown)), unknown);
    expect(atTheirs).toEqual(atNothing);
    expect(JSON.stringify(atTheirs)).not.toContain('DMO');
  });

  it('a look at it is taken as a look at an unknown record: logged for NBR alone, nothing in the owner’s log', () => {
    const look = (recordId: string) => decideForNbr('record.consulted', { recordKind: 'incident', recordId, channel: 'incidents.get', query: { id: recordId }, revealed: [], reason: 'made up' });
    const atTheirs = look(dmoIncident);
    const unknown = randomUUID();
    expect(observed(atTheirs, dmoIncident)).toMatchObject({ status: 'applied', changes: [] });
    expect(observed(look(unknown), unknown)).toMatchObject({ status: 'applied', changes: [] });
    // The server's audit drafting leaves the owner's entry out for what NBR never held.
    const envelope: CommandEnvelope = { commandId: randomUUID(), clientId: randomUUID(), clientSeq: 1, name: 'record.consulted', args: { recordKind: 'incident', recordId: dmoIncident, channel: 'incidents.get', query: { id: dmoIncident }, revealed: [], reason: 'made up' }, issuedAt: AT, operator: 'omar', ticket: '', workstation: 'WS-NBR', schemaVersion: SCHEMA_VERSION };
    const unseen = atTheirs.status === 'applied' ? (atTheirs.unseen ?? []) : [];
    expect(unseen).toEqual([{ kind: 'incident', id: dmoIncident }]);
    const drafts = auditDrafts(envelope, AT, [], (record) => state.get(record.kind as 'incident', record.id), 'NBR', () => null, unseen);
    expect(drafts.map((d) => [d.kind, d.force])).toEqual([['consultation', 'NBR']]);
  });

  it('a look at a record shared once and revoked since still reaches the owner’s log (NBR held it)', () => {
    state.must('share.create', { shareId: byHandShareId(dmoIncident, 'NBR'), incidentId: dmoIncident, sharedWith: 'NBR', tier: 'view', reason: 'Suspects heading north' });
    const decision = decideForNbr('record.consulted', { recordKind: 'incident', recordId: dmoIncident, channel: 'incidents.get', query: { id: dmoIncident }, revealed: [], reason: 'Suspects heading north' });
    expect(decision).toMatchObject({ status: 'applied' });
    expect(decision.status === 'applied' ? decision.unseen : undefined).toBeUndefined();
  });

  it('a new record under an id another force’s record holds is refused without saying whose it is', () => {
    const decision = decideForNbr('incident.create', { incidentId: dmoIncident, provisionalReference: 'WS-NBR-P0001', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null });
    expect(decision).toMatchObject({ status: 'rejected' });
    const reason = decision.status === 'rejected' ? decision.reason : '';
    expect(reason).not.toContain('DMO');
    expect(state.get('incident', dmoIncident)).toMatchObject({ force: 'DMO' });
  });
});
