import { wallClock } from '../../shared/domain/wall-clock';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { ServerStorage } from '../../server/storage/storage';
import type { IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { verifyStorage } from '../../launch/audit-main';
import { SCHEMA_VERSION } from '../../shared/sync/protocol';
import { runSystemCommands } from '../../server/commands/system-commands';
import { demoConfig, refusalOf, silentLog } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { randomUUID } from 'node:crypto';
import type { DeadLetterView } from '../../shared/contract/channels';
import { applyPullPage } from '../../main/sync/apply-server-answers';

// A records manager erases a closed incident, on both storages: every workstation deletes it, the caller's name and
// the log's words are gone from the server's tables (the SQLite file's bytes) and from the workstation's file, the
// audit log keeps its entries (metadata, values unreadable) and still verifies, with an erasure entry saying why.
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-11-30T09:00:00.000Z');
const CALLER_NAME = 'Rosalind Quenby-Marsh';
const CALLER_NUMBER = '07700 900861';
const LOG_TEXT = 'Neighbour Ptolemy Vasquez-Orr saw the ladder at the back window';

interface Opened {
  storage: ServerStorage;
  /** Every byte of text the server's database holds, as a person with the files or a database client would read it. */
  everything(): Promise<string>;
  close(): Promise<void>;
}

const storages = [
  {
    name: 'SQLite',
    open: async (dir: string): Promise<Opened> => {
      const file = join(dir, 'central.sqlite');
      const storage = SqliteStorage.open(file);
      return {
        storage,
        everything: async () => [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join(''),
        close: () => storage.close(),
      };
    },
  },
  {
    name: 'PostgreSQL',
    open: async (): Promise<Opened> => {
      const url = await cluster.createDatabase();
      const storage = await PostgresStorage.open(url, { log: silentLog });
      return {
        storage,
        everything: async () => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            const tables = ['records', 'command_log', 'audit_log', 'audit_keys'];
            const texts = await Promise.all(tables.map(async (table) => (await client.query<{ t: string | null }>(`SELECT string_agg(x::text, ' ') AS t FROM ${table} x`)).rows[0]?.t ?? ''));
            return texts.join(' ');
          } finally {
            await client.end();
          }
        },
        close: () => storage.close(),
      };
    },
  },
];

describe.each(storages)('erasing a record on $name', ({ open }) => {
  const room = inProcessRoom({ open, startsAt: T0, operators: { admin: ['admin'], dan: ['call_handler', 'dispatcher'] }, desks: ['WS-ADMIN', 'WS-B', 'WS-C'] });
  const adminDesk = () => room.desk('WS-ADMIN');
  const deskB = () => room.desk('WS-B');
  const deskC = () => room.desk('WS-C');

  async function call<T>(core: ConsoleCore, channel: string, request: unknown): Promise<T> {
    const reply = await core.dispatch(channel, request);
    if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
    return reply.value as T;
  }
  const workstationFile = (name: string): string => {
    const file = join(room.dir, name, 'workstation.sqlite');
    return [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('');
  };

  /** Dan's incident with a caller and a log line, as the server has it, with its reference. */
  async function incidentWithCaller(): Promise<IncidentView & { reference: string }> {
    await call(deskB(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    const { incident } = await call<{ incident: IncidentView }>(deskB(), 'incidents.create', {
      type: 'BURGLARY',
      location: unverifiedLocation('14 Quay Street, Saltmere'),
      grade: '2',
      firstLog: LOG_TEXT,
      callerName: CALLER_NAME,
      callerNumber: CALLER_NUMBER,
    });
    await room.sync(deskB());
    // A correction, so the audit log has an alteration carrying the caller's name as its value before.
    await call(deskB(), 'incidents.update', { incidentId: incident.id, fields: { callerName: `${CALLER_NAME} (mother)` } });
    await room.sync(deskB());
    await room.sync(adminDesk());
    const reference = deskB().store.view.incident(incident.id)!.reference!;
    expect(reference).toMatch(/^DMO-/);
    return { ...incident, reference };
  }

  async function close(incidentId: string): Promise<void> {
    const version = deskB().store.view.incident(incidentId)!.version;
    await call(deskB(), 'incidents.close', { incidentId, closingCode: demoConfig.closingCodes[0]!.code, incidentVersion: version });
    await room.sync(deskB());
    expect((await room.storage.record({ kind: 'incident', id: incidentId })) as { status: string }).toMatchObject({ status: 'closed' });
  }

  it('a closed incident erased by the administrator leaves every workstation, the server’s tables and files, and the audit log’s values; the chain still verifies', async () => {
    const incident = await incidentWithCaller();
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    expect(JSON.stringify(await room.storage.findAudit({ about: 'record', recordKind: 'incident', recordId: incident.id, force: 'DMO' }, null, 100))).toContain(CALLER_NAME);

    // An open incident is still being worked: refused with the reason, nothing changed.
    expect(await refusalOf(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: 'Retention period of 7 years ended' })).toContain('the incident is still open');
    expect(await refusalOf(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: '' })).toMatch(/reason/);
    expect(await room.storage.record({ kind: 'incident', id: incident.id })).toMatchObject({ callerName: `${CALLER_NAME} (mother)` });

    await close(incident.id);
    await room.sync(adminDesk());
    // The confirmation's count is the server's, found by the erasure's own search: exactly what the erasure takes.
    const preview = await call<{ record: string; problem: string | null; goes: string[] }>(adminDesk(), 'admin.erasePreview', { kind: 'incident', record: incident.reference });
    expect(preview).toMatchObject({ record: `incident ${incident.reference}`, problem: null });
    expect(preview.goes).toEqual(expect.arrayContaining([expect.stringMatching(/^\d+ log entries$/)]));
    const previewed = preview.goes.reduce((sum, words) => sum + Number(words.split(' ')[0]), 0);
    const { done } = await call<{ done: string }>(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: 'Subject access and erasure request 2026/114' });
    expect(done).toMatch(new RegExp(`^erased the incident and ${previewed} records with it`));

    await room.sync(deskB(), adminDesk());
    for (const desk of [deskB(), adminDesk()]) {
      expect(desk.store.view.incident(incident.id)).toBeUndefined();
      expect(desk.store.view.logOf(incident.id)).toEqual([]);
    }
    // Not brought back by a pull from the start, nor found by a command.
    const page = await room.storage.pull({ since: 0, clientId: deskB().store.clientId, afterClientSeq: 0, limit: 10_000 });
    expect(page.changes.filter((change) => change.id === incident.id)).toEqual([expect.objectContaining({ doc: null })]);
    expect(await room.storage.record({ kind: 'incident', id: incident.id })).toBeNull();

    for (const trace of [CALLER_NAME, CALLER_NUMBER, LOG_TEXT, 'Ptolemy']) {
      expect(await room.opened.everything(), `the server's database holds "${trace}"`).not.toContain(trace);
      expect(workstationFile('WS-B'), `WS-B's file holds "${trace}"`).not.toContain(trace);
      expect(workstationFile('WS-ADMIN'), `WS-ADMIN's file holds "${trace}"`).not.toContain(trace);
    }

    // The audit log keeps every entry, chained as written: who did what to which record, the values unreadable.
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
    const entries = await room.storage.findAudit({ about: 'record', recordKind: 'incident', recordId: incident.id, force: 'DMO' }, null, 100);
    expect(JSON.stringify(entries)).not.toContain(CALLER_NAME);
    expect(entries.find((e) => e.kind === 'alteration' && e.field === 'callerName')).toMatchObject({ operator: 'dan', before: null, after: null, valuesErased: true });
    expect(entries.find((e) => e.kind === 'collection')).toMatchObject({ operator: 'dan', recordId: incident.id });
    const erasure = entries.find((e) => e.kind === 'erasure')!;
    expect(erasure).toMatchObject({ operator: 'admin', command: 'records.erase', force: 'DMO', recordKind: 'incident' });
    expect(JSON.parse(erasure.after!)).toMatchObject({ reason: 'Subject access and erasure request 2026/114' });

    // Erased once: asking again is refused, and nothing more is written.
    expect(await refusalOf(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.id, reason: 'again' })).toContain('erased already');
    // By its reference too, as people name it, before anyone is asked to confirm: erased already, by whom and when,
    // never "no incident".
    const already = `the incident ${incident.reference} was erased already, by admin on ${wallClock('Europe/London').dateTimeZoned(T0)} (reason: Subject access and erasure request 2026/114)`;
    expect(await refusalOf(adminDesk(), 'admin.erasePreview', { kind: 'incident', record: incident.reference })).toContain(already);
    expect(await refusalOf(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: 'again' })).toContain(already);
    expect(await refusalOf(adminDesk(), 'admin.erasePreview', { kind: 'incident', record: incident.id })).toContain(already);
    // A reference nobody gave is still unknown.
    expect(await refusalOf(adminDesk(), 'admin.erasePreview', { kind: 'incident', record: 'DMO-1999-000001' })).toContain('no incident DMO-1999-000001 on this workstation');
  });

  it('a look made offline before the erasure and arriving after it is logged, but what was asked and why is not kept in the server’s command log', async () => {
    const LATE_REASON = 'Late look by Hortensia Blackwood-Nyquist';
    const incident = await incidentWithCaller();
    await close(incident.id);
    room.link(deskB()).up = false;
    await call(deskB(), 'incidents.get', { id: incident.id, reason: LATE_REASON });
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await room.sync(adminDesk());
    await call(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: 'Retention period ended' });
    room.link(deskB()).up = true;
    await room.sync(deskB());

    // The look is in the log (its values unreadable), and the server holds nothing of what was asked or why.
    const looks = (await room.storage.findAudit({ about: 'record', recordKind: 'incident', recordId: incident.id, force: 'DMO' }, null, 100)).filter((e) => e.kind === 'consultation' && e.operator === 'dan');
    expect(looks.at(0)).toMatchObject({ valuesErased: true });
    expect(await room.opened.everything()).not.toContain(LATE_REASON);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('a command made offline on an incident erased before it arrives is refused, and neither its refusal nor the server’s command log keeps what it said', async () => {
    const LATE_LOG = 'Witness Bartholomew Quisling-Ferrante saw the van leave';
    const incident = await incidentWithCaller();
    await call(deskC(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    await room.sync(deskC());
    room.link(deskC()).up = false;
    await call(deskC(), 'incidents.addLog', { incidentId: incident.id, text: LATE_LOG });
    await close(incident.id);
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await room.sync(adminDesk());
    await call(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: 'Retention period ended' });
    const before = await room.storage.lastClientSeq(deskC().store.clientId);
    room.link(deskC()).up = true;
    await room.sync(deskC());

    // Refused (the incident is gone), in the room's inbox without its arguments: only the workstation held them.
    expect(await room.storage.lastClientSeq(deskC().store.clientId)).toBe(before + 1);
    const { changes } = await room.storage.changes(0, 100_000);
    const refused = changes.filter((change) => change.kind === 'refusal' || change.kind === 'conflict').map((change) => change.doc as { commandName: string; args: unknown; operator: string } | null);
    expect(refused).toContainEqual(expect.objectContaining({ commandName: 'incident.addLog', operator: 'dan', args: null }));
    expect(await room.opened.everything()).not.toContain(LATE_LOG);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('a command refused for its ticket (held at its workstation) about an erased incident is logged without what it said', async () => {
    const HELD_LOG = 'Witness Philippa Ondaatje-Brierley heard the alarm';
    const incident = await incidentWithCaller();
    await call(deskC(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    await room.sync(deskC());
    room.link(deskC()).up = false;
    await call(deskC(), 'incidents.addLog', { incidentId: incident.id, text: HELD_LOG });
    await close(incident.id);
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await room.sync(adminDesk());
    await call(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: 'Retention period ended' });
    // Sent with a ticket the server does not recognise: refused before the rules read anything, held at the desk.
    const [held] = deskC().store.outbox.pending();
    room.link(deskC()).up = true;
    const answer = await room.link(deskC()).push({ clientId: deskC().store.clientId, schemaVersion: SCHEMA_VERSION, commands: [{ ...held!.envelope, ticket: 'not-a-ticket' }] });
    expect(answer.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'unauthenticated' })]);
    const { changes } = await room.storage.changes(0, 100_000);
    expect(changes.find((change) => change.id === held!.envelope.commandId)?.doc).toMatchObject({ commandName: 'incident.addLog', args: null });
    expect(await room.opened.everything()).not.toContain(HELD_LOG);
  });

  it('a workstation keeps nothing of what its held commands said about an erased incident: each stays in the refused list, without it', async () => {
    const HELD_LOGS = ['Witness Evangeline Achterberg-Molyneux saw the van leave', 'Witness Barnaby Okonkwo-Lindqvist saw the car'];
    const incident = await incidentWithCaller();
    await call(deskC(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    await room.sync(deskC());
    room.link(deskC()).up = false;
    for (const text of HELD_LOGS) await call(deskC(), 'incidents.addLog', { incidentId: incident.id, text });
    const sent = deskC().store.outbox.pending().map((entry) => entry.envelope.commandId);
    await close(incident.id);
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await room.sync(adminDesk());
    await call(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: 'Retention period ended' });
    // Refused for dan's sign-in (his tickets revoked meanwhile): held at the desk for him to sign in again, then the
    // erasure pulled. Sent again they could only be refused: each is in the refused list, saying why, without its words.
    await room.storage.revoke({ kind: 'tickets', subject: 'dan', revokedAt: '2100-01-01T00:00:00.000Z', reason: 'password seen' });
    room.link(deskC()).up = true;
    await room.sync(deskC());
    const { deadLetters } = await call<{ deadLetters: DeadLetterView[] }>(deskC(), 'sync.deadLetters', {});
    expect(deadLetters).toEqual(
      sent.map((commandId) => expect.objectContaining({ commandId, name: 'incident.addLog', args: null, held: false, tooLarge: false, reason: expect.stringContaining('the incident it named was erased') })),
    );
    expect(deskC().sync.status().held).toEqual([]);
    for (const trace of [...HELD_LOGS, CALLER_NAME, CALLER_NUMBER, LOG_TEXT]) expect(workstationFile('WS-C'), `WS-C's file holds "${trace}"`).not.toContain(trace);
  });

  it('a command not yet sent when the erasure reaches its workstation is withdrawn without what it said, and the operator is told why', async () => {
    const UNSENT_LOG = 'Witness Leopoldine Farquharson-Zee heard the alarm';
    const LOOK_REASON = 'Checking for Ignatius Wolstenholme-Pye';
    const incident = await incidentWithCaller();
    await call(deskC(), 'session.signIn', { operator: 'dan', password: 'shift-pw' });
    await room.sync(deskC());
    room.link(deskC()).up = false;
    await call(deskC(), 'incidents.addLog', { incidentId: incident.id, text: UNSENT_LOG });
    await call(deskC(), 'incidents.get', { id: incident.id, reason: LOOK_REASON });
    await close(incident.id);
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await room.sync(adminDesk());
    await call(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: 'Retention period ended' });
    room.link(deskC()).up = true;
    // The erasure arrives before the outbox is sent (a live batch, a pull while a push waits).
    const page = await room.link(deskC()).pull({ since: deskC().store.pullCursor, clientId: deskC().store.clientId, afterClientSeq: 0, limit: 10_000 });
    applyPullPage(deskC().store, demoConfig, page);
    const [line] = deskC().store.outbox.pending().filter((entry) => entry.envelope.name === 'incident.addLog');
    expect(line).toMatchObject({ envelope: { args: null }, withdrawn: expect.stringContaining("the incident it named was erased by the force's administrator before it reached the server") });
    expect(deskC().store.view.logOf(incident.id)).toEqual([]);
    // The look stays a look (its audit entry is owed), without why.
    const [look] = deskC().store.outbox.pending().filter((entry) => entry.envelope.name === 'record.consulted');
    expect(look).toMatchObject({ envelope: { args: { recordKind: 'incident', recordId: incident.id, query: {}, reason: null } }, withdrawn: null });
    for (const trace of [UNSENT_LOG, LOOK_REASON, CALLER_NAME, CALLER_NUMBER, LOG_TEXT]) expect(workstationFile('WS-C'), `WS-C's file holds "${trace}"`).not.toContain(trace);

    // Sent as a stand-in: refused, in the refused list with why; the server holds nothing of what it said.
    await room.sync(deskC());
    const { deadLetters } = await call<{ deadLetters: DeadLetterView[] }>(deskC(), 'sync.deadLetters', {});
    expect(deadLetters).toEqual([
      expect.objectContaining({ name: 'incident.addLog', args: null, tooLarge: false, reason: expect.stringContaining('the incident it named was erased') }),
    ]);
    const { changes } = await room.storage.changes(0, 100_000);
    expect(changes.find((change) => change.id === line!.envelope.commandId)?.doc).toMatchObject({ commandName: 'incident.addLog', args: null, tooLarge: false });
    for (const trace of [UNSENT_LOG, LOOK_REASON]) expect(await room.opened.everything(), `the server's database holds "${trace}"`).not.toContain(trace);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
  });

  it('a command whose arguments do not parse, naming an incident erased before it arrives, is refused and kept without them', async () => {
    const MALFORMED_LOG = 'Witness Cordelia Oyelaran-Whitcombe saw the ladder';
    const incident = await incidentWithCaller();
    await close(incident.id);
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await room.sync(adminDesk());
    await call(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: 'Retention period ended' });
    // A workstation of another build, or a crafted push: its entryId is no id, so the command cannot be read as one.
    const link = room.link(deskC());
    const clientId = randomUUID();
    const command = {
      commandId: randomUUID(), clientId, clientSeq: 1, name: 'incident.addLog', args: { incidentId: incident.id, entryId: 'not-an-id', text: MALFORMED_LOG },
      issuedAt: new Date(T0).toISOString(), operator: 'dan', ticket: link.ticketFor('dan', clientId), workstation: 'WS-X', schemaVersion: SCHEMA_VERSION,
    };
    const answer = await link.push({ clientId, schemaVersion: SCHEMA_VERSION, commands: [command] });
    expect(answer.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'invalid' })]);
    // The refusal is kept, for the room to see, without what it said.
    const { changes } = await room.storage.changes(0, 100_000);
    expect(changes.find((change) => change.id === command.commandId)?.doc).toMatchObject({ commandName: 'incident.addLog', operator: 'dan', args: null, code: 'invalid' });
    expect(await room.opened.everything()).not.toContain(MALFORMED_LOG);
  });

  it('a command whose arguments do not parse, naming an incident erased after it arrived, goes with the erasure', async () => {
    const MALFORMED_LOG = 'Witness Anselm Dufresne-Ekwueme heard shouting';
    const incident = await incidentWithCaller();
    const link = room.link(deskC());
    const clientId = randomUUID();
    const command = {
      commandId: randomUUID(), clientId, clientSeq: 1, name: 'incident.addLog', args: { incidentId: incident.id, entryId: 'not-an-id', text: MALFORMED_LOG },
      issuedAt: new Date(T0).toISOString(), operator: 'dan', ticket: link.ticketFor('dan', clientId), workstation: 'WS-X', schemaVersion: SCHEMA_VERSION,
    };
    expect((await link.push({ clientId, schemaVersion: SCHEMA_VERSION, commands: [command] })).outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'invalid' })]);
    expect(await room.opened.everything()).toContain(MALFORMED_LOG);
    await close(incident.id);
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await room.sync(adminDesk());
    await call(adminDesk(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: 'Retention period ended' });
    expect(await room.opened.everything()).not.toContain(MALFORMED_LOG);
  });

  it('a call is erased on its own: it leaves the workstations and the server, and its audit entries stay with the erasure’s', async () => {
    const contactId = '0b8f1c2e-4d6a-4e8b-9c1d-2f3a4b5c6d7e';
    await runSystemCommands(room.storage, room.rules, [{ name: 'contact.receive', args: { contactId, source: '999', callerNumber: CALLER_NUMBER, receivedAt: new Date(T0).toISOString(), handsetLocation: null } }]);
    await call(adminDesk(), 'session.signIn', { operator: 'admin', password: 'shift-pw' });
    await room.sync(adminDesk());
    expect(adminDesk().store.server.get({ kind: 'contact', id: contactId })).toBeDefined();

    const { done } = await call<{ done: string }>(adminDesk(), 'admin.erase', { kind: 'contact', record: contactId, reason: 'Caller’s erasure request 2026/120' });
    expect(done).toMatch(/^erased the call/);
    await room.sync(adminDesk());
    expect(adminDesk().store.server.get({ kind: 'contact', id: contactId })).toBeUndefined();
    expect(await room.storage.record({ kind: 'contact', id: contactId })).toBeNull();
    expect(await room.opened.everything()).not.toContain(CALLER_NUMBER);
    expect(workstationFile('WS-ADMIN')).not.toContain(CALLER_NUMBER);
    expect(await verifyStorage(room.storage)).toMatchObject({ intact: true });
    const entries = await room.storage.findAudit({ about: 'record', recordKind: 'contact', recordId: contactId, force: 'DMO' }, null, 100);
    expect(entries.map((e) => e.kind)).toEqual(['erasure', 'collection']);
  });

  it('only a force administrator may erase', async () => {
    const incident = await incidentWithCaller();
    await close(incident.id);
    expect(await refusalOf(deskB(), 'admin.erase', { kind: 'incident', record: incident.reference, reason: 'Retention period ended' })).toContain('dan is not a force administrator');
    expect(await room.storage.record({ kind: 'incident', id: incident.id })).toMatchObject({ callerName: `${CALLER_NAME} (mother)` });
  });
});
