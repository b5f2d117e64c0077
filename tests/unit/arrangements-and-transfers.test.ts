import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { planCommand, type ServerRules } from '../../server/commands/plan-command';
import { keyString, type AnyRecord, type RecordDocs, type RecordKind } from '../../shared/domain/records';
import type { StateView } from '../../shared/commands/types';
import type { CommandEnvelope } from '../../shared/sync/protocol';
import { SCHEMA_VERSION } from '../../shared/sync/protocol';
import { loadForceConfig, demonstrationForces } from '../../node-common/force-config-file';
import { arrangementId, arrangementShareId, arrangementsFor, type Arrangement } from '../../shared/domain/arrangement';
import { gradeForPriority, type Transfer } from '../../shared/domain/transfer';
import { ShareBook } from '../../server/shares/share-book';
import type { Incident } from '../../shared/domain/incident';
import type { Share } from '../../shared/domain/share';
import type { Operator } from '../../shared/domain/operator';
import { anyOf, visibleTo, mayChange } from '../../shared/domain/partition';
import { serverSharePolicy } from '../../server/share-policy';
import { ownersAfterTransfers, transferredHistoryPolicy } from '../../shared/domain/cross-force-policy';
import { auditDrafts } from '../../server/audit/command-audit';

const [dmoFiles, nbrFiles] = demonstrationForces();
const DMO = loadForceConfig(dmoFiles!.configFile);
const NBR = loadForceConfig(nbrFiles!.configFile);
const T0 = Date.parse('2026-11-30T10:00:00.000Z');

/**
 * The server's decision on a room of two forces, against records held in memory: each command planned as the server
 * plans it (its force's rules, the reads it declares and nothing else), its changes written when applied.
 */
class Room {
  readonly records = new Map<string, AnyRecord>();
  private clock = T0;
  private seq = 0;
  readonly audits: ReturnType<typeof auditDrafts> = [];

  constructor() {
    for (const operator of [
      op('admin', 'DMO', ['admin']),
      op('bob', 'DMO', ['dispatcher']),
      op('alice', 'DMO', ['call_handler']),
      op('nadmin', 'NBR', ['admin']),
      op('priya', 'NBR', ['dispatcher']),
    ]) this.records.set(keyString({ kind: 'operator', id: operator.id }), { kind: 'operator', id: operator.id, doc: operator });
  }

  get<K extends RecordKind>(kind: K, id: string): RecordDocs[K] | undefined {
    return this.records.get(keyString({ kind, id }))?.doc as RecordDocs[K] | undefined;
  }

  all<K extends RecordKind>(kind: K): RecordDocs[K][] {
    return [...this.records.values()].filter((r) => r.kind === kind).map((r) => r.doc as RecordDocs[K]);
  }

  issue(force: 'DMO' | 'NBR', operator: string, name: string, args: unknown) {
    this.clock += 1000;
    const envelope: CommandEnvelope = {
      commandId: randomUUID(),
      clientId: randomUUID(),
      clientSeq: ++this.seq,
      name,
      args,
      issuedAt: new Date(this.clock).toISOString(),
      operator,
      ticket: '',
      workstation: `WS-${force}`,
      schemaVersion: SCHEMA_VERSION,
    };
    const rules: ServerRules = force === 'DMO' ? { config: DMO, alsoServes: [NBR], now: () => this.clock } : { config: NBR, alsoServes: [DMO], now: () => this.clock };
    const plan = planCommand(envelope, rules);
    const declared = new Set(plan.reads.map(keyString));
    const state: StateView = {
      get: (kind, id) => {
        if (!declared.has(keyString({ kind, id }))) throw new Error(`read ${kind}:${id} undeclared`);
        return this.get(kind, id);
      },
    };
    let serial = 0;
    const decision = plan.decide(state, () => ++serial);
    if (decision.status === 'applied') {
      const before = new Map(decision.changes.map((c) => [keyString(c), this.records.get(keyString(c))?.doc]));
      this.audits.push(...auditDrafts(envelope, envelope.issuedAt, decision.changes, (r) => before.get(keyString(r as { kind: RecordKind; id: string })), plan.force));
      for (const change of decision.changes) this.records.set(keyString(change), change);
    }
    return decision;
  }

  createIncident(type: string, grade = '2'): string {
    const incidentId = randomUUID();
    const decision = this.issue('DMO', 'bob', 'incident.create', {
      incidentId,
      provisionalReference: `WS-DMO-${this.seq}`,
      type,
      grade,
      location: { text: 'High Street, Saltmere', point: null, source: 'unverified', district: null, accuracyM: null },
      description: 'A man shouting in the street',
      callerName: 'Jo Bloggs',
      callerNumber: '07700 900123',
      firstLog: { entryId: randomUUID(), text: 'Caller says he has a bottle' },
    });
    expect(decision.status).toBe('applied');
    return incidentId;
  }

  sharesOf(incidentId: string): Share[] {
    return this.all('share').filter((share) => share.incidentId === incidentId);
  }
}

function op(id: string, force: string, roles: Operator['roles']): Operator {
  return { id, force, displayName: id, roles, active: true, version: 1 };
}

const ASB = arrangementId('DMO', 'ASB', 'NBR');
const propose = (room: Room, over: Partial<{ incidentType: string; tier: string; arrangementId: string }> = {}) =>
  room.issue('DMO', 'admin', 'arrangement.propose', { arrangementId: ASB, incidentType: 'ASB', sharedWith: 'NBR', tier: 'view', reason: 'Town centre disorder is policed jointly', ...over });

describe('standing sharing arrangements', () => {
  let room: Room;
  beforeEach(() => {
    room = new Room();
  });

  it('does nothing while only the proposing force has approved it', () => {
    expect(propose(room).status).toBe('applied');
    expect(room.get('arrangement', ASB)).toMatchObject({ status: 'proposed', ownerApproval: { by: 'admin' }, partnerApproval: null });
    const incidentId = room.createIncident('ASB');
    expect(room.sharesOf(incidentId)).toEqual([]);
  });

  it('shares a new incident of its type once the other force’s administrator approves, at its tier, with a line in the log', () => {
    propose(room, { tier: 'assist' });
    expect(room.issue('NBR', 'nadmin', 'arrangement.approve', { arrangementId: ASB, arrangementVersion: 1 }).status).toBe('applied');
    const incidentId = room.createIncident('ASB');
    const [share] = room.sharesOf(incidentId);
    expect(share).toMatchObject({ id: arrangementShareId(incidentId, ASB), force: 'DMO', sharedWith: 'NBR', tier: 'assist', how: 'arrangement', revoked: null });
    const line = room.all('logEntry').find((entry) => entry.incidentId === incidentId && /by standing arrangement.*approved by admin \(DMO\) and nadmin \(NBR\)/.test(entry.text));
    // The server shared it on its own, after the command that made the incident: the line is the system's, not the operator's.
    expect(line).toMatchObject({ author: 'system', signedIn: expect.any(String) });
    // Another type is not shared.
    expect(room.sharesOf(room.createIncident('THEFT'))).toEqual([]);
  });

  it('shares an incident whose type changes to its type, once', () => {
    propose(room);
    room.issue('NBR', 'nadmin', 'arrangement.approve', { arrangementId: ASB, arrangementVersion: 1 });
    const incidentId = room.createIncident('THEFT');
    expect(room.sharesOf(incidentId)).toEqual([]);
    expect(room.issue('DMO', 'bob', 'incident.changeType', { incidentId, changeId: randomUUID(), type: 'ASB', reason: 'It is disorder' }).status).toBe('applied');
    expect(room.sharesOf(incidentId)).toHaveLength(1);
    room.issue('DMO', 'bob', 'incident.changeType', { incidentId, changeId: randomUUID(), type: 'THEFT', reason: '' });
    room.issue('DMO', 'bob', 'incident.changeType', { incidentId, changeId: randomUUID(), type: 'ASB', reason: '' });
    expect(room.sharesOf(incidentId)).toHaveLength(1);
  });

  it('stops acting once either force withdraws it, and the shares it made stay', () => {
    propose(room);
    room.issue('NBR', 'nadmin', 'arrangement.approve', { arrangementId: ASB, arrangementVersion: 1 });
    const before = room.createIncident('ASB');
    expect(room.issue('NBR', 'nadmin', 'arrangement.withdraw', { arrangementId: ASB, arrangementVersion: 2, reason: 'No longer needed' }).status).toBe('applied');
    expect(room.get('arrangement', ASB)).toMatchObject({ status: 'withdrawn', withdrawn: { by: 'nadmin', byForce: 'NBR' } });
    expect(room.sharesOf(room.createIncident('ASB'))).toEqual([]);
    expect(room.sharesOf(before)).toMatchObject([{ revoked: null }]);
    // A withdrawn arrangement proposed again waits for approval again.
    expect(propose(room).status).toBe('applied');
    expect(room.get('arrangement', ASB)).toMatchObject({ status: 'proposed', partnerApproval: null, version: 4 });
    expect(room.sharesOf(room.createIncident('ASB'))).toEqual([]);
  });

  it('is approved only by the other force’s administrator, at the version seen, and by no one else', () => {
    propose(room);
    expect(room.issue('DMO', 'admin', 'arrangement.approve', { arrangementId: ASB, arrangementVersion: 1 })).toMatchObject({ status: 'rejected', code: 'forbidden', reason: expect.stringContaining("DMO's proposal is its own approval") });
    expect(room.issue('NBR', 'priya', 'arrangement.approve', { arrangementId: ASB, arrangementVersion: 1 })).toMatchObject({ status: 'rejected', code: 'forbidden', reason: 'priya may not approve a standing sharing arrangement' });
    expect(room.issue('DMO', 'bob', 'arrangement.propose', { arrangementId: arrangementId('DMO', 'THEFT', 'NBR'), incidentType: 'THEFT', sharedWith: 'NBR', tier: 'view', reason: 'x' })).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(room.issue('NBR', 'nadmin', 'arrangement.approve', { arrangementId: ASB, arrangementVersion: 7 })).toMatchObject({ status: 'rejected', code: 'conflict' });
    expect(room.get('arrangement', ASB)?.status).toBe('proposed');
  });

  it('never passes a share on: a force arranges only its own types, and its arrangements act on its own incidents only', () => {
    // NBR may not propose an arrangement of a DMO type code, nor under DMO's arrangement id.
    expect(room.issue('NBR', 'nadmin', 'arrangement.propose', { arrangementId: arrangementId('NBR', 'ASB', 'DMO'), incidentType: 'ASB', sharedWith: 'DMO', tier: 'view', reason: 'x' })).toMatchObject({ status: 'rejected', reason: expect.stringContaining("not one of NBR's incident types") });
    expect(room.issue('NBR', 'nadmin', 'arrangement.propose', { arrangementId: ASB, incidentType: 'NUISANCE', sharedWith: 'DMO', tier: 'view', reason: 'x' })).toMatchObject({ status: 'rejected' });
    // An arrangement of NBR's is never applied to a DMO incident of the same code, even one NBR holds through a share.
    const nbrArrangement = { force: 'NBR', incidentType: 'ASB', sharedWith: 'XYZ', status: 'active', partnerApproval: { by: 'x', at: 'y' } } as unknown as Arrangement;
    expect(arrangementsFor({ force: 'DMO', type: 'ASB', status: 'open' }, undefined, [nbrArrangement])).toEqual([]);
    expect(arrangementsFor({ force: 'NBR', type: 'ASB', status: 'open' }, undefined, [nbrArrangement])).toEqual([nbrArrangement]);
  });

  it('reaches both forces whole, and may be changed by the partner; nothing of an incident comes with it', () => {
    propose(room);
    const record: AnyRecord = { kind: 'arrangement', id: ASB, doc: room.get('arrangement', ASB)! };
    expect(visibleTo('NBR', record, serverSharePolicy())).toEqual(record);
    expect(mayChange('NBR', record, serverSharePolicy())).toBe(true);
    expect(visibleTo('XYZ', record, serverSharePolicy())).toBeNull();
  });

  it('puts the proposal, the approval and the withdrawal in both forces’ audit logs as disclosures', () => {
    propose(room);
    room.issue('NBR', 'nadmin', 'arrangement.approve', { arrangementId: ASB, arrangementVersion: 1 });
    room.issue('DMO', 'admin', 'arrangement.withdraw', { arrangementId: ASB, arrangementVersion: 2, reason: 'Ended' });
    const disclosures = room.audits.filter((entry) => entry.kind === 'disclosure' && entry.recordKind === 'arrangement');
    const actions = (force: string) => disclosures.filter((entry) => entry.force === force).map((entry) => JSON.parse(entry.after!).action as string);
    for (const force of ['DMO', 'NBR']) expect(actions(force)).toEqual(['arrangement proposed', 'arrangement approved by both forces', 'arrangement withdrawn (shares it made stay until revoked)']);
    expect(JSON.parse(disclosures.find((entry) => entry.command === 'arrangement.approve')!.after!)).toMatchObject({ partnerApproval: { by: 'nadmin' }, ownerApproval: { by: 'admin' } });
  });
});

describe('a force the server does not serve', () => {
  it('is refused as the one to share with, arrange with, borrow from or offer to, and nothing is written', () => {
    const room = new Room();
    const incidentId = room.createIncident('ASB');
    const before = room.records.size;
    const attempts = [
      room.issue('DMO', 'bob', 'share.create', { shareId: randomUUID(), incidentId, sharedWith: 'ZZZ', tier: 'view', reason: 'Across the border' }),
      room.issue('DMO', 'admin', 'arrangement.propose', { arrangementId: randomUUID(), incidentType: 'ASB', sharedWith: 'ZZZ', tier: 'view', reason: 'Joint policing' }),
      room.issue('DMO', 'bob', 'loan.request', { loanId: randomUUID(), incidentId, lender: 'ZZZ', ask: { callSign: 'ZZ-1' }, reason: 'Nobody free' }),
      room.issue('DMO', 'bob', 'transfer.offer', { transferId: randomUUID(), incidentId, incidentVersion: 1, to: 'ZZZ', reason: 'Theirs' }),
    ];
    for (const decision of attempts) expect(decision).toMatchObject({ status: 'rejected', code: 'invalid', reason: 'force ZZZ is not one this server serves (it serves DMO and NBR): nothing was done' });
    // Only the refusals' own records, for the room to see.
    expect([...room.records.values()].slice(before).every((record) => record.kind === 'refusal')).toBe(true);
  });
});

describe('transferring ownership of an incident', () => {
  let room: Room;
  let incidentId: string;
  const offer = (version: number, transferId = randomUUID()) => ({ transferId, decision: room.issue('DMO', 'bob', 'transfer.offer', { transferId, incidentId, incidentVersion: version, to: 'NBR', reason: 'The suspect ran into Northbridge' }) });
  beforeEach(() => {
    room = new Room();
    incidentId = room.createIncident('ASB', '2');
  });

  it('moves nothing until the offer is accepted; declined, the incident stays where it was', () => {
    const { transferId, decision } = offer(room.get('incident', incidentId)!.version);
    expect(decision.status).toBe('applied');
    expect(room.get('transfer', transferId)).toMatchObject({ status: 'offered', force: 'DMO', to: 'NBR', incident: { type: 'Anti-social behaviour', commonPriority: 2 } });
    expect(room.get('incident', incidentId)?.force).toBe('DMO');
    // NBR sees the offer, not the incident.
    expect(visibleTo('NBR', { kind: 'transfer', id: transferId, doc: room.get('transfer', transferId)! }, serverSharePolicy())).not.toBeNull();
    expect(visibleTo('NBR', { kind: 'incident', id: incidentId, doc: room.get('incident', incidentId)! }, serverSharePolicy())).toBeNull();
    expect(room.issue('NBR', 'priya', 'transfer.decline', { transferId, transferVersion: 1, reason: 'Not ours: the address is in Saltmere' }).status).toBe('applied');
    expect(room.get('transfer', transferId)).toMatchObject({ status: 'declined', declineReason: 'Not ours: the address is in Saltmere' });
    expect(room.get('incident', incidentId)).toMatchObject({ force: 'DMO', grade: '2' });
    expect(room.issue('NBR', 'priya', 'transfer.accept', { transferId, transferVersion: 2, incidentId })).toMatchObject({ status: 'rejected', code: 'conflict' });
  });

  it('accepted, makes the incident the other force’s: its grade by common priority, a queue of its own, the old owner keeping a view', () => {
    const before = room.get('incident', incidentId)!;
    const { transferId } = offer(before.version);
    const decision = room.issue('NBR', 'priya', 'transfer.accept', { transferId, transferVersion: 1, incidentId });
    expect(decision.status).toBe('applied');
    const moved = room.get('incident', incidentId)!;
    expect(moved).toMatchObject<Partial<Incident>>({ force: 'NBR', grade: '2', type: 'NUISANCE', owner: null, queue: { force: 'NBR', area: 'NCR' }, version: before.version + 1 });
    expect(moved.handoff).toMatchObject({ takenAt: null });
    expect(room.get('transfer', transferId)).toMatchObject({ status: 'accepted', answeredBy: 'priya' });
    expect(room.sharesOf(incidentId)).toMatchObject([{ force: 'NBR', sharedWith: 'DMO', tier: 'view', revoked: null }]);
    // The new owner changes it; the old one may not.
    expect(room.issue('NBR', 'priya', 'incident.addLog', { incidentId, entryId: randomUUID(), text: 'NB-101 on the way' }).status).toBe('applied');
    expect(room.issue('DMO', 'bob', 'incident.addLog', { incidentId, entryId: randomUUID(), text: 'Still ours?' })).toMatchObject({ status: 'rejected', code: 'forbidden' });
    // The new owner sees the old owner's log of it whole: its history.
    const history = room.all('logEntry').filter((entry) => entry.incidentId === incidentId && entry.force === 'DMO');
    const policy = transferredHistoryPolicy(ownersAfterTransfers(room.all('transfer').map((transfer) => ({ seq: transfer.version, transfer }))));
    expect(history.length).toBeGreaterThan(0);
    for (const entry of history) expect(visibleTo('NBR', { kind: 'logEntry', id: entry.id, doc: entry }, policy)).toMatchObject({ doc: { text: entry.text } });
    // The disclosure of the whole incident is in the offering force's audit log, on the incident.
    const disclosures = room.audits.filter((entry) => entry.kind === 'disclosure' && entry.recordId === incidentId && entry.force === 'DMO').map((entry) => JSON.parse(entry.after!).what);
    expect(disclosures).toEqual(['the incident summary, offering ownership', 'the whole incident and its history: ownership transferred']);
  });

  it('accepted, gives a firearms incident the new force’s firearms type, logs the transfer as its own event and keeps who created it', () => {
    const firearms = room.createIncident('FIREARMS', '1');
    const before = room.get('incident', firearms)!;
    const transferId = randomUUID();
    room.issue('DMO', 'bob', 'transfer.offer', { transferId, incidentId: firearms, incidentVersion: before.version, to: 'NBR', reason: 'Armed suspect crossed the border' });
    expect(room.issue('NBR', 'priya', 'transfer.accept', { transferId, transferVersion: 1, incidentId: firearms }).status).toBe('applied');
    const moved = room.get('incident', firearms)!;
    expect(moved).toMatchObject<Partial<Incident>>({ force: 'NBR', type: 'WEAPON', grade: '1', openingType: 'FIREARMS', createdBy: before.createdBy, createdAtWorkstation: before.createdAtWorkstation });
    const lines = room.all('logEntry').filter((entry) => entry.incidentId === firearms).map((entry) => entry.text);
    expect(lines).toContainEqual(expect.stringContaining("type Weapon seen or used (WEAPON), NBR's equivalent of DMO's Firearms incident (FIREARMS, common code firearms)"));
    expect(lines.join('\n')).not.toContain('nearest');
  });

  it('is a conflict when offered on a version of the incident that has changed, and moves nothing', () => {
    const seen = room.get('incident', incidentId)!.version;
    room.issue('DMO', 'bob', 'incident.changeType', { incidentId, changeId: randomUUID(), type: 'THEFT', reason: '' });
    expect(offer(seen).decision).toMatchObject({ status: 'rejected', code: 'conflict', reason: expect.stringContaining('changed since you looked') });
    expect(room.all('transfer')).toEqual([]);
  });

  it('is a conflict when the incident changed between offer and acceptance; nothing moves, and the conflict names the offer, not the incident', () => {
    const { transferId } = offer(room.get('incident', incidentId)!.version);
    room.issue('DMO', 'bob', 'incident.changeType', { incidentId, changeId: randomUUID(), type: 'THEFT', reason: '' });
    const decision = room.issue('NBR', 'priya', 'transfer.accept', { transferId, transferVersion: 1, incidentId });
    expect(decision).toMatchObject({ status: 'rejected', code: 'conflict', reason: expect.stringMatching(/^the incident changed at \d\d:\d\d, after DMO offered it: nothing moved/) });
    const conflict = decision.changes.find((change) => change.kind === 'conflict');
    expect(conflict?.doc).toMatchObject({ force: 'NBR', target: { kind: 'transfer', id: transferId } });
    expect(room.get('incident', incidentId)?.force).toBe('DMO');
    expect(room.get('transfer', transferId)?.status).toBe('offered');
  });

  it('is answered only by the force offered it, and offered only by the owner', () => {
    const { transferId } = offer(room.get('incident', incidentId)!.version);
    expect(room.issue('DMO', 'bob', 'transfer.accept', { transferId, transferVersion: 1, incidentId })).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(room.issue('NBR', 'nadmin', 'transfer.accept', { transferId, transferVersion: 1, incidentId })).toMatchObject({ status: 'rejected', code: 'forbidden' });
    // NBR sees DMO's offer, not the incident itself: offering it on is refused as for an incident the server never had.
    expect(room.issue('NBR', 'priya', 'transfer.offer', { transferId: randomUUID(), incidentId, incidentVersion: 1, to: 'NBR', reason: 'x' })).toMatchObject({ status: 'rejected', code: 'conflict', reason: expect.stringMatching(/^the incident does not exist/) });
    expect(room.get('incident', incidentId)?.force).toBe('DMO');
  });

  it('is refused, changing nothing, while units are committed to the incident: they stay their force’s', () => {
    const incident = room.get('incident', incidentId)!;
    room.records.set(`incident:${incidentId}`, { kind: 'incident', id: incidentId, doc: { ...incident, activeUnits: ['DM-11'], version: incident.version + 1 } });
    expect(offer(incident.version + 1).decision).toMatchObject({ status: 'rejected', code: 'invalid', reason: "the incident still has DM-11 of DMO's on it (DMO clears it): an incident moves with no unit committed to it (or keep it and ask NBR for a unit)" });
    expect(room.all('transfer')).toEqual([]);
  });

  // Issue 12, M6: NBR's units on DMO's incident (one NBR deployed under its assist share, one lent to DMO) were
  // counted as "2 units of DMO's". Each unit is named under its own force, with who clears it.
  it('names units of another force as theirs, with who clears each, never as the offering force’s', () => {
    const incident = room.get('incident', incidentId)!;
    room.records.set(`incident:${incidentId}`, { kind: 'incident', id: incidentId, doc: { ...incident, activeUnits: ['DM-11', 'NB-101', 'NB-102'], version: incident.version + 1 } });
    const decision = offer(incident.version + 1).decision;
    expect(decision).toMatchObject({
      status: 'rejected',
      code: 'invalid',
      reason:
        "the incident still has DM-11 of DMO's on it (DMO clears it); NB-101 and NB-102, of another force, on it (a unit lent to DMO: DMO clears it and hands it back first; one its own force deployed under a share: that force clears it): an incident moves with no unit committed to it (or keep it and ask NBR for a unit)",
    });
    room.records.set(`incident:${incidentId}`, { kind: 'incident', id: incidentId, doc: { ...incident, activeUnits: ['NB-101', 'NB-102'], version: incident.version + 2 } });
    const theirs = offer(incident.version + 2).decision;
    expect(theirs.status === 'rejected' ? theirs.reason : '').not.toMatch(/of DMO's/);
  });

  it('maps the common priority to the least urgent grade of the new scheme at least as urgent', () => {
    expect(gradeForPriority(NBR, 1)).toBe('1');
    expect(gradeForPriority(NBR, 4)).toBe('4');
    expect(gradeForPriority(DMO, 3)).toBe('2');
    expect(gradeForPriority(DMO, 5)).toBe('4');
    expect(gradeForPriority(NBR, null)).toBe('1');
  });
});

describe('the server’s share book after a transfer', () => {
  const incidentId = randomUUID();
  const at = '2026-11-30T10:00:00.000Z';
  const share = (id: string, force: string, sharedWith: string, tier: 'view' | 'assist'): Share => ({ id, force, incidentId, sharedWith, tier, how: 'by_hand', reason: 'r', by: 'x', at, revoked: null, version: 1 });
  const transfer = (id: string, force: string, to: string): Transfer => ({
    id, force, to, incidentId, incidentVersion: 1, incident: { reference: 'DMO-1', type: 'Burglary', commonPriority: 2, location: 'x' }, reason: 'r',
    status: 'accepted', offeredAt: at, offeredBy: 'bob', answeredAt: at, answeredBy: 'omar', declineReason: null, updatedAt: at, version: 2,
  });
  const line = (force: string): AnyRecord => ({ kind: 'logEntry', id: randomUUID(), doc: { id: randomUUID(), force, incidentId, kind: 'note', text: `${force} wrote this`, author: 'x', workstation: 'w', at } });
  const incident = (force: string): AnyRecord => ({ kind: 'incident', id: incidentId, doc: { ...baseIncident(), force } });

  async function bookOf(changes: { seq: number; kind: 'share' | 'transfer'; doc: Share | Transfer }[]): Promise<ShareBook> {
    const book = new ShareBook(
      { recordsOfKind: async (kind, after) => ({ head: 100, records: changes.filter((c) => c.kind === kind && c.seq > after).map((c) => ({ seq: c.seq, kind: c.kind, id: c.doc.id, doc: c.doc })) }) },
      () => 2,
    );
    await book.catchUp(100);
    return book;
  }

  it('lets an old owner’s shares share nothing more, and shows the history to the owner now only', async () => {
    // DMO shared its incident with a third force at assist, then transferred it to NBR, which gave it back later.
    const dmoToXyz = share(randomUUID(), 'DMO', 'XYZ', 'assist');
    const kept = share(randomUUID(), 'NBR', 'DMO', 'view');
    const there = transfer(randomUUID(), 'DMO', 'NBR');
    const book = await bookOf([
      { seq: 1, kind: 'share', doc: dmoToXyz },
      { seq: 2, kind: 'transfer', doc: there },
      { seq: 3, kind: 'share', doc: kept },
    ]);
    const policy = anyOf(book.policy(), serverSharePolicy());
    // XYZ sees nothing of NBR's incident or its log through DMO's share, nor DMO's old lines.
    expect(visibleTo('XYZ', incident('NBR'), policy)).toBeNull();
    expect(visibleTo('XYZ', line('NBR'), policy)).toBeNull();
    expect(visibleTo('XYZ', line('DMO'), policy)).toBeNull();
    // NBR sees DMO's history whole; DMO sees NBR's incident at view and none of NBR's lines.
    expect(visibleTo('NBR', line('DMO'), policy)?.doc).toMatchObject({ text: 'DMO wrote this' });
    expect(visibleTo('DMO', incident('NBR'), policy)?.doc).toMatchObject({ sharedView: { tier: 'view' } });
    expect(visibleTo('DMO', line('NBR'), policy)).toBeNull();

    // Given back to DMO: NBR's view of its history ends; DMO's own share to XYZ counts again.
    const back = await bookOf([
      { seq: 1, kind: 'share', doc: dmoToXyz },
      { seq: 2, kind: 'transfer', doc: there },
      { seq: 3, kind: 'share', doc: kept },
      { seq: 4, kind: 'transfer', doc: transfer(randomUUID(), 'NBR', 'DMO') },
    ]);
    const after = anyOf(back.policy(), serverSharePolicy());
    expect(visibleTo('NBR', line('DMO'), after)).toBeNull();
    expect(visibleTo('DMO', line('NBR'), after)?.doc).toMatchObject({ text: 'NBR wrote this' });
    expect(visibleTo('XYZ', line('DMO'), after)).not.toBeNull();
  });

  it('learns the shares and transfers of each page of changes from the page, reading the storage only to catch up from behind', async () => {
    const reads: number[] = [];
    const stored: { seq: number; kind: 'share' | 'transfer'; doc: Share | Transfer }[] = [];
    const book = new ShareBook(
      {
        recordsOfKind: async (kind, after) => {
          reads.push(after);
          return { head: 10, records: stored.filter((c) => c.kind === kind && c.seq > after).map((c) => ({ seq: c.seq, kind: c.kind, id: c.doc.id, doc: c.doc })) };
        },
      },
      () => 2,
    );
    // The first page finds the book empty: it reads the shares and transfers once.
    await book.catchUpWith({ since: 0, upTo: 10, changes: [] });
    expect(reads).toEqual([0, 0]);
    // A share and a transfer in the next page are taken from it, as another force then sees: no read.
    const dmoToXyz = share(randomUUID(), 'DMO', 'XYZ', 'view');
    await book.catchUpWith({ since: 10, upTo: 12, changes: [{ seq: 11, kind: 'share', id: dmoToXyz.id, doc: dmoToXyz }, { seq: 12, kind: 'incident', id: incidentId, doc: baseIncident() }] });
    expect(reads).toEqual([0, 0]);
    expect(visibleTo('XYZ', incident('DMO'), anyOf(book.policy(), serverSharePolicy()))).not.toBeNull();
    const there = transfer(randomUUID(), 'DMO', 'NBR');
    await book.catchUpWith({ since: 12, upTo: 13, changes: [{ seq: 13, kind: 'transfer', id: there.id, doc: there }] });
    expect(reads).toEqual([0, 0]);
    // Transferred: DMO's share shares nothing more, and NBR sees DMO's history.
    expect(visibleTo('XYZ', incident('NBR'), anyOf(book.policy(), serverSharePolicy()))).toBeNull();
    expect(visibleTo('NBR', line('DMO'), anyOf(book.policy(), serverSharePolicy()))?.doc).toMatchObject({ text: 'DMO wrote this' });
    // A page starting past what the book has seen (a change committed meanwhile through another instance) is not
    // enough: the book reads what it missed.
    await book.catchUpWith({ since: 20, upTo: 21, changes: [] });
    expect(reads).toEqual([0, 0, 13, 13]);
  });
});

function baseIncident(): Incident {
  return {
    id: randomUUID(), force: 'DMO', reference: 'DMO-1', provisionalReference: 'W-1', type: 'BURGLARY', location: { text: 'x', point: null, source: 'unverified', district: null, accuracyM: null },
    description: 'secret', callerName: 'Jo', callerNumber: '07700 900000', grade: '2', gradedAt: '2026-11-30T10:00:00.000Z', pendingDowngrade: null, thrive: null, related: [],
    status: 'open', owner: null, activeUnits: [], attendedAt: null, closingCode: null, closedAt: null, closedBy: null, createdAt: '2026-11-30T10:00:00.000Z', createdBy: 'x',
    createdAtWorkstation: 'w', updatedAt: '2026-11-30T10:00:00.000Z', version: 1,
  };
}
