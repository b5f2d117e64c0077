import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkstationStore } from '../../main/store/workstation-store';
import { applyPullPage } from '../../main/sync/apply-server-answers';
import { SCHEMA_VERSION, type CommandEnvelope, type PullResponse, type RecordChange } from '../../shared/sync/protocol';
import { demoConfig } from '../fakes/fixtures';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';

// What a workstation clears when an erasure reaches it (main/store/erased-content.ts), and what it leaves when a
// record is only withdrawn from its force (a share revoked): the call being taken, and a command not yet sent.
const CALLER = 'Theodora Blennerhassett-Oyo';

describe('an erasure reaching a workstation', () => {
  let store: WorkstationStore;
  const contactId = randomUUID();
  beforeEach(() => {
    store = WorkstationStore.open(':memory:');
  });
  afterEach(() => store.close());

  function takeCall(): CommandEnvelope {
    const envelope: CommandEnvelope = {
      commandId: randomUUID(), clientId: store.clientId, clientSeq: 1, name: 'contact.update', args: { contactId, fields: { callerName: CALLER } },
      issuedAt: '2026-12-01T10:00:00.000Z', operator: 'dan', ticket: 't', workstation: 'WS-C', schemaVersion: SCHEMA_VERSION,
    };
    store.transaction(() => {
      store.drafts.save(`draft:dan:call:${contactId}`, { contactId, callerName: CALLER }, '2026-12-01T10:00:00.000Z');
      store.outbox.append(envelope, [{ kind: 'contact', id: contactId }]);
    });
    return envelope;
  }

  const withdrawal = (erased: boolean): PullResponse => {
    const change: RecordChange = { seq: 7, kind: 'contact', id: contactId, doc: null, ...(erased ? { erased: true as const } : {}) };
    return { since: 0, upTo: 7, head: 7, changes: [change], hasMore: false, lastClientSeq: 0, rejected: [] };
  };

  it('deletes the draft of the call erased, and withdraws the command naming it without what it said', () => {
    const sent = takeCall();
    applyPullPage(store, demoConfig, withdrawal(true));
    expect(store.drafts.get(`draft:dan:call:${contactId}`)).toBeNull();
    expect(store.outbox.pending()).toEqual([
      expect.objectContaining({ envelope: { ...sent, args: null }, withdrawn: "the call it named was erased by the force's administrator before it reached the server: what it said was erased with it" }),
    ]);
    expect(store.refusals.tooLargeCount()).toBe(0);
    expect(store.db.serialize().toString('latin1')).not.toContain(CALLER);
  });

  it('leaves both as they are for a record only withdrawn from the force (not erased)', () => {
    const sent = takeCall();
    applyPullPage(store, demoConfig, withdrawal(false));
    expect(store.drafts.get(`draft:dan:call:${contactId}`)?.data).toMatchObject({ callerName: CALLER });
    expect(store.outbox.pending()).toEqual([expect.objectContaining({ envelope: sent, withdrawn: null })]);
  });
  // Issue 12: a command of Northbridge's naming a line of Demonstration's incident shared with it, withdrawn when
  // Demonstration erased the incident, said it was "erased by the force's administrator": read at Northbridge, its own.
  it('says another force’s record was erased by that force, not by “the force’s administrator”', () => {
    store.close();
    store = WorkstationStore.open(':memory:');
    const neighbour = loadForceConfig(demonstrationForces()[1]!.configFile);
    const lineId = randomUUID();
    const line = { id: lineId, force: 'DMO', incidentId: randomUUID(), kind: 'note', text: 'Suspect seen on the ring road', author: 'dan', workstation: 'WS-B', at: '2026-12-01T09:55:00.000Z' };
    applyPullPage(store, neighbour, { since: 0, upTo: 3, head: 3, changes: [{ seq: 3, kind: 'logEntry', id: lineId, doc: line }], hasMore: false, lastClientSeq: 0, rejected: [] });
    const envelope: CommandEnvelope = {
      commandId: randomUUID(), clientId: store.clientId, clientSeq: 1, name: 'record.note', args: { about: lineId },
      issuedAt: '2026-12-01T10:00:00.000Z', operator: 'omar', ticket: 't', workstation: 'WS-NBR', schemaVersion: SCHEMA_VERSION,
    };
    store.transaction(() => store.outbox.append(envelope, [{ kind: 'logEntry', id: lineId }]));
    applyPullPage(store, neighbour, { since: 3, upTo: 9, head: 9, changes: [{ seq: 9, kind: 'logEntry', id: lineId, doc: null, erased: true }], hasMore: false, lastClientSeq: 0, rejected: [] });
    expect(store.outbox.pending()).toEqual([expect.objectContaining({ withdrawn: 'the log entry it named was erased by DMO before it reached the server: what it said was erased with it' })]);
  });
});
