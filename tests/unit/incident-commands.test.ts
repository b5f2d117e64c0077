import { describe, expect, it } from 'vitest';
import { applyCommand, parseCommand } from '../../shared/commands/registry';
import type { ApplyContext, StateView } from '../../shared/commands/types';
import type { AnyRecord, RecordDocs, RecordKind } from '../../shared/domain/records';
import { forceReference, referenceDay } from '../../shared/domain/reference';
import { demoConfig } from '../fakes/fixtures';
import { unverifiedLocation } from '../../shared/domain/location';

const ctx: ApplyContext = {
  issuedAt: '2026-11-29T10:00:00.000Z',
  actor: { operator: 'alice', workstation: 'WS-A', clientId: '00000000-0000-4000-8000-000000000001' },
  config: demoConfig,
};
const incidentId = '11111111-1111-4111-8111-111111111111';
const entryId = '22222222-2222-4222-8222-222222222222';

const alice: AnyRecord = { kind: 'operator', id: 'alice', doc: { id: 'alice', force: 'DMO', displayName: 'Alice', roles: ['call_handler'], active: true, version: 1 } };

function stateOf(records: AnyRecord[]): StateView & { records: Map<string, AnyRecord> } {
  const map = new Map([alice, ...records].map((r) => [`${r.kind}:${r.id}`, r]));
  return {
    records: map,
    get: <K extends RecordKind>(kind: K, id: string) => map.get(`${kind}:${id}`)?.doc as RecordDocs[K] | undefined,
  };
}

function run(name: string, args: unknown, state = stateOf([])) {
  const parsed = parseCommand(name, args);
  if (!parsed.ok) throw new Error(parsed.reason);
  return applyCommand(parsed.command, ctx, state);
}

const create = { incidentId, provisionalReference: 'WS-A-P0001', type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: { entryId, text: 'Caller reports a break-in' } };

describe('incident.create', () => {
  it('creates an open incident with its first log line, written by the operator at the time they acted', () => {
    const result = run('incident.create', create);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [incident, opened, entry] = result.changes;
    expect(incident).toMatchObject({ kind: 'incident', doc: { status: 'open', reference: null, grade: '2', createdBy: 'alice', createdAt: ctx.issuedAt } });
    expect(opened).toMatchObject({ kind: 'logEntry', doc: { kind: 'system', at: ctx.issuedAt } });
    expect(entry).toMatchObject({ kind: 'logEntry', doc: { incidentId, text: 'Caller reports a break-in', author: 'alice', workstation: 'WS-A' } });
  });

  it('refuses a type or grade the force does not have', () => {
    expect(run('incident.create', { ...create, type: 'PARKING' })).toEqual({ ok: false, code: 'invalid', reason: 'unknown incident type "PARKING"' });
    expect(run('incident.create', { ...create, grade: '9' })).toEqual({ ok: false, code: 'invalid', reason: 'unknown grade "9"' });
  });

  it('refuses malformed arguments before any rule runs', () => {
    expect(parseCommand('incident.create', { ...create, location: unverifiedLocation('') })).toEqual({ ok: false, reason: expect.stringContaining('location.text') });
    expect(parseCommand('incident.delete', {})).toEqual({ ok: false, reason: 'unknown command "incident.delete"' });
  });

  it('replayed over the server copy keeps the force reference the server gave it', () => {
    const first = run('incident.create', create);
    if (!first.ok) throw new Error('create failed');
    const serverCopy = first.changes.map((c) => (c.kind === 'incident' ? { ...c, doc: { ...c.doc, reference: 'DMO-20261129-0001' } } : c));
    const replay = run('incident.create', create, stateOf(serverCopy));
    expect(replay.ok && replay.changes).toEqual(serverCopy);
  });

  it('cannot take over an existing incident by reusing its id', () => {
    const first = run('incident.create', create);
    if (!first.ok) throw new Error('create failed');
    expect(run('incident.create', { ...create, provisionalReference: 'WS-B-P0001' }, stateOf(first.changes))).toMatchObject({ ok: false, code: 'invalid' });
  });
});

describe('incident.addLog', () => {
  it('appends to an incident that exists', () => {
    const created = run('incident.create', { ...create, firstLog: null });
    if (!created.ok) throw new Error('create failed');
    const result = run('incident.addLog', { incidentId, entryId, text: 'Unit requested' }, stateOf(created.changes));
    expect(result.ok && result.changes).toEqual([{ kind: 'logEntry', id: entryId, doc: expect.objectContaining({ text: 'Unit requested', at: ctx.issuedAt }) }]);
  });

  it('for an incident nobody has, loses as a conflict (the creation it depended on was refused)', () => {
    expect(run('incident.addLog', { incidentId, entryId, text: 'x' })).toMatchObject({ ok: false, code: 'conflict', target: { kind: 'incident', id: incidentId } });
  });

  it('applied twice leaves one entry, unchanged', () => {
    const created = run('incident.create', { ...create, firstLog: null });
    if (!created.ok) throw new Error('create failed');
    const state = stateOf(created.changes);
    const once = run('incident.addLog', { incidentId, entryId, text: 'Unit requested' }, state);
    if (!once.ok) throw new Error('add failed');
    for (const c of once.changes) state.records.set(`${c.kind}:${c.id}`, c);
    const twice = run('incident.addLog', { incidentId, entryId, text: 'Unit requested' }, state);
    expect(twice).toEqual(once);
  });
});

describe('incident.addLog of a line kept on paper while the system was down', () => {
  const outageFrom = '2026-11-29T09:20:30.000Z';
  // The incident was open before the system went down (its call taken at 09:00).
  const created = () => {
    const result = run('incident.create', { ...create, firstLog: null });
    if (!result.ok) throw new Error('create failed');
    return stateOf(result.changes.map((change) => (change.kind === 'incident' ? { ...change, doc: { ...change.doc, createdAt: '2026-11-29T09:00:00.000Z' } } : change)));
  };

  it('keeps the paper time as the line time, marked back-entered by whom, where and when', () => {
    const result = run('incident.addLog', { incidentId, entryId, text: 'DM-14 at scene', paper: { at: '2026-11-29T09:41:00.000Z', outageFrom } }, created());
    expect(result.ok && result.changes).toEqual([
      {
        kind: 'logEntry',
        id: entryId,
        doc: expect.objectContaining({ text: 'DM-14 at scene', at: '2026-11-29T09:41:00.000Z', backEntered: { by: 'alice', workstation: 'WS-A', enteredAt: ctx.issuedAt, outageFrom } }),
      },
    ]);
  });

  it('accepts a paper time up to five minutes before the desk saw the system go down (paper having no seconds)', () => {
    expect(run('incident.addLog', { incidentId, entryId, text: 'x', paper: { at: '2026-11-29T09:15:00.000Z', outageFrom } }, created()).ok).toBe(true);
  });

  it('refuses a paper time after it is entered, or before the outage, changing nothing', () => {
    const future = run('incident.addLog', { incidentId, entryId, text: 'x', paper: { at: '2026-11-29T10:01:00.000Z', outageFrom } }, created());
    expect(future).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('after it was entered') });
    const before = run('incident.addLog', { incidentId, entryId, text: 'x', paper: { at: '2026-11-29T09:14:59.000Z', outageFrom } }, created());
    expect(before).toMatchObject({ ok: false, code: 'invalid', reason: expect.stringContaining('before the system went down') });
  });

  it('leaves a line written at the time unmarked', () => {
    const result = run('incident.addLog', { incidentId, entryId, text: 'x' }, created());
    expect(result.ok && result.changes[0]?.doc).not.toHaveProperty('backEntered');
  });
});

describe('force references', () => {
  it('use the day in the force time zone, so a call at 00:30 BST belongs to the new day', () => {
    const halfPastMidnightBst = Date.parse('2026-07-01T23:30:00.000Z');
    expect(referenceDay(halfPastMidnightBst, 'Europe/London')).toBe('20260702');
    expect(referenceDay(halfPastMidnightBst, 'UTC')).toBe('20260701');
    expect(forceReference('DMO', '20260702', 42)).toBe('DMO-20260702-0042');
  });
});
