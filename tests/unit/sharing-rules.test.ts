import { randomUUID } from 'node:crypto';
import { byHandShareId } from '../../shared/domain/share';
import { describe, expect, it } from 'vitest';
import { Incident, type LogEntry } from '../../shared/domain/incident';
import type { Assignment } from '../../shared/domain/assignment';
import type { AnyRecord } from '../../shared/domain/records';
import type { Share } from '../../shared/domain/share';
import { INCIDENT_LEFT_OUT, INCIDENT_SHOWN, INCIDENT_SHOWN_TO_OPENER, INCIDENT_WITHHELD, incidentCut } from '../../shared/domain/share-cut';
import { sharePolicyOf } from '../../shared/domain/share-policy';
import { conflictCopyNow, mayChange, visibleTo } from '../../shared/domain/partition';
import { loanPolicy } from '../../shared/domain/loan-policy';
import { revokeShare, shareIncident } from '../../shared/commands/share-commands';
import type { ApplyContext, StateView } from '../../shared/commands/types';
import type { RecordDocs, RecordKind } from '../../shared/domain/records';
import { deliveryOf } from '../../server/shares/share-delivery';
import { changesFor } from '../../server/changes-for';
import { SCHEMA_VERSION, type RecordChange } from '../../shared/sync/protocol';
import { demoConfig } from '../fakes/fixtures';
import { commonPriority } from '../../shared/domain/common-priority';
import { auditDrafts } from '../../server/audit/command-audit';
import type { CommandEnvelope } from '../../shared/sync/protocol';

const AT = '2026-11-30T10:00:00.000Z';
const CALLER = '07700 900123';
const SECRET = 'The caller is the suspect’s sister';

function incident(): Incident {
  return Incident.parse({
    id: randomUUID(),
    force: 'DMO',
    reference: 'DMO-20261130-0007',
    provisionalReference: 'WS-DMO-1',
    type: 'BURGLARY',
    openingType: 'SUSPICIOUS',
    location: { text: 'Border Road', point: { lat: 50.9, lon: -1.4 }, source: 'gazetteer', district: 'Crossways', accuracyM: null },
    description: SECRET,
    callerName: 'Jo Bloggs',
    callerNumber: CALLER,
    grade: '1',
    gradedAt: AT,
    pendingDowngrade: null,
    thrive: null,
    related: [randomUUID()],
    status: 'open',
    queue: { force: 'DMO', area: 'NORTH' },
    handoff: { waitingSince: AT, takenAt: null, takenBy: null },
    owner: 'bob',
    activeUnits: ['DM-11'],
    reservations: [],
    attendedAt: null,
    closingCode: null,
    closedAt: null,
    closedBy: null,
    createdAt: AT,
    createdBy: 'alice',
    createdAtWorkstation: 'WS-DMO',
    updatedAt: AT,
    version: 3,
  });
}

const share = (incidentId: string, over: Partial<Share> = {}): Share => ({
  id: randomUUID(),
  force: 'DMO',
  incidentId,
  sharedWith: 'NBR',
  tier: 'view',
  how: 'by_hand',
  reason: 'Near the border',
  by: 'bob',
  at: AT,
  revoked: null,
  version: 1,
  ...over,
  // Made at its tier, as the commands make one: at assist, marked so for good.
  assisted: over.assisted ?? (over.tier ?? 'view') === 'assist',
});

const logEntry = (incidentId: string): LogEntry => ({ id: randomUUID(), force: 'DMO', incidentId, kind: 'note', text: SECRET, author: 'alice', workstation: 'WS-DMO', at: AT });
const assignment = (incidentId: string): Assignment => ({
  id: randomUUID(),
  force: 'DMO',
  unitId: 'DM-11',
  incidentId,
  status: 'en_route',
  delivery: { state: 'accepted', at: AT, note: 'crew note' },
  reservedFor: null,
  receiptAlarm: null,
  radioConfirmed: { at: AT, by: 'bob' },
  lateRejection: null,
  duePrompt: null,
  assignedAt: AT,
  deployedAt: AT,
  assignedBy: 'bob',
  updatedAt: AT,
  version: 2,
});

const priorityOf = (force: string, grade: string) => (force === 'DMO' ? commonPriority(demoConfig, grade) : null);
const rec = <K extends RecordKind>(kind: K, doc: RecordDocs[K] & { id: string }): AnyRecord => ({ kind, id: doc.id, doc }) as AnyRecord;

describe('the view cut of a shared incident', () => {
  it('names every field of the incident as shown or withheld, so a field added later is outside the cut until named', () => {
    const named = new Set<string>([...INCIDENT_SHOWN, ...INCIDENT_WITHHELD, ...INCIDENT_LEFT_OUT]);
    expect(Object.keys(Incident.shape).filter((field) => !named.has(field))).toEqual([]);
  });

  it('gives the force an incident was opened in, and no other, who of its own created it, where, and its provisional reference', () => {
    // DMO's alice opened it at WS-DMO; it was transferred to NBR, and DMO keeps a view of it.
    const theirs: Incident = { ...incident(), force: 'NBR', origin: { force: 'DMO', openingTypeName: 'Suspicious circumstances', openingCommonCode: 'suspicious-circumstances' } };
    expect(incidentCut(theirs, 'view', 1, 'DMO')).toMatchObject({ force: 'NBR', createdBy: 'alice', createdAtWorkstation: 'WS-DMO', provisionalReference: 'WS-DMO-1', origin: theirs.origin, callerNumber: '', description: '' });
    // A third force, holding a share of the same incident, learns nothing of DMO's people or workstations.
    const third = incidentCut(theirs, 'view', 1, 'XYZ');
    expect(third).toMatchObject({ createdBy: 'NBR', createdAtWorkstation: 'NBR', provisionalReference: '' });
    expect(third).not.toHaveProperty('origin');
    for (const field of INCIDENT_SHOWN_TO_OPENER) expect(INCIDENT_SHOWN).not.toContain(field);
  });

  it('keeps reference, type, location, status, times and units attending, and withholds the caller, description, grade and the rest', () => {
    const whole = incident();
    const cut = incidentCut(whole, 'view', 1, 'NBR');
    expect(cut).toMatchObject({ reference: whole.reference, type: 'BURGLARY', location: whole.location, status: 'open', activeUnits: ['DM-11'], createdAt: AT, version: 3 });
    expect(cut).toMatchObject({ callerName: '', callerNumber: '', description: '', grade: '', owner: null, related: [], provisionalReference: '', createdBy: 'DMO', createdAtWorkstation: 'DMO' });
    expect(cut.sharedView).toEqual({ tier: 'view', commonPriority: 1, typeName: null });
    for (const field of INCIDENT_LEFT_OUT.filter((f) => f !== 'sharedView')) expect(cut).not.toHaveProperty(field);
    expect(JSON.stringify(cut)).not.toContain(CALLER);
    expect(JSON.stringify(cut)).not.toContain(SECRET);
    expect(Incident.safeParse(cut).success).toBe(true);
  });

  it('lets an unknown field of a document through to no other force', () => {
    const whole = { ...incident(), shoeSize: 11 } as Incident;
    expect(incidentCut(whole, 'view', 1, 'NBR')).not.toHaveProperty('shoeSize');
  });
});

describe('the share policy', () => {
  const whole = incident();
  const entry = logEntry(whole.id);
  const deployment = assignment(whole.id);

  it('gives the force shared with the incident cut, with the common priority for the grade, its deployments cut, and never the log at the view tier', () => {
    const policy = sharePolicyOf([share(whole.id)], priorityOf);
    expect(visibleTo('NBR', rec('incident', whole), policy)?.doc).toMatchObject({ grade: '', sharedView: { tier: 'view', commonPriority: 1 } });
    expect(visibleTo('NBR', rec('assignment', deployment), policy)?.doc).toMatchObject({ unitId: 'DM-11', status: 'en_route', delivery: null, radioConfirmed: null, assignedBy: 'DMO' });
    expect(visibleTo('NBR', rec('logEntry', entry), policy)).toBeNull();
    // Another force, and every other incident: nothing.
    expect(visibleTo('XYZ', rec('incident', whole), policy)).toBeNull();
    expect(visibleTo('NBR', rec('incident', { ...whole, id: randomUUID() }), policy)).toBeNull();
    // The owner sees it whole.
    expect(visibleTo('DMO', rec('incident', whole), policy)?.doc).toBe(whole);
  });

  it("carries the owning force's name for the incident's type, which the holder's configuration does not know", () => {
    // BURGLARY is DMO's code: NBR's desk showed the code itself. The server knows DMO's configuration and names it.
    const typeNameOf = (force: string, type: string) => (force === 'DMO' && type === 'BURGLARY' ? 'Burglary' : null);
    const policy = sharePolicyOf([share(whole.id)], priorityOf, typeNameOf);
    const cut = visibleTo('NBR', rec('incident', whole), policy)?.doc as Incident;
    expect(cut.sharedView).toEqual({ tier: 'view', commonPriority: 1, typeName: 'Burglary' });
    expect(Incident.safeParse(cut).success).toBe(true);
    // A code the owner's configuration lacks: no name, the code stays.
    expect((visibleTo('NBR', rec('incident', { ...whole, type: 'GONE' }), policy)?.doc as Incident).sharedView?.typeName).toBeNull();
  });

  it('gives the log at the assist tier, and the higher tier when a force holds two shares', () => {
    const policy = sharePolicyOf([share(whole.id), share(whole.id, { tier: 'assist' })], priorityOf);
    expect(visibleTo('NBR', rec('logEntry', entry), policy)?.doc).toEqual(entry);
    expect(visibleTo('NBR', rec('incident', whole), policy)?.doc).toMatchObject({ callerNumber: '', sharedView: { tier: 'assist' } });
  });

  it('grants nothing through a revoked share, but still shows the share itself to the force it named, and to nobody else', () => {
    const revoked = share(whole.id, { revoked: { at: AT, by: 'bob', reason: 'Done' } });
    const policy = sharePolicyOf([revoked], priorityOf);
    expect(visibleTo('NBR', rec('incident', whole), policy)).toBeNull();
    expect(visibleTo('NBR', rec('assignment', deployment), policy)).toBeNull();
    expect(visibleTo('NBR', rec('share', revoked), policy)?.doc).toEqual(revoked);
    expect(visibleTo('XYZ', rec('share', revoked), policy)).toBeNull();
  });

  it('never lets the force shared with change the incident, its log or the share: nothing is passed on', () => {
    const s = share(whole.id, { tier: 'assist' });
    const policy = sharePolicyOf([s], priorityOf);
    for (const record of [rec('incident', whole), rec('logEntry', entry), rec('assignment', deployment), rec('share', s)]) expect(mayChange('NBR', record, policy)).toBe(false);
  });

  it('never shows calls, warning markers or units of the owner through a share', () => {
    const policy = sharePolicyOf([share(whole.id, { tier: 'assist' })], priorityOf);
    const marker = { kind: 'marker', id: randomUUID(), doc: { id: randomUUID(), force: 'DMO', incidentId: whole.id } } as unknown as AnyRecord;
    const contact = { kind: 'contact', id: randomUUID(), doc: { id: randomUUID(), force: 'DMO', incidentId: whole.id, callerNumber: CALLER } } as unknown as AnyRecord;
    const unit = { kind: 'unit', id: 'DM-11', doc: { id: 'DM-11', force: 'DMO' } } as unknown as AnyRecord;
    for (const record of [marker, contact, unit]) expect(visibleTo('NBR', record, policy)).toBeNull();
  });
});

describe('sharing and revoking by hand', () => {
  const ctx = (force: 'DMO' | 'NBR'): ApplyContext => ({
    issuedAt: AT,
    actor: { operator: 'bob', workstation: 'WS', clientId: randomUUID() },
    config: { ...demoConfig, force: { ...demoConfig.force, code: force } },
  });
  const stateOf = (records: AnyRecord[]): StateView => ({ get: (kind, id) => records.find((r) => r.kind === kind && r.id === id)?.doc as never });

  it('makes a share owned by the sharing force, with a line in the incident’s log', () => {
    const whole = incident();
    const result = shareIncident.apply({ shareId: byHandShareId(whole.id, 'NBR'), incidentId: whole.id, sharedWith: 'NBR', tier: 'view', reason: 'Suspects heading north' }, ctx('DMO'), stateOf([rec('incident', whole)]));
    expect(result).toMatchObject({ ok: true, changes: [{ kind: 'share', doc: { force: 'DMO', sharedWith: 'NBR', how: 'by_hand', revoked: null } }, { kind: 'logEntry', doc: { text: 'Shared with NBR (view): Suspects heading north' } }] });
  });

  it('refuses a share by hand under any id but its incident’s and force’s own: nothing would read it, and the other force would be shown an incident it could do nothing with', () => {
    const whole = incident();
    const stray = shareIncident.apply({ shareId: randomUUID(), incidentId: whole.id, sharedWith: 'NBR', tier: 'assist', reason: 'Suspects heading north' }, ctx('DMO'), stateOf([rec('incident', whole)]));
    expect(stray).toEqual({ ok: false, code: 'invalid', reason: "a share of an incident with NBR is made under that incident's and force's own share id: this workstation needs updating" });
  });

  it('refuses a force holding the incident through a share that shares it on or revokes the share', () => {
    const whole = incident();
    const s = share(whole.id);
    const passOn = shareIncident.apply({ shareId: randomUUID(), incidentId: whole.id, sharedWith: 'XYZ', tier: 'view', reason: 'Passing it on' }, ctx('NBR'), stateOf([rec('incident', whole)]));
    expect(passOn).toEqual({ ok: false, code: 'forbidden', reason: expect.stringContaining('a share is never passed on') });
    const revoke = revokeShare.apply({ shareId: s.id, reason: 'Not wanted' }, ctx('NBR'), stateOf([rec('share', s)]));
    expect(revoke).toEqual({ ok: false, code: 'forbidden', reason: expect.stringContaining('only DMO, the force that owns the incident') });
  });

  it('refuses sharing with one’s own force, a closed incident, and revoking twice', () => {
    const whole = incident();
    expect(shareIncident.apply({ shareId: randomUUID(), incidentId: whole.id, sharedWith: 'DMO', tier: 'view', reason: 'x' }, ctx('DMO'), stateOf([rec('incident', whole)]))).toMatchObject({ ok: false, code: 'invalid' });
    const closed = { ...whole, status: 'closed' as const };
    expect(shareIncident.apply({ shareId: randomUUID(), incidentId: whole.id, sharedWith: 'NBR', tier: 'view', reason: 'x' }, ctx('DMO'), stateOf([rec('incident', closed)]))).toMatchObject({ ok: false, code: 'invalid' });
    const revoked = share(whole.id, { revoked: { at: AT, by: 'bob', reason: 'Done' } });
    expect(revokeShare.apply({ shareId: revoked.id, reason: 'Again' }, ctx('DMO'), stateOf([rec('share', revoked)]))).toMatchObject({ ok: false, code: 'invalid' });
  });
});

describe('what a page carries because of a share', () => {
  const whole = incident();
  const entry = logEntry(whole.id);
  const deployment = assignment(whole.id);
  /** The incident, its log line and its deployment, last changed at 3, 4 and 5. */
  const stored: RecordChange[] = [
    { seq: 3, kind: 'incident', id: whole.id, doc: whole },
    { seq: 4, kind: 'logEntry', id: entry.id, doc: entry },
    { seq: 5, kind: 'assignment', id: deployment.id, doc: deployment },
  ];
  /** NBR's conflicts: a deployment that lost on the incident, an entry that lost on the log line, each with its copy. */
  const conflictOn = (target: { kind: string; id: string }, theirs: unknown) => ({ ...openConflict('NBR', target, theirs, 'the incident is closed'), args: { incidentId: whole.id } });
  const onIncident = conflictOn({ kind: 'incident', id: whole.id }, incidentCut(whole, 'assist', 1, 'NBR'));
  const onEntry = conflictOn({ kind: 'logEntry', id: entry.id }, { ...entry });
  const conflicts: RecordChange[] = [
    { seq: 6, kind: 'conflict', id: onIncident.id, doc: onIncident },
    { seq: 7, kind: 'conflict', id: onEntry.id, doc: onEntry },
  ];
  const storage = { recordsOfIncident: async () => stored, record: async () => null, conflictsAbout: async () => conflicts };
  const nbr = { clientId: randomUUID(), schemaVersion: SCHEMA_VERSION, force: 'NBR' };
  const theirsOf = (sent: RecordChange[]) => Object.fromEntries(sent.filter((c) => c.kind === 'conflict').map((c) => [c.id, (c.doc as { theirs: unknown }).theirs]));

  it('sends the other force’s conflicts again when the share is revoked, their copies of the incident and its log cleared, the rest as they were', async () => {
    const s = share(whole.id, { tier: 'assist', revoked: { at: AT, by: 'bob', reason: 'Done' }, version: 2 });
    const page = { since: 20, changes: [{ seq: 21, kind: 'share', id: s.id, doc: s }] };
    const sent = changesFor(nbr, page.changes, await deliveryOf(page, sharePolicyOf([s], priorityOf), storage));
    expect(theirsOf(sent)).toEqual({ [onIncident.id]: null, [onEntry.id]: null });
    expect(sent.find((c) => c.id === onIncident.id)).toMatchObject({ seq: 21, doc: { force: 'NBR', status: 'open', reason: 'the incident is closed', target: { kind: 'incident', id: whole.id } } });
    expect(JSON.stringify(sent)).not.toContain(whole.location.text);
    expect(JSON.stringify(sent)).not.toContain(SECRET);
    // Delivered again later in its own place (resolved, or to a desk pulling from the start), it is cut the same way.
    expect(theirsOf(changesFor(nbr, conflicts, await deliveryOf({ since: 0, changes: conflicts }, sharePolicyOf([s], priorityOf), storage)))).toEqual({ [onIncident.id]: null, [onEntry.id]: null });
    // The owner is sent none of them: they are NBR's.
    expect(changesFor({ ...nbr, force: 'DMO' }, page.changes, await deliveryOf(page, sharePolicyOf([s], priorityOf), storage)).map((c) => c.kind)).toEqual(['share']);
  });

  it('keeps a conflict’s copy of the incident when the share is cut to view, and clears its copy of a log line the view tier does not show', async () => {
    const s = share(whole.id, { tier: 'view', assisted: true, version: 2 });
    const page = { since: 20, changes: [{ seq: 21, kind: 'share', id: s.id, doc: s }] };
    const sent = changesFor(nbr, page.changes, await deliveryOf(page, sharePolicyOf([s], priorityOf), storage));
    expect(theirsOf(sent)).toEqual({ [onIncident.id]: onIncident.theirs, [onEntry.id]: null });
    expect(JSON.stringify(sent)).not.toContain(SECRET);
    // While the share stands at assist, both copies go as they are.
    const assist = share(whole.id, { tier: 'assist' });
    expect(theirsOf(changesFor(nbr, conflicts, await deliveryOf({ since: 0, changes: conflicts }, sharePolicyOf([assist], priorityOf), storage)))).toEqual({
      [onIncident.id]: onIncident.theirs,
      [onEntry.id]: onEntry.theirs,
    });
  });

  it('hands the incident and its deployments (not its log) to the other force right after a share, at the share’s sequence, when its cursor had passed them', async () => {
    const s = share(whole.id);
    const page = { since: 8, changes: [{ seq: 9, kind: 'share', id: s.id, doc: s }] };
    const delivery = await deliveryOf(page, sharePolicyOf([s], priorityOf), storage);
    const sent = changesFor(nbr, page.changes, delivery);
    expect(sent.map((c) => [c.seq, c.kind, c.id])).toEqual([
      [9, 'share', s.id],
      [9, 'incident', whole.id],
      [9, 'assignment', deployment.id],
    ]);
    expect(JSON.stringify(sent)).not.toContain(CALLER);
    expect(JSON.stringify(sent)).not.toContain(SECRET);
    // The owner's workstations get the share alone: they hold the rest already.
    expect(changesFor({ ...nbr, force: 'DMO' }, page.changes, delivery).map((c) => c.kind)).toEqual(['share']);
  });

  it('does not hand over again what the page (or a later one) brings in its own place', async () => {
    const s = share(whole.id);
    const page = { since: 4, changes: [...stored.slice(2), { seq: 9, kind: 'share', id: s.id, doc: s }] };
    const delivery = await deliveryOf(page, sharePolicyOf([s], priorityOf), storage);
    expect(changesFor(nbr, page.changes, delivery).map((c) => [c.seq, c.kind])).toEqual([
      [5, 'assignment'],
      [9, 'share'],
      [9, 'incident'],
    ]);
  });

  it('withdraws the incident and its deployments (and the log only at assist) when the share is revoked', async () => {
    for (const tier of ['view', 'assist'] as const) {
      const s = share(whole.id, { tier, revoked: { at: AT, by: 'bob', reason: 'Done' }, version: 2 });
      const page = { since: 20, changes: [{ seq: 21, kind: 'share', id: s.id, doc: s }] };
      const delivery = await deliveryOf(page, sharePolicyOf([s], priorityOf), storage);
      const sent = changesFor(nbr, page.changes, delivery);
      const withdrawn = sent.filter((c) => c.doc === null).map((c) => c.kind);
      expect(withdrawn).toEqual(tier === 'view' ? ['incident', 'assignment'] : ['incident', 'logEntry', 'assignment']);
      expect(sent.every((c) => c.seq === 21)).toBe(true);
    }
  });

  it('withdraws the log too when a share cut from assist to view is revoked, or one recorded before it kept whether it was at assist', async () => {
    const cut = share(whole.id, { tier: 'view', assisted: true, revoked: { at: AT, by: 'bob', reason: 'Done' }, version: 3 });
    const { assisted: _, ...older } = share(whole.id, { tier: 'view', revoked: { at: AT, by: 'bob', reason: 'Done' }, version: 3 });
    for (const s of [cut, older as Share]) {
      const page = { since: 20, changes: [{ seq: 21, kind: 'share', id: s.id, doc: s }] };
      const delivery = await deliveryOf(page, sharePolicyOf([s], priorityOf), storage);
      expect(changesFor(nbr, page.changes, delivery).filter((c) => c.doc === null).map((c) => c.kind)).toEqual(['incident', 'logEntry', 'assignment']);
    }
  });

  it('withdraws nothing the force still holds through another share', async () => {
    const gone = share(whole.id, { revoked: { at: AT, by: 'bob', reason: 'Done' }, version: 2 });
    const still = share(whole.id, { how: 'automatic' });
    const page = { since: 20, changes: [{ seq: 21, kind: 'share', id: gone.id, doc: gone }] };
    const delivery = await deliveryOf(page, sharePolicyOf([gone, still], priorityOf), storage);
    expect(changesFor(nbr, page.changes, delivery).filter((c) => c.doc === null)).toEqual([]);
  });

  it('sends a workstation before schema 7 neither shares nor the other force’s records', async () => {
    const s = share(whole.id);
    const page = { since: 8, changes: [{ seq: 9, kind: 'share', id: s.id, doc: s }] };
    const delivery = await deliveryOf(page, sharePolicyOf([s], priorityOf), storage);
    expect(changesFor({ ...nbr, schemaVersion: 6 }, page.changes, delivery)).toEqual([]);
  });
});

describe('a conflict’s copy of a record its force no longer holds, judged against the record as it stands', () => {
  const conflictOf = (force: string, target: { kind: string; id: string }, theirs: unknown) => openConflict(force, target, theirs, 'changed since you looked');

  it('cuts an old owner’s whole copy of an incident it transferred to the view it keeps, at the transfer and after', async () => {
    const whole = incident();
    const moved = { ...whole, force: 'NBR', version: 4 };
    const kept = share(whole.id, { force: 'NBR', sharedWith: 'DMO', tier: 'view' });
    const transfer = {
      id: randomUUID(),
      force: 'DMO',
      to: 'NBR',
      incidentId: whole.id,
      incidentVersion: 3,
      incident: { reference: whole.reference, type: 'Burglary', commonPriority: 1, location: 'Border Road' },
      reason: 'Theirs now',
      status: 'accepted',
      offeredAt: AT,
      offeredBy: 'bob',
      answeredAt: AT,
      answeredBy: 'quinn',
      declineReason: null,
      updatedAt: AT,
      version: 2,
    };
    const mine = conflictOf('DMO', { kind: 'incident', id: whole.id }, whole);
    const storage = {
      recordsOfIncident: async () => [{ seq: 30, kind: 'incident', id: whole.id, doc: moved }],
      record: async () => moved,
      conflictsAbout: async () => [{ seq: 12, kind: 'conflict', id: mine.id, doc: mine }],
    };
    const policy = sharePolicyOf([kept], (force, grade) => (force === 'DMO' ? commonPriority(demoConfig, grade) : null));
    const dmo = { clientId: randomUUID(), schemaVersion: SCHEMA_VERSION, force: 'DMO' };
    const page = { since: 20, changes: [{ seq: 30, kind: 'transfer', id: transfer.id, doc: transfer }] };
    const sent = changesFor(dmo, page.changes, await deliveryOf(page, policy, storage));
    const copy = (sent.find((c) => c.id === mine.id)?.doc as { theirs: Incident } | undefined)?.theirs;
    expect(copy).toMatchObject({ id: whole.id, location: { text: 'Border Road' }, callerNumber: '', callerName: '', description: '', grade: '', sharedView: { tier: 'view', commonPriority: 1 } });
    expect(JSON.stringify(sent)).not.toContain(CALLER);
    expect(JSON.stringify(sent)).not.toContain(SECRET);
    // Delivered again in its own place later (resolved, say), the same.
    const later = { since: 40, changes: [{ seq: 41, kind: 'conflict', id: mine.id, doc: { ...mine, status: 'resolved', version: 2 } }] };
    expect(JSON.stringify(changesFor(dmo, later.changes, await deliveryOf(later, policy, storage)))).not.toContain(CALLER);
  });

  it('clears a borrower’s copy of a unit once the loan is over, and keeps it while the unit is lent', () => {
    const lent = { id: 'DM-11', force: 'DMO', callSign: 'DM-11', type: 'RESP', homeStation: 'Crossways', duty: 'on_duty', commitment: null, loan: { loanId: randomUUID(), to: 'NBR', incidentId: randomUUID(), since: AT }, version: 5 };
    const returned = { ...lent, loan: null, loanEnded: { loanId: lent.loan.loanId, to: 'NBR', atVersion: 6 }, version: 6 };
    const theirs = conflictOf('NBR', { kind: 'unit', id: 'DM-11' }, lent);
    const asUnit = (doc: unknown) => ({ kind: 'unit', id: 'DM-11', doc }) as AnyRecord;
    const asConflict = { kind: 'conflict', id: theirs.id, doc: theirs } as AnyRecord;
    expect(conflictCopyNow(asConflict, asUnit(lent), loanPolicy).doc).toMatchObject({ theirs: { id: 'DM-11', callSign: 'DM-11' } });
    for (const now of [returned, { ...returned, version: 7 }]) expect(conflictCopyNow(asConflict, asUnit(now), loanPolicy).doc).toMatchObject({ force: 'NBR', status: 'open', theirs: null });
  });
});

describe('a share in the audit log', () => {
  const envelope = { commandId: randomUUID(), clientId: randomUUID(), clientSeq: 1, name: 'share.create', args: {}, issuedAt: AT, operator: 'bob', ticket: '', workstation: 'WS-DMO', schemaVersion: SCHEMA_VERSION } as CommandEnvelope;

  it('is a disclosure on the incident naming the force it went to, when made and when revoked, and nothing more when changed otherwise', () => {
    const made = share(randomUUID());
    const disclosures = (now: Share, before: Share | undefined) =>
      auditDrafts(envelope, AT, [rec('share', now)], () => before, 'DMO').filter((d) => d.kind === 'disclosure');
    expect(disclosures(made, undefined)).toEqual([
      expect.objectContaining({ recordKind: 'incident', recordId: made.incidentId, force: 'DMO', after: expect.stringContaining('"recipient":"NBR"') }),
    ]);
    expect(JSON.parse(disclosures(made, undefined)[0]!.after!)).toMatchObject({ action: 'share', recipient: 'NBR', tier: 'view', how: 'by_hand', reason: 'Near the border' });
    const revoked = { ...made, revoked: { at: AT, by: 'bob', reason: 'Arrested' }, version: 2 };
    expect(JSON.parse(disclosures(revoked, made)[0]!.after!)).toMatchObject({ action: 'revoke', recipient: 'NBR', reason: 'Arrested' });
    expect(disclosures({ ...revoked, version: 3 }, revoked)).toEqual([]);
  });
});

/** An open conflict of `force`'s operator omar (a deployment that lost) on `target`, holding `theirs` as its copy. */
function openConflict(force: string, target: { kind: string; id: string }, theirs: unknown, reason: string) {
  return {
    id: randomUUID(),
    force,
    commandName: 'unit.assign',
    args: {},
    operator: 'omar',
    workstation: `WS-${force}`,
    clientId: randomUUID(),
    issuedAt: AT,
    detectedAt: AT,
    reason,
    target,
    theirs,
    status: 'open' as const,
    resolution: null,
    resolvedBy: null,
    resolvedAt: null,
    version: 1,
  };
}
