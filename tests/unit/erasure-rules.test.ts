import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { erasedWith, erasureBlockedBy, erasureCounts, erasureProblem, erasureRound, erasureWords, formerOwnersIn, keptAfterErasure } from '../../shared/domain/erasure';
import { ErasureSearch } from '../../shared/domain/erasure-search';
import type { AnyRecord } from '../../shared/domain/records';
import { openEntries, sealDrafts, sealedRecords, newRecordKey } from '../../server/audit/audit-seal';
import { chainEntries, type AuditDraft } from '../../server/audit/audit-chain';
import { verifyChain } from '../../server/audit/verify-chain';
import { visibleChanges } from '../../server/partition-filter';
import { changesFor } from '../../server/changes-for';
import { OTHER_FORCES_SINCE_VERSION, type RecordChange } from '../../shared/sync/protocol';

// Erasure's rules (shared/domain/erasure.ts), the sealing of audit values that lets the log forget them without
// breaking its chain (server/audit/audit-seal.ts), and an erased record's withdrawal reaching every force.

describe('what may be erased, and what goes with it', () => {
  const incident = { force: 'DMO', status: 'closed' };
  it('refuses an open incident, another force’s record, one erased already or unknown, and a call on an open incident', () => {
    expect(erasureProblem('incident', 'i1', { ...incident, status: 'open' }, 'DMO')).toBe('the incident is still open: close it before erasing it');
    // Another force's record is refused as one the server never had: the words tell an administrator nothing of it.
    expect(erasureProblem('incident', 'i1', incident, 'NBR')).toBe('no incident i1 on the server');
    expect(erasureProblem('incident', 'i1', incident, 'NBR')).toBe(erasureProblem('incident', 'i1', undefined, 'NBR'));
    expect(erasureProblem('incident', 'i1', null, 'DMO')).toBe('the incident i1 has been erased already');
    expect(erasureProblem('marker', 'm1', undefined, 'DMO')).toBe('no warning marker m1 on the server');
    expect(erasureProblem('contact', 'c1', { force: 'DMO', incidentId: 'i1' }, 'DMO', { status: 'open' })).toMatch(/on an incident that is still open/);
    expect(erasureProblem('contact', 'c1', { force: 'DMO', incidentId: 'i1' }, 'DMO', incident)).toBeNull();
    expect(erasureProblem('incident', 'i1', incident, 'DMO')).toBeNull();
  });

  it('takes an incident’s log, deployments, calls, shares, loans and offers to another force, the call-back tasks of its calls, and the conflicts and refusals naming any of them; nothing else', () => {
    const incidentId = randomUUID();
    const contactId = randomUUID();
    const other = randomUUID();
    const rec = (kind: string, doc: Record<string, unknown>): AnyRecord => ({ kind, id: randomUUID(), doc }) as unknown as AnyRecord;
    const log = rec('logEntry', { incidentId });
    const deployment = rec('assignment', { incidentId });
    const call = { kind: 'contact', id: contactId, doc: { incidentId } } as unknown as AnyRecord;
    const share = rec('share', { incidentId });
    // An offer of the incident to the other force carries its summary (reference, type, location).
    const transfer = rec('transfer', { incidentId, incident: { reference: 'DMO-1' } });
    const otherLog = rec('logEntry', { incidentId: other });
    const task = rec('task', { contactId: randomUUID(), calls: [{ contactId }] });
    const refusal = rec('refusal', { args: { incidentId, text: 'late line' } });
    const conflict = rec('conflict', { args: {}, target: { kind: 'contact', id: contactId } });
    const unrelatedRefusal = rec('refusal', { args: { incidentId: other } });
    const erased = new Set([`incident:${incidentId}`]);
    const first = erasedWith({ kind: 'incident', id: incidentId }, erased, [log, deployment, call, share, transfer, otherLog, refusal, unrelatedRefusal]);
    expect(first).toEqual([log, deployment, call, share, transfer, refusal]);
    for (const record of first) erased.add(`${record.kind}:${record.id}`);
    // The next round, through the call: its task and the conflict about it.
    expect(erasedWith({ kind: 'incident', id: incidentId }, erased, [task, conflict, call, unrelatedRefusal])).toEqual([task, conflict]);
  });
});

describe('an erasure and another force’s records', () => {
  const incidentId = randomUUID();
  const target = { kind: 'incident' as const, id: incidentId };
  const rec = (kind: string, doc: Record<string, unknown>): AnyRecord => ({ kind, id: randomUUID(), doc }) as unknown as AnyRecord;

  it('takes only the erasing force’s records: another force’s refused look or conflict naming the incident stays that force’s', () => {
    const own = rec('refusal', { force: 'DMO', args: { recordId: incidentId } });
    const log = rec('logEntry', { force: 'DMO', incidentId });
    const theirLook = rec('refusal', { force: 'NBR', args: { recordId: incidentId, reason: 'curious' } });
    const theirConflict = rec('conflict', { force: 'NBR', args: {}, target, theirs: { id: incidentId } });
    const round = erasureRound(target, 'DMO', new Set([`incident:${incidentId}`]), [own, log, theirLook, theirConflict]);
    expect(round.goes).toEqual([own, log]);
    expect(round.kept).toEqual([theirLook, theirConflict]);
  });

  it('of an incident transferred to the erasing force, takes the parts the force that gave it up wrote; its refusals and conflicts stay its own', () => {
    const offer = rec('transfer', { force: 'DMO', to: 'NBR', incidentId, status: 'accepted' });
    const otherIncidents = rec('transfer', { force: 'NBR', to: 'DMO', incidentId: randomUUID(), status: 'accepted' });
    const firstLine = rec('logEntry', { force: 'DMO', incidentId });
    const call = rec('contact', { force: 'DMO', incidentId });
    const share = rec('share', { force: 'DMO', incidentId, sharedWith: 'NBR' });
    const ownLine = rec('logEntry', { force: 'NBR', incidentId });
    const theirConflict = rec('conflict', { force: 'DMO', args: {}, target, theirs: null });
    const candidates = [offer, otherIncidents, firstLine, call, share, ownLine, theirConflict];
    // Only an accepted offer of this incident makes a former owner; NBR, erasing, is not one of its own.
    expect(formerOwnersIn(target, 'NBR', candidates)).toEqual(['DMO']);
    expect(formerOwnersIn(target, 'NBR', [{ ...offer, doc: { ...offer.doc, status: 'declined' } } as AnyRecord])).toEqual([]);
    expect(formerOwnersIn({ kind: 'contact', id: incidentId }, 'NBR', candidates)).toEqual([]);
    const round = erasureRound(target, 'NBR', new Set([`incident:${incidentId}`]), candidates, new Set(formerOwnersIn(target, 'NBR', candidates)));
    expect(round.goes).toEqual([offer, firstLine, call, share, ownLine]);
    expect(round.kept).toEqual([theirConflict]);
    // Never transferred: the other force's parts stay its own, as before.
    expect(erasureRound(target, 'NBR', new Set([`incident:${incidentId}`]), [firstLine, ownLine]).goes).toEqual([ownLine]);
  });

  // Issue 12, M9: the borrower's erasure took the lender's record of where its officers went.
  it('leaves the unit’s force its units’ deployments (lent or assisting) and the loan it answered, as its own records; the erasing force’s records about them go, and it is sent a withdrawal of them', () => {
    const lent = rec('assignment', { force: 'DMO', incidentId, unitId: 'NB-101', unitForce: 'NBR', lent: true, status: 'cleared', version: 4 });
    const assisting = rec('assignment', { force: 'DMO', incidentId, unitId: 'NB-102', unitForce: 'NBR', status: 'cleared', version: 2 });
    const own = rec('assignment', { force: 'DMO', incidentId, unitId: 'DM-11', status: 'cleared', version: 2 });
    const loan = rec('loan', { force: 'DMO', lender: 'NBR', incidentId, status: 'returned', incident: { reference: 'DMO-1' }, version: 3 });
    const round = erasureRound(target, 'DMO', new Set([`incident:${incidentId}`]), [lent, assisting, own, loan]);
    expect(round.goes).toEqual([own]);
    expect(round.handedOver).toEqual([
      { ...lent, doc: { ...lent.doc, keptBy: 'NBR', version: 5 } },
      { ...assisting, doc: { ...assisting.doc, keptBy: 'NBR', version: 3 } },
      { ...loan, doc: { ...loan.doc, keptBy: 'NBR', version: 4 } },
    ]);
    // DMO's own conflict about the lent deployment goes, as the next round finds it through the deployment.
    const ownConflict = rec('conflict', { force: 'DMO', args: {}, target: { kind: 'assignment', id: lent.id }, theirs: null });
    const next = new Set([`incident:${incidentId}`, `assignment:${own.id}`, ...round.handedOver.map((r) => `${r.kind}:${r.id}`)]);
    expect(erasureRound(target, 'DMO', next, [ownConflict, lent, loan]).goes).toEqual([ownConflict]);
    // Kept, they are NBR's whole, and DMO's workstations are told to delete them.
    const changes: RecordChange[] = round.handedOver.map((r, i) => ({ seq: i + 1, kind: r.kind, id: r.id, doc: r.doc }));
    expect(visibleChanges('NBR', changes).map((c) => c.doc)).toEqual(round.handedOver.map((r) => r.doc));
    expect(visibleChanges('DMO', changes)).toEqual(changes.map((c) => ({ seq: c.seq, kind: c.kind, id: c.id, doc: null, erased: true })));
  });

  it('clears only a kept conflict’s copy of the erased record, its version on; a refused look stays as it is', () => {
    const erased = new Set([`incident:${incidentId}`]);
    const conflict = rec('conflict', { force: 'NBR', operator: 'omar', args: { incidentId }, target, theirs: { id: incidentId, location: 'Quarry Lane' }, version: 3 });
    expect(keptAfterErasure(conflict, erased)).toEqual({ ...conflict, doc: { ...conflict.doc, theirs: null, version: 4 } });
    // About another record (its own unit): its copy is not the erased record's.
    expect(keptAfterErasure(rec('conflict', { force: 'NBR', args: { incidentId }, target: { kind: 'unit', id: 'NB-101' }, theirs: { id: 'NB-101' }, version: 1 }), erased)).toBeNull();
    expect(keptAfterErasure(rec('refusal', { force: 'NBR', args: { recordId: incidentId } }), erased)).toBeNull();
  });

  it('counts what goes by kind, the target left out, refused commands and conflicts included', () => {
    const erased = [target, { kind: 'logEntry' as const, id: 'l1' }, { kind: 'logEntry' as const, id: 'l2' }, { kind: 'refusal' as const, id: 'r1' }, { kind: 'conflict' as const, id: 'c1' }];
    expect(erasureWords(erasureCounts(erased))).toEqual(['2 log entries', '1 conflict', '1 refused command']);
  });
});

describe('the whole search, round by round, as each storage drives it (erasure-search.ts)', () => {
  const incidentId = randomUUID();
  const target = { kind: 'incident' as const, id: incidentId };
  const rec = (kind: string, doc: Record<string, unknown>): AnyRecord => ({ kind, id: randomUUID(), doc }) as unknown as AnyRecord;
  // What a storage's text search gives a round: every record whose document mentions an id of the frontier.
  const run = (records: readonly AnyRecord[]) => {
    const search = new ErasureSearch(target, 'DMO');
    let rounds = 0;
    while (search.frontier.length > 0 && rounds++ < 10) {
      const frontier = search.frontier;
      search.round(records.filter((record) => frontier.some((id) => JSON.stringify(record).includes(id))));
    }
    return search.plan();
  };
  const call = rec('contact', { force: 'DMO', incidentId });
  const task = rec('task', { force: 'DMO', contactId: call.id, calls: [] });
  const lent = rec('assignment', { force: 'DMO', incidentId, unitId: 'NB-101', unitForce: 'NBR', status: 'cleared', version: 4 });
  const aboutLent = rec('conflict', { force: 'DMO', args: {}, target: { kind: 'assignment', id: lent.id }, theirs: null });
  const nbrCopy = rec('conflict', { force: 'NBR', args: { incidentId }, target, theirs: { id: incidentId, location: 'Quarry Lane' }, version: 2 });
  const unrelated = rec('logEntry', { force: 'DMO', incidentId: randomUUID() });

  it('follows what goes through each round (a call, then its task; a lent deployment, then the conflict about it), hands over the lender’s part, and changes another force’s copy', () => {
    const plan = run([call, task, lent, aboutLent, nbrCopy, unrelated]);
    expect(plan.erased[0]).toEqual(target);
    expect(new Set(plan.erased.map((key) => key.id))).toEqual(new Set([incidentId, call.id, task.id, aboutLent.id]));
    expect(plan.handedOver).toEqual([{ ...lent, doc: { ...lent.doc, keptBy: 'NBR', version: 5 } }]);
    expect(plan.kept).toEqual([nbrCopy]);
    expect(plan.altered).toEqual([{ ...nbrCopy, doc: { ...nbrCopy.doc, theirs: null, version: 3 } }, plan.handedOver[0]]);
    expect(plan.blocked).toBeNull();
  });

  it('is stopped by a loan still open, whichever round finds it', () => {
    const open = rec('loan', { force: 'DMO', lender: 'NBR', incidentId, status: 'accepted', version: 2 });
    expect(run([call, open]).blocked).toBe('the unit lent for it by NBR has not been returned: return it first');
  });
});

describe('an incident with a unit loan still open', () => {
  it('is not erased until the lent unit is returned or the request withdrawn: the unit’s return needs the loan', () => {
    const loan = (status: string) => ({ kind: 'loan', id: randomUUID(), doc: { status, lender: 'NBR' } }) as unknown as AnyRecord;
    expect(erasureBlockedBy([loan('accepted')])).toBe('the unit lent for it by NBR has not been returned: return it first');
    expect(erasureBlockedBy([loan('requested')])).toBe('its request to NBR for a unit is still waiting: withdraw it first');
    expect(erasureBlockedBy([loan('returned'), loan('declined'), loan('withdrawn')])).toBeNull();
  });
});

describe('sealed audit values', () => {
  const draft = (recordKind: string, recordId: string, after: string | null): AuditDraft => ({
    recordedAt: '2026-11-30T10:00:00.000Z',
    issuedAt: '2026-11-30T10:00:00.000Z',
    operator: 'dan',
    workstation: 'WS-B',
    clientId: randomUUID(),
    force: 'DMO',
    commandId: randomUUID(),
    command: 'incident.update',
    kind: 'alteration',
    recordKind,
    recordId,
    field: 'callerName',
    before: '"Ada Lovelace"',
    after,
  });

  it('keeps an entry’s values unreadable without its record’s key, and its chain whole once the key is gone', () => {
    const keys = new Map([
      ['incident:i1', newRecordKey()],
      ['incident:i2', newRecordKey()],
    ]);
    const sealed = sealDrafts([draft('incident', 'i1', '"Ada King"'), draft('incident', 'i2', null), draft('operator', 'dan', '"x"')], (kind, id) => keys.get(`${kind}:${id}`)!);
    expect(JSON.stringify(sealed.slice(0, 2))).not.toContain('Ada');
    expect(sealed[2]).toMatchObject({ before: '"Ada Lovelace"' }); // an account's entry: never erased, so not sealed
    const chain = chainEntries(null, sealed);
    expect(sealedRecords(chain)).toEqual(['incident:i1', 'incident:i2']);
    expect(openEntries(chain, keys)[0]).toMatchObject({ before: '"Ada Lovelace"', after: '"Ada King"' });
    expect(openEntries(chain, keys)[1]).toMatchObject({ before: '"Ada Lovelace"', after: null });

    keys.delete('incident:i1');
    const read = openEntries(chain, keys);
    expect(read[0]).toMatchObject({ before: null, after: null, valuesErased: true, operator: 'dan', field: 'callerName' });
    expect(read[1]).toMatchObject({ before: '"Ada Lovelace"' });
    expect(verifyChain(chain)).toMatchObject({ intact: true, entries: 3 });
  });

  it('refuses a value moved to another record’s entry (the record is the cipher’s associated data)', () => {
    const key = newRecordKey();
    const [sealed] = sealDrafts([draft('incident', 'i1', '"Ada King"')], () => key);
    const [moved] = chainEntries(null, [{ ...sealed!, recordId: 'i2' }]);
    expect(() => openEntries([moved!], new Map([['incident:i2', key]]))).toThrow();
  });
});

describe('an erased record’s withdrawal', () => {
  const withdrawal: RecordChange = { seq: 7, kind: 'incident', id: randomUUID(), doc: null };

  // Marked as an erasure's, so each workstation clears what else it holds naming the record (main/store/erased-content.ts).
  const erased = { ...withdrawal, erased: true };

  it('goes to every force, whichever held it (its owner, one it was shared with), marked erased, and to no workstation of no force', () => {
    expect(visibleChanges('DMO', [withdrawal])).toEqual([erased]);
    expect(visibleChanges('NBR', [withdrawal])).toEqual([erased]);
    expect(visibleChanges(null, [withdrawal])).toEqual([]);
  });

  it('is not sent to a workstation too old to read a withdrawal', () => {
    expect(changesFor({ clientId: randomUUID(), schemaVersion: OTHER_FORCES_SINCE_VERSION, force: 'DMO' }, [withdrawal])).toEqual([erased]);
    expect(changesFor({ clientId: randomUUID(), schemaVersion: OTHER_FORCES_SINCE_VERSION - 1, force: 'DMO' }, [withdrawal])).toEqual([]);
  });
});
