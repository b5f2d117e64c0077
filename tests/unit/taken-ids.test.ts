import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadForceConfig, neighbourForceConfigFile } from '../../node-common/force-config-file';
import { unverifiedLocation } from '../../shared/domain/location';
import { byHandShareId } from '../../shared/domain/share';
import { keyString, type RecordKey, type RecordKind } from '../../shared/domain/records';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { planCommand, rulesOfForce, type ServerRules } from '../../server/commands/plan-command';
import { RecordSet } from '../fakes/rules-harness';
import { demoConfig } from '../fakes/fixtures';
import type { Decision } from '../../server/storage/storage';

// Issue 12, H1: an NBR workstation's incident.create whose first log line took the id of one of DMO's log lines was
// applied, and DMO's line became NBR's, on NBR's incident. The server now makes a record only under an id no record
// holds, any force's, an erased one's included, and refuses any other in the words of any taken id.
const nbr = loadForceConfig(neighbourForceConfigFile());
const AT = '2026-11-30T10:00:00.000Z';
const rules: ServerRules = { config: demoConfig, alsoServes: [nbr], now: () => Date.parse(AT) };

let state: RecordSet;
/** Records erased on the server, by key: their ids are held for ever, though no command reads them. */
let erased: Set<string>;
const ids = { dmoPrivate: '', dmoPrivateLine: '', dmoShared: '', dmoSharedLine: '', nbrIncident: '', nbrLine: '', erasedLine: '', erasedIncident: '', erased: '' };

beforeEach(() => {
  state = new RecordSet();
  erased = new Set();
  state.put([{ kind: 'operator', id: 'omar', doc: { id: 'omar', force: 'NBR', displayName: 'omar', roles: ['dispatcher', 'call_handler', 'supervisor'], active: true, version: 1 } }]);
  for (const key of Object.keys(ids) as (keyof typeof ids)[]) ids[key] = randomUUID();
  state.must('incident.create', { incidentId: ids.dmoPrivate, provisionalReference: 'WS-P0001', type: 'ASSAULT', location: unverifiedLocation('Portswood Road'), grade: '1', firstLog: { entryId: ids.dmoPrivateLine, text: 'Caller says her neighbour has a knife' } });
  state.must('incident.create', { incidentId: ids.dmoShared, provisionalReference: 'WS-P0002', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: { entryId: ids.dmoSharedLine, text: 'Two men fighting outside the pub' } });
  expect(refused(decide('bob', 'share.create', { shareId: byHandShareId(ids.dmoShared, 'NBR'), incidentId: ids.dmoShared, sharedWith: 'NBR', tier: 'assist', reason: 'On the border' }))).toBe('applied');
  expect(refused(decide('omar', 'incident.create', { incidentId: ids.nbrIncident, provisionalReference: 'WS-NBR-P0001', type: 'VIOLENCE', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: { entryId: ids.nbrLine, text: 'NBR’s own line' } }))).toBe('applied');
  for (const [kind, id] of [['logEntry', ids.erasedLine], ['incident', ids.erasedIncident], ...(['incident', 'marker', 'loan', 'transfer', 'contact', 'logEntry'] as const).map((kind) => [kind, ids.erased])] as [RecordKind, string][]) erased.add(keyString({ kind, id }));
});

/** A command decided by the server for its operator's force (bob DMO, omar NBR), against the records and the erased ids; kept if applied. */
function decide(operator: 'bob' | 'omar', name: string, args: unknown): Decision {
  const force = operator === 'bob' ? 'DMO' : 'NBR';
  const envelope: CommandEnvelope = { commandId: randomUUID(), clientId: randomUUID(), clientSeq: 1, name, args, issuedAt: AT, operator, ticket: '', workstation: `WS-${force}`, schemaVersion: SCHEMA_VERSION };
  const holding = (key: RecordKey) => (erased.has(keyString(key)) ? null : state.get(key.kind, key.id));
  const decision = planCommand(envelope, rulesOfForce(rules, force)!).decide(state, () => 1, holding);
  if (decision.status === 'applied') state.put(decision.changes);
  return decision;
}

const taken = (id: string) => `the server would not write it: the id ${id} is already in use on the server; a new record needs a new id`;

/** Every argument of a command that names the id of a record it makes, with the kind of that record, and valid args around it. */
const MAKERS: [string, RecordKind, (id: string) => unknown][] = [
  ['incident.create', 'logEntry', (entryId) => ({ incidentId: randomUUID(), provisionalReference: 'WS-NBR-P0002', type: 'VIOLENCE', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: { entryId, text: 'Overwritten by NBR' } })],
  ['incident.create', 'incident', (incidentId) => ({ incidentId, provisionalReference: 'WS-NBR-P0003', type: 'VIOLENCE', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null })],
  ['incident.addLog', 'logEntry', (entryId) => ({ incidentId: ids.nbrIncident, entryId, text: 'Overwritten by NBR' })],
  ['marker.add', 'marker', (markerId) => ({ markerId, point: { lat: 50.93, lon: -1.39 }, radiusM: 50, address: '12 Crossways Road', warnings: ['dog'], note: '' })],
  ['contact.receive', 'contact', (contactId) => ({ contactId, source: '999', callerNumber: '07700 900123', receivedAt: AT, handsetLocation: null })],
  ['loan.request', 'loan', (loanId) => ({ loanId, incidentId: ids.nbrIncident, lender: 'DMO', ask: { type: 'IRV', count: 1 }, reason: 'No unit free' })],
  ['transfer.offer', 'transfer', (transferId) => ({ transferId, incidentId: ids.nbrIncident, incidentVersion: 1, to: 'DMO', reason: 'Yours now' })],
];

describe('a record made under an id some record holds', () => {
  it('an incident’s first line under the id of DMO’s private line is refused as any taken id is, and DMO’s line stands', () => {
    const before = state.get('logEntry', ids.dmoPrivateLine);
    const decision = decide('omar', 'incident.create', MAKERS[0]![2](ids.dmoPrivateLine));
    expect(decision).toMatchObject({ status: 'rejected', code: 'forbidden', reason: taken(ids.dmoPrivateLine) });
    expect(decision.changes.map((change) => change.kind)).toEqual(['refusal']);
    expect(state.get('logEntry', ids.dmoPrivateLine)).toEqual(before);
    // The same words, the same code, as a log line added under a taken id (which never said whose it was).
    const added = decide('omar', 'incident.addLog', { incidentId: ids.nbrIncident, entryId: ids.dmoPrivateLine, text: 'x' });
    expect(added).toMatchObject({ status: 'rejected', code: 'forbidden', reason: taken(ids.dmoPrivateLine) });
  });

  it.each([
    ['DMO’s line on the incident shared with NBR', () => ids.dmoSharedLine],
    ['NBR’s own line on another incident', () => ids.nbrLine],
    ['an erased line', () => ids.erasedLine],
  ])('an incident’s first line under the id of %s is refused in the same words', (_what, id) => {
    const before = state.get('logEntry', id());
    expect(decide('omar', 'incident.create', MAKERS[0]![2](id()))).toMatchObject({ status: 'rejected', code: 'forbidden', reason: taken(id()) });
    expect(state.get('logEntry', id())).toEqual(before);
  });

  it('an incident under an erased incident’s id is refused: an erased record is not brought back', () => {
    expect(decide('omar', 'incident.create', MAKERS[1]![2](ids.erasedIncident))).toMatchObject({ status: 'rejected', code: 'forbidden', reason: taken(ids.erasedIncident) });
    expect(state.get('incident', ids.erasedIncident)).toBeUndefined();
  });

  it.each(MAKERS.map(([name, kind, args]) => [`${name} (${kind})`, kind, name, args] as const))('%s: under an erased id, refused; under a new id, applied', (_label, kind, name, args) => {
    const refused = decide('omar', name, args(ids.erased));
    expect(refused).toMatchObject({ status: 'rejected', code: 'forbidden', reason: taken(ids.erased) });
    expect(refused.changes.some((change) => change.kind === kind && change.id === ids.erased)).toBe(false);
    const fresh = randomUUID();
    const made = decide('omar', name, args(fresh));
    expect(made.status === 'rejected' ? made.reason : made.status).toBe('applied');
    expect(state.get(kind, fresh)).toBeDefined();
  });

  it('a deployment and its lines, under ids derived from the command’s, are written as before', () => {
    state.registerOnDuty({ callSign: 'DM-11', type: 'IRV', homeStation: 'Central' });
    const assignmentId = randomUUID();
    expect(decide('bob', 'unit.assign', { assignmentId, unitId: 'DM-11', incidentId: ids.dmoPrivate, unitVersion: state.get('unit', 'DM-11')!.version }).status).toBe('applied');
    const status = () => ({ assignmentId, unitId: 'DM-11', incidentId: ids.dmoPrivate, status: 'en_route', assignmentVersion: state.get('assignment', assignmentId)!.version });
    expect(decide('bob', 'assignment.setStatus', status()).status).toBe('applied');
  });
});

/**
 * NBR's commands on its own incident and unit, each with fresh ids: every record each makes, under an id taken from
 * its arguments (an entry's, a marker's) or derived from one (a status line's, a closing line's).
 */
const NBR_COMMANDS: [string, () => unknown][] = [
  ['incident.create', () => MAKERS[0]![2](randomUUID())],
  ['incident.addLog', () => ({ incidentId: ids.nbrIncident, entryId: randomUUID(), text: 'NB-101 on the way' })],
  ['incident.update', () => ({ incidentId: ids.nbrIncident, changeId: randomUUID(), fields: { description: 'Two men with a bat' } })],
  ['incident.regrade', () => ({ incidentId: ids.nbrIncident, changeId: randomUUID(), grade: '2', reason: 'Calmer now' })],
  ['incident.changeType', () => ({ incidentId: ids.nbrIncident, changeId: randomUUID(), type: 'DISORDER', reason: 'A fight, no weapon' })],
  ['incident.close', () => ({ incidentId: ids.nbrIncident, closeId: randomUUID(), closingCode: 'NFA', incidentVersion: state.get('incident', ids.nbrIncident)!.version })],
  ['incident.takeOwnership', () => ({ incidentId: ids.nbrIncident, takeId: randomUUID(), incidentVersion: state.get('incident', ids.nbrIncident)!.version })],
  ['unit.assign', () => ({ assignmentId: randomUUID(), unitId: 'NB-101', incidentId: ids.nbrIncident, unitVersion: state.get('unit', 'NB-101')!.version })],
  ['marker.add', () => MAKERS[3]![2](randomUUID())],
  ['contact.receive', () => MAKERS[4]![2](randomUUID())],
  ['loan.request', () => MAKERS[5]![2](randomUUID())],
  ['transfer.offer', () => MAKERS[6]![2](randomUUID())],
  ['share.create', () => ({ shareId: byHandShareId(ids.nbrIncident, 'DMO'), incidentId: ids.nbrIncident, sharedWith: 'DMO', tier: 'view', reason: 'On the border' })],
];

describe('every record a command makes, under an id another force’s record holds', () => {
  beforeEach(() => {
    expect(state.run('unit.register', { callSign: 'NB-101', type: 'RESP', homeStation: 'Northbridge' }, 'nbadmin', undefined, true, nbr).ok).toBe(true);
    expect(state.run('unit.setDuty', { unitId: 'NB-101', duty: 'on_duty', unitVersion: 1 }, 'omar', undefined, false, nbr).ok).toBe(true);
  });

  it.each(NBR_COMMANDS)('%s is refused in the words of any taken id, and the other force’s record stands', (name, args) => {
    const sent = args();
    // What it makes, decided and not kept: every record it writes that was not there before.
    const made = decideOnly('omar', name, sent);
    expect(refused(made)).toBe('applied');
    const fresh = made.changes.filter((change) => state.get(change.kind, change.id) === undefined);
    expect(fresh.length).toBeGreaterThan(0);
    for (const change of fresh) {
      // DMO's private record under that id (a line on DMO's private incident, or one of that kind of DMO's).
      const theirs = { kind: change.kind, id: change.id, doc: { ...change.doc, force: 'DMO', incidentId: ids.dmoPrivate } } as typeof change;
      state.put([theirs]);
      const decision = decideOnly('omar', name, sent);
      expect(decision).toMatchObject({ status: 'rejected', code: 'forbidden', reason: taken(change.id) });
      expect(decision.changes.map((c) => c.kind)).toEqual(['refusal']);
      state.records.delete(keyString(change));
    }
  });
});

/** A command decided by the server as `decide` does, its changes not kept. */
function decideOnly(operator: 'bob' | 'omar', name: string, args: unknown): Decision {
  const force = operator === 'bob' ? 'DMO' : 'NBR';
  const envelope: CommandEnvelope = { commandId: randomUUID(), clientId: randomUUID(), clientSeq: 1, name, args, issuedAt: AT, operator, ticket: '', workstation: `WS-${force}`, schemaVersion: SCHEMA_VERSION };
  const holding = (key: RecordKey) => (erased.has(keyString(key)) ? null : state.get(key.kind, key.id));
  return planCommand(envelope, rulesOfForce(rules, force)!).decide(state, () => 1, holding);
}

function refused(decision: Decision): string {
  return decision.status === 'rejected' ? decision.reason : decision.status;
}
