import { describe, expect, it } from 'vitest';
import { auditDrafts as draftsOfForce } from '../../server/audit/command-audit';
import type { AnyRecord } from '../../shared/domain/records';
import type { CommandEnvelope } from '../../shared/sync/protocol';

const envelope = {
  commandId: 'c1',
  clientId: 'client',
  clientSeq: 1,
  name: 'marker.update',
  args: {},
  issuedAt: '2026-11-29T09:59:00.000Z',
  operator: 'alice',
  workstation: 'WS-A',
  ticket: '',
  schemaVersion: 3,
} as CommandEnvelope;

/** The drafts of a command issued at a workstation of force DMO. */
const auditDrafts = (...args: Parameters<typeof draftsOfForce> extends [infer Command, infer At, infer Changes, infer Before, ...unknown[]] ? [Command, At, Changes, Before] : never) => draftsOfForce(...args, 'DMO');

// The documents are cast: what is compared is their fields, whatever kind of record holds them.
const record = (id: string, doc: Record<string, unknown>) => ({ kind: 'marker', id, doc }) as unknown as AnyRecord;

describe('the audit entries of an applied command', () => {
  it('compares fields by value, whatever the order of their keys, and leaves out a record written again unchanged', () => {
    const before = { m1: { place: { x: 1, y: 2 }, note: 'gate', version: 1 }, m2: { note: 'same', version: 4 } };
    const drafts = auditDrafts(envelope, '2026-11-29T10:00:00.000Z', [record('m1', { version: 2, note: 'gate', place: { y: 2, x: 1 } }), record('m2', { version: 4, note: 'same' })], (r) => before[r.id as 'm1' | 'm2']);
    expect(drafts.map((d) => [d.recordId, d.field, d.before, d.after])).toEqual([['m1', 'version', '1', '2']]);
  });

  it('counts a record written twice by one command as its final document, against the one before the command', () => {
    const drafts = auditDrafts(envelope, '2026-11-29T10:00:00.000Z', [record('m1', { note: 'first', version: 2 }), record('m1', { note: 'second', version: 3 })], () => ({ note: 'old', version: 1 }));
    expect(drafts.map((d) => [d.field, d.before, d.after])).toEqual([['note', '"old"', '"second"'], ['version', '1', '3']]);
  });

  it('writes a value in canonical JSON, and tells a field removed (null) from a field set to null (the text null)', () => {
    const drafts = auditDrafts(envelope, '2026-11-29T10:00:00.000Z', [record('m1', { place: { y: 2, x: 1 }, owner: null })], () => ({ owner: 'bob', gone: true }));
    expect(drafts.map((d) => [d.field, d.before, d.after])).toEqual([['gone', 'true', null], ['owner', '"bob"', 'null'], ['place', null, '{"x":1,"y":2}']]);
  });

  it('records a record that did not exist as collected, with no values', () => {
    expect(auditDrafts(envelope, '2026-11-29T10:00:00.000Z', [record('m9', { note: 'new' })], () => undefined)).toEqual([
      { recordedAt: '2026-11-29T10:00:00.000Z', issuedAt: '2026-11-29T09:59:00.000Z', operator: 'alice', workstation: 'WS-A', clientId: 'client', force: 'DMO', commandId: 'c1', command: 'marker.update', kind: 'collection', recordKind: 'marker', recordId: 'm9', field: null, before: null, after: null },
    ]);
  });

  it('records a consultation on the record looked at, with what was asked and why, though it changes no record', () => {
    const args = { recordKind: 'incident', recordId: 'i1', channel: 'incidents.get', query: { id: 'i1' }, revealed: [], reason: 'Working on DMO-0007' };
    expect(auditDrafts({ ...envelope, name: 'record.consulted', args }, '2026-11-29T10:00:00.000Z', [], () => undefined)).toEqual([
      expect.objectContaining({ kind: 'consultation', command: 'record.consulted', recordKind: 'incident', recordId: 'i1', field: null, before: null, after: '{"channel":"incidents.get","query":{"id":"i1"},"reason":"Working on DMO-0007","revealed":[]}' }),
    ]);
  });

  it('records a desk moment on the incident proposed for or the call located or graded, though it changes no record', () => {
    const at = '2026-11-29T10:00:00.000Z';
    const proposed = { what: 'proposed', incidentId: 'i1', units: ['DM-11', 'DM-12'] };
    const graded = { what: 'graded', contactId: 'k1', grade: '1' };
    expect([proposed, graded].flatMap((args) => auditDrafts({ ...envelope, name: 'moment.recorded', args }, at, [], () => undefined)).map((d) => [d.kind, d.recordKind, d.recordId, d.after])).toEqual([
      ['moment', 'incident', 'i1', '{"incidentId":"i1","units":["DM-11","DM-12"],"what":"proposed"}'],
      ['moment', 'contact', 'k1', '{"contactId":"k1","grade":"1","what":"graded"}'],
    ]);
  });

  it('records a call given an incident as a combination on each, naming the other, after its alterations', () => {
    const call = { kind: 'contact', id: 'k1', doc: { incidentId: 'i1', version: 3 } } as unknown as AnyRecord;
    const drafts = auditDrafts({ ...envelope, name: 'contact.attach' }, '2026-11-29T10:00:00.000Z', [call], () => ({ incidentId: null, version: 2 }));
    expect(drafts.map((d) => [d.kind, d.recordKind, d.recordId, d.field, d.after])).toEqual([
      ['alteration', 'contact', 'k1', 'incidentId', '"i1"'],
      ['alteration', 'contact', 'k1', 'version', '3'],
      ['combination', 'contact', 'k1', null, '{"action":"attach","other":{"id":"i1","kind":"incident"}}'],
      ['combination', 'incident', 'i1', null, '{"action":"attach","other":{"id":"k1","kind":"contact"}}'],
    ]);
  });

  it('records incidents linked and unlinked as a combination on each incident whose related list changed', () => {
    const incident = (id: string, related: string[]) => ({ kind: 'incident', id, doc: { related } }) as unknown as AnyRecord;
    const linked = auditDrafts({ ...envelope, name: 'incident.link' }, '2026-11-29T10:00:00.000Z', [incident('a', ['b']), incident('b', ['a'])], () => ({ related: [] }));
    expect(linked.filter((d) => d.kind === 'combination').map((d) => [d.recordId, d.after])).toEqual([
      ['a', '{"action":"link","other":{"id":"b","kind":"incident"}}'],
      ['b', '{"action":"link","other":{"id":"a","kind":"incident"}}'],
    ]);
    const unlinked = auditDrafts({ ...envelope, name: 'incident.unlink' }, '2026-11-29T10:00:00.000Z', [incident('a', [])], () => ({ related: ['b'] }));
    expect(unlinked.filter((d) => d.kind === 'combination').map((d) => [d.recordId, d.after])).toEqual([['a', '{"action":"unlink","other":{"id":"b","kind":"incident"}}']]);
  });
});

describe('a collection entry', () => {
  it('says of a log line what kind it is and how it came, never its text; of other records, nothing more than their kind', () => {
    const line = (id: string, doc: Record<string, unknown>) => ({ kind: 'logEntry', id, doc: { id, incidentId: 'i1', text: 'Caller says the man has a knife', ...doc } }) as unknown as AnyRecord;
    const incident = { kind: 'incident', id: 'i1', doc: { id: 'i1', force: 'DMO' } } as unknown as AnyRecord;
    const drafts = auditDrafts({ ...envelope, name: 'incident.addLog' }, '2026-11-29T10:00:00.000Z', [incident, line('l1', { kind: 'note' }), line('l2', { kind: 'note', relay: { kind: 'terminal', unitId: 'DM-11' }, backEntered: { by: 'alice' } })], () => undefined);
    expect(drafts.filter((d) => d.kind === 'collection').map((d) => [d.recordId, d.after])).toEqual([
      ['i1', null],
      ['l1', '{"line":"note"}'],
      ['l2', '{"backEntered":true,"line":"note","relay":"terminal"}'],
    ]);
  });
});

describe('who the audit entries name for what nobody at the keyboard did', () => {
  const at = '2026-11-29T10:00:00.000Z';
  const share = (how: 'automatic' | 'arrangement' | 'by_hand') =>
    ({ kind: 'share', id: `s-${how}`, doc: { id: `s-${how}`, force: 'DMO', incidentId: 'i1', sharedWith: 'NBR', tier: 'view', how, reason: 'near the border', revoked: null } }) as unknown as AnyRecord;

  it('names the server, after whose command, for an incident it shared on its own (automatic, by arrangement), and its log line', async () => {
    const { derivedId } = await import('../../shared/domain/derived-id');
    const line = { kind: 'logEntry', id: derivedId('s-automatic', 'shared'), doc: { id: derivedId('s-automatic', 'shared'), incidentId: 'i1', text: 'Shared automatically' } } as unknown as AnyRecord;
    const incident = { kind: 'incident', id: 'i1', doc: { id: 'i1', force: 'DMO' } } as unknown as AnyRecord;
    const drafts = auditDrafts({ ...envelope, name: 'incident.create' }, at, [incident, share('automatic'), line, share('arrangement')], () => undefined);
    const by = (kind: string, recordKind: string) => drafts.filter((d) => d.kind === kind && d.recordKind === recordKind).map((d) => d.operator);
    expect(by('collection', 'incident')).toEqual(['alice']);
    expect(by('collection', 'share')).toEqual(['system (automatically by the server, after alice\'s incident.create)', 'system (automatically by the server, after alice\'s incident.create)']);
    expect(by('collection', 'logEntry')).toEqual(['system (automatically by the server, after alice\'s incident.create)']);
    expect(by('disclosure', 'incident')).toEqual(['system (automatically by the server, after alice\'s incident.create)', 'system (automatically by the server, after alice\'s incident.create)']);
  });

  it('names the operator for a share they made by hand', () => {
    const drafts = auditDrafts({ ...envelope, name: 'share.create' }, at, [share('by_hand')], () => undefined);
    expect(drafts.map((d) => d.operator)).toEqual(['alice', 'alice']);
  });

  it("names the system, while the operator was signed in, for a deadline's claim and a refusal marked sent again; the operator for the desk's moments", () => {
    const claim = auditDrafts({ ...envelope, name: 'unit.shiftEnded' }, at, [record('m1', { note: 'x' })], () => undefined);
    expect(claim.map((d) => d.operator)).toEqual(['system (automatically, while alice was signed in)']);
    const proposed = auditDrafts({ ...envelope, name: 'moment.recorded', args: { what: 'proposed', incidentId: 'i1', units: ['DM-11'] } }, at, [], () => undefined);
    expect(proposed.map((d) => [d.kind, d.operator])).toEqual([['moment', 'alice']]);
    const graded = auditDrafts({ ...envelope, name: 'moment.recorded', args: { what: 'graded', contactId: 'c1', grade: '1' } }, at, [], () => undefined);
    expect(graded.map((d) => [d.kind, d.operator])).toEqual([['moment', 'alice']]);
    const resent = auditDrafts({ ...envelope, name: 'refusal.handle', automatic: true }, at, [record('m1', { note: 'x' })], () => undefined);
    expect(resent.map((d) => d.operator)).toEqual(['system (automatically, while alice was signed in)']);
  });

  it('names the system for the mark a held command carries on its own refusal when sent again at sign-in; the operator for the command', () => {
    const refusalId = '00000000-0000-4000-8000-0000000000aa';
    const refusal = { kind: 'refusal', id: refusalId, doc: { status: 'handled', handledBy: 'alice', action: 'resent' } } as unknown as AnyRecord;
    const line = record('m1', { note: 'Keyholder on the way' });
    const drafts = auditDrafts({ ...envelope, name: 'incident.addLog', redoOf: { refusalId, action: 'resent', at } }, at, [line, refusal], (r) => (r.kind === 'refusal' ? { status: 'waiting', handledBy: null, action: null } : undefined));
    expect(drafts.filter((d) => d.recordKind === 'refusal').map((d) => [d.field, d.operator])).toEqual([
      ['action', 'system (automatically, while alice was signed in)'],
      ['handledBy', 'system (automatically, while alice was signed in)'],
      ['status', 'system (automatically, while alice was signed in)'],
    ]);
    expect(drafts.filter((d) => d.recordKind === 'marker').map((d) => d.operator)).toEqual(['alice']);
    // A supervisor's redo of a refusal is her own act, mark and all.
    const redone = auditDrafts({ ...envelope, operator: 'carol', name: 'incident.addLog', redoOf: { refusalId, action: 'redone', at } }, at, [refusal], () => ({ status: 'waiting', handledBy: null, action: null }));
    expect(new Set(redone.map((d) => d.operator))).toEqual(new Set(['carol']));
  });
});
