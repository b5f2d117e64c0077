import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpError } from '../../server/http/read-body';
import { planCommand } from '../../server/commands/plan-command';
import { DeviceWithdrawn, RevocationsMoved, type CommandPlan, type ServerStorage } from '../../server/storage/storage';
import type { AnyRecord } from '../../shared/domain/records';
import { MIN_CLIENT_SCHEMA_VERSION, SCHEMA_VERSION } from '../../shared/sync/protocol';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { registerTestOperators } from '../fakes/access';
import { eventually } from '../fakes/fixtures';
import { createIncidentCommand, fixedRules, postgresFactory, pushTo, sqliteFactory, type OpenedStorage } from '../fakes/storages';
import { unverifiedLocation } from '../../shared/domain/location';

// The storage semantics, once, for every storage: the embedded SQLite file and PostgreSQL must answer alike.
const cluster = postgresForThisFile();

const processedAt = '2026-11-29T10:00:00.000Z';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('server storage on $name', (factory) => {
  const clientId = randomUUID();
  let opened: OpenedStorage;
  let storage: ServerStorage;
  /** Where the head and the command log stand before the test's own commands: its operator is registered already. */
  let base: number;
  let baseLog: number;
  beforeEach(async () => {
    opened = await factory.open();
    storage = opened.storage;
    await registerTestOperators(storage, fixedRules, ['alice']);
    base = await storage.head();
    baseLog = await opened.count('command_log');
  });
  afterEach(() => opened.close());

  const envelope = (clientSeq: number, overrides = {}) => createIncidentCommand(clientId, clientSeq, overrides);
  const push = (commands: unknown[], extra: Record<string, unknown> = {}) => pushTo(storage, clientId, commands, extra);
  const everything = () => storage.pull({ since: base, clientId, afterClientSeq: 0, limit: 5000 });

  it('applies a command once however often it arrives, answering the same each time', async () => {
    const first = envelope(1);
    const once = await push([first]);
    const again = await push([first]);
    const andAgain = await push([first, envelope(2)]);
    // A creation writes two records, the incident and its log's first line: the outcome names the head after both.
    expect(once.outcomes).toEqual([{ commandId: first.commandId, clientSeq: 1, status: 'applied', seq: base + 2 }]);
    expect(again.outcomes).toEqual(once.outcomes);
    expect(andAgain.outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    expect((await everything()).changes.filter((c) => c.kind === 'incident')).toHaveLength(2);
    expect(await opened.count('command_log')).toBe(baseLog + 2);
  });

  it('stops at a gap in the client’s sequence and says how far it got', async () => {
    const response = await push([envelope(1), envelope(3)]);
    expect(response.outcomes).toHaveLength(1);
    expect(response.lastClientSeq).toBe(1);
    expect(await storage.lastClientSeq(clientId)).toBe(1);
  });

  it('refuses one malformed command by itself and applies those around it', async () => {
    const response = await push([envelope(1), { ...envelope(2), operator: '' }, envelope(3)]);
    expect(response.outcomes.map((o) => o.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(response.outcomes[1]).toMatchObject({ code: 'invalid', reason: expect.stringContaining('operator') });
    expect(response.lastClientSeq).toBe(3);
  });

  it('refuses a command carrying another client’s id', async () => {
    const response = await push([envelope(1, { clientId: randomUUID() })]);
    expect(response.outcomes[0]).toMatchObject({ status: 'rejected', reason: 'the command names another client' });
  });

  it('turns away a workstation whose schema version it does not accept, recording nothing', async () => {
    await expect(push([envelope(1)], { schemaVersion: SCHEMA_VERSION + 1 })).rejects.toThrow(HttpError);
    await expect(push([envelope(1)], { schemaVersion: SCHEMA_VERSION + 1 })).rejects.toThrow(`accepts ${MIN_CLIENT_SCHEMA_VERSION} to ${SCHEMA_VERSION}); update the server`);
    await expect(push([envelope(1)], { schemaVersion: MIN_CLIENT_SCHEMA_VERSION - 1 })).rejects.toThrow(/update the workstation$/);
    expect(await opened.count('command_log')).toBe(baseLog);
  });

  it('answers a command sent again unchanged as the first time, and refuses (409) the same id with other content, another id in its place, or its id in another place, applying none of them', async () => {
    const first = envelope(1);
    const applied = (await push([first])).outcomes;
    // The same command again, even with a newer ticket and its arguments' keys in another order: a retry.
    const reordered = Object.fromEntries(Object.entries(first.args as Record<string, unknown>).reverse());
    expect((await push([{ ...first, args: reordered }])).outcomes).toEqual(applied);
    const refusals: [string, unknown][] = [
      ['other arguments', { ...first, args: { ...(first.args as object), grade: '1' } }],
      ['another operator', { ...first, operator: 'bob' }],
      ['another time', { ...first, issuedAt: '2026-11-29T09:58:00.000Z' }],
      ['another id in its place', { ...first, commandId: randomUUID() }],
      ['its id in another place', { ...first, clientSeq: 2 }],
    ];
    const logged = await opened.count('command_log');
    const head = await storage.head();
    for (const [what, command] of refusals) {
      const refused = push([command]);
      await expect(refused, what).rejects.toThrow(HttpError);
      await expect(refused, what).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/^command .* (taken already|cannot take its place)/) });
    }
    expect(await opened.count('command_log')).toBe(logged);
    expect(await storage.head()).toBe(head);
    expect(await opened.count('audit_log')).toBeGreaterThan(0);
    // Another workstation's command id is not this one's to use.
    const otherClient = randomUUID();
    const theirs = createIncidentCommand(otherClient, 1);
    await pushTo(storage, otherClient, [theirs]);
    await expect(push([{ ...envelope(2), commandId: theirs.commandId }])).rejects.toMatchObject({ status: 409, message: `command id ${theirs.commandId} is another workstation's command: a command id is used once` });
    expect((await push([envelope(2)])).outcomes.map((o) => o.status)).toEqual(['applied']);
  });

  it('refuses in its place a command nested past reason, without failing the batch or the server', async () => {
    let deep: unknown = 1;
    for (let level = 0; level < 200_000; level++) deep = [deep];
    const response = await push([envelope(1), { ...envelope(2), args: deep }, envelope(3)]);
    expect(response.outcomes.map((o) => o.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(response.outcomes[1]).toMatchObject({ code: 'invalid', reason: 'malformed command: its contents nest deeper than 64 levels' });
  });

  it('numbers incidents of the day in order, the same number never given twice', async () => {
    await push([envelope(1), envelope(2), envelope(3)]);
    const refs = (await everything()).changes.filter((c) => c.kind === 'incident').map((c) => (c.doc as { reference: string }).reference);
    expect(refs).toEqual(['DMO-20261129-0001', 'DMO-20261129-0002', 'DMO-20261129-0003']);
  });

  it('keeps a serial only with the records that carry it: a refusal that writes nothing gives its number back', async () => {
    const drawsThenRefuses: CommandPlan = {
      reads: [],
      force: 'DMO',
      decide: (_state, nextSerial) => {
        nextSerial('incident-reference:2026-11-29');
        return { status: 'rejected', code: 'conflict', reason: 'lost the race', changes: [] };
      },
    };
    const refused = await storage.process(envelope(1), drawsThenRefuses, processedAt);
    expect(refused).toMatchObject({ kind: 'processed', wrote: false, head: base, outcome: { status: 'rejected', code: 'conflict' } });
    await push([envelope(2)]);
    expect((await everything()).changes[0]?.doc).toMatchObject({ reference: 'DMO-20261129-0001' });
  });

  it('writes the records of a refusal (a conflict for the inbox) with sequence numbers, and moves the head', async () => {
    const creation = envelope(1);
    const conflict: CommandPlan = {
      reads: [],
      force: 'DMO',
      decide: (_state, nextSerial) => {
        const decided = planCommand(creation, fixedRules, { trusted: true }).decide({ get: () => undefined }, nextSerial);
        // One record, standing for the conflict a refusal writes.
        return { status: 'rejected', code: 'conflict', reason: 'someone else got there first', changes: decided.changes.filter((c) => c.kind === 'incident') };
      },
    };
    const result = await storage.process(creation, conflict, processedAt);
    expect(result).toEqual({
      kind: 'processed',
      wrote: true,
      head: base + 1,
      outcome: { commandId: creation.commandId, clientSeq: 1, status: 'rejected', code: 'conflict', reason: 'someone else got there first' },
    });
    const pulled = await everything();
    expect(pulled).toMatchObject({ head: base + 1, lastClientSeq: 1, rejected: [expect.objectContaining({ clientSeq: 1, code: 'conflict' })] });
    expect(pulled.changes).toEqual([expect.objectContaining({ seq: base + 1, kind: 'incident', doc: expect.objectContaining({ reference: 'DMO-20261129-0001' }) })]);
    expect(await storage.process(creation, conflict, processedAt)).toMatchObject({ kind: 'duplicate', outcome: (result as { outcome: unknown }).outcome, sent: { commandId: creation.commandId, clientSeq: creation.clientSeq } });
  });

  it('gives a record written twice by one command the later document and number', async () => {
    const creation = envelope(1);
    const twice: CommandPlan = {
      reads: [],
      force: 'DMO',
      decide: (_state, nextSerial) => {
        const [incident] = planCommand(creation, fixedRules, { trusted: true }).decide({ get: () => undefined }, nextSerial).changes;
        if (incident?.kind !== 'incident') throw new Error('incident.create made no incident');
        const edited: AnyRecord = { kind: 'incident', id: incident.id, doc: { ...incident.doc, location: unverifiedLocation('Corn Exchange') } };
        return { status: 'applied', changes: [incident, edited] };
      },
    };
    const result = await storage.process(creation, twice, processedAt);
    expect(result).toMatchObject({ head: base + 2, outcome: { status: 'applied', seq: base + 2 } });
    const pulled = await everything();
    expect(pulled.changes).toEqual([expect.objectContaining({ seq: base + 2, doc: expect.objectContaining({ location: unverifiedLocation('Corn Exchange') }) })]);
    expect(pulled.head).toBe(base + 2);
  });

  it('lets a command read only the records it declares, and writes nothing when it reads another', async () => {
    const undeclared: CommandPlan = {
      reads: [{ kind: 'incident', id: randomUUID() }],
      force: 'DMO',
      decide: (state) => {
        state.get('incident', randomUUID());
        return { status: 'applied', changes: [] };
      },
    };
    await expect(storage.process(envelope(1), undeclared, processedAt)).rejects.toThrow(/does not declare/);
    expect(await storage.lastClientSeq(clientId)).toBe(0);
    expect(await opened.count('command_log')).toBe(baseLog);
  });

  it('serves the declared records as they are now, and none that do not exist', async () => {
    const first = envelope(1);
    await push([first]);
    const incidentId = (first.args as { incidentId: string }).incidentId;
    const missing = randomUUID();
    const seen: unknown[] = [];
    await storage.process(envelope(2), {
      reads: [{ kind: 'incident', id: incidentId }, { kind: 'incident', id: missing }],
      force: 'DMO',
      decide: (state) => {
        seen.push(state.get('incident', incidentId)?.reference, state.get('incident', missing));
        return { status: 'applied', changes: [] };
      },
    }, processedAt);
    expect(seen).toEqual(['DMO-20261129-0001', undefined]);
  });

  it('reads in the same transaction what the declared records lead to, round by round, and nothing the plan does not name', async () => {
    const first = envelope(1);
    await push([first]);
    const incidentId = (first.args as { incidentId: string }).incidentId;
    const logId = (await storage.pull({ since: base, clientId, afterClientSeq: 0, limit: 10 })).changes.find((c) => c.kind === 'logEntry')!.id;
    const seen: unknown[] = [];
    // The log line is named only once the incident has been read: a second round of reads.
    await storage.process(envelope(2), {
      reads: [{ kind: 'incident', id: incidentId }],
      thenReads: (state) => (state.get('incident', incidentId) ? [{ kind: 'logEntry', id: logId }] : []),
      force: 'DMO',
      decide: (state) => {
        seen.push(state.get('logEntry', logId)?.incidentId);
        expect(() => state.get('incident', randomUUID())).toThrow(/does not declare/);
        return { status: 'applied', changes: [] };
      },
    }, processedAt);
    expect(seen).toEqual([incidentId]);
  });

  it('pages a pull and reports the client’s progress and refusals from the same snapshot', async () => {
    await push([envelope(1), { ...envelope(2), name: 'incident.explode' }, envelope(3)]);
    // Two creations applied and one refused: five records (each incident and its log's first line, the refusal's record).
    const first = await storage.pull({ since: base, clientId, afterClientSeq: 0, limit: 1 });
    expect(first).toMatchObject({ since: base, upTo: base + 1, head: base + 5, hasMore: true, lastClientSeq: 3 });
    expect(first.rejected).toEqual([expect.objectContaining({ clientSeq: 2, reason: 'unknown command "incident.explode"' })]);
    const rest = await storage.pull({ since: first.upTo, clientId, afterClientSeq: 2, limit: 100 });
    expect(rest).toMatchObject({ since: base + 1, upTo: base + 5, head: base + 5, hasMore: false, rejected: [] });
    expect(rest.changes.map((c) => c.kind)).toEqual(['logEntry', 'refusal', 'incident', 'logEntry']);
    // A client's part of a page alone (what the server's coalesced pulls read apiece) says the same as its pulls, with
    // the head of its snapshot (a pull from there has nothing else to read).
    expect(await storage.progress(clientId, 0)).toEqual({ head: base + 5, lastClientSeq: 3, rejected: first.rejected });
    expect(await storage.progress(clientId, 2)).toEqual({ head: base + 5, lastClientSeq: 3, rejected: [] });
    expect(await storage.progress(randomUUID(), 0)).toEqual({ head: base + 5, lastClientSeq: 0, rejected: [] });
    // And the shared part (read once for a burst of pulls, and for each live batch) the same as the pulls' pages.
    const { lastClientSeq: _own, rejected: _refused, ...shared } = first;
    expect(await storage.changes(base, 1)).toEqual(shared);
    expect(await storage.changes(first.upTo, 100)).toEqual({ since: rest.since, upTo: rest.upTo, head: rest.head, changes: rest.changes, hasMore: false });
    expect(await storage.changes(base + 5, 100)).toEqual({ since: base + 5, upTo: base + 5, head: base + 5, changes: [], hasMore: false });
  });

  it('answers a pull from a cursor at the head with nothing, and a client never seen with progress 0', async () => {
    await push([envelope(1)]);
    expect(await storage.head()).toBe(base + 2);
    expect(await storage.pull({ since: base + 2, clientId: randomUUID(), afterClientSeq: 0, limit: 10 })).toEqual({
      since: base + 2, upTo: base + 2, head: base + 2, changes: [], hasMore: false, lastClientSeq: 0, rejected: [],
    });
    expect(await storage.lastClientSeq(randomUUID())).toBe(0);
  });

  it('keeps an odd command name and its refusal, and answers a resend of it the same', async () => {
    const odd = { ...envelope(1), name: 'bad\u0000name' };
    const [refused] = (await push([odd])).outcomes;
    expect(refused).toMatchObject({ status: 'rejected', code: 'invalid', reason: expect.stringContaining('unknown command') });
    expect((await push([odd])).outcomes).toEqual([refused]);
    expect(await storage.lastClientSeq(clientId)).toBe(1);
  });

  it('gives each enrolment of a workstation name the next generation of provisional references, never one twice', async () => {
    const enrol = (on: ServerStorage, client: string, workstation: string) => on.enrolDevice({ clientId: client, workstation, force: 'DMO', tokenHash: randomUUID(), enrolledAt: processedAt });
    expect(await enrol(storage, randomUUID(), 'CT 3')).toEqual({ referenceGeneration: 1 });
    const rebuilt = randomUUID();
    expect(await enrol(storage, rebuilt, 'ct-3')).toEqual({ referenceGeneration: 2 }); // the same references' prefix, CT-3
    expect(await enrol(storage, rebuilt, 'CT 3')).toEqual({ referenceGeneration: 3 }); // enrolling again: a new one
    expect(await enrol(storage, randomUUID(), 'CT 4')).toEqual({ referenceGeneration: 1 });
    // Two server instances on one database, enrolling the same name at once.
    const other = (await opened.another()) ?? storage;
    const drawn = await Promise.all(Array.from({ length: 6 }, (_, i) => enrol(i % 2 ? other : storage, randomUUID(), 'CT 5')));
    expect(drawn.map((d) => ('referenceGeneration' in d ? d.referenceGeneration : null)).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps a revoked workstation out by its token and names its enrolments; an operator’s tickets revoked again move on', async () => {
    const enrol = (client: string, tokenHash: string) => storage.enrolDevice({ clientId: client, workstation: 'CT 7', force: 'DMO', tokenHash, enrolledAt: processedAt });
    const [first, second] = [randomUUID(), randomUUID()];
    await enrol(first, 'hash-one');
    await enrol(second, 'hash-two');
    expect((await storage.devicesNamed('CT 7')).map((d) => d.clientId).sort()).toEqual([first, second].sort());
    expect(await storage.deviceByTokenHash('hash-one')).toMatchObject({ clientId: first });

    await storage.revoke({ kind: 'device', subject: first, revokedAt: processedAt, reason: 'stolen' });
    expect(await storage.deviceByTokenHash('hash-one')).toBeNull();
    expect(await storage.deviceByTokenHash('hash-two')).toMatchObject({ clientId: second });
    expect(await storage.revocation('device', first)).toEqual({ kind: 'device', subject: first, revokedAt: processedAt, reason: 'stolen' });
    expect(await storage.revocation('device', second)).toBeNull();
    // Its token says whose it was (the workstation and its force), so the refusal can say the workstation was revoked, when and why, and be audited as its.
    expect(await storage.revocationOfToken('hash-one')).toEqual({ kind: 'device', subject: first, revokedAt: processedAt, reason: 'stolen', workstation: 'CT 7', force: 'DMO' });
    expect(await storage.revocationOfToken('hash-two')).toBeNull();
    expect(await storage.revocationOfToken('no-such-hash')).toBeNull();

    await storage.revoke({ kind: 'tickets', subject: 'alice', revokedAt: '2026-11-29T10:00:00.000Z', reason: 'first' });
    await storage.revoke({ kind: 'tickets', subject: 'alice', revokedAt: '2026-11-29T11:00:00.000Z', reason: 'again' });
    expect(await storage.revocation('tickets', 'alice')).toEqual({ kind: 'tickets', subject: 'alice', revokedAt: '2026-11-29T11:00:00.000Z', reason: 'again' });
    // A device's revocation and an operator's are apart, even under one name.
    expect(await storage.revocation('device', 'alice')).toBeNull();
  });

  it('processes nothing of a batch planned against ticket revocations that have changed since, and says whose', async () => {
    const command = envelope(1);
    const batch = [{ envelope: command, plan: planCommand(command, fixedRules), processedAt }];
    await storage.revoke({ kind: 'tickets', subject: 'alice', revokedAt: '2026-11-29T10:00:00.000Z', reason: 'password seen' });
    // Planned as though alice's tickets had never been revoked: refused whole, with what the storage holds.
    const refused = await storage.processBatch(batch, () => true, { tickets: new Map([['alice', null]]) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RevocationsMoved);
    expect((refused as RevocationsMoved).revokedAt).toEqual(new Map([['alice', '2026-11-29T10:00:00.000Z']]));
    expect(await opened.count('command_log')).toBe(baseLog);
    expect(await storage.lastClientSeq(clientId)).toBe(0);
    // Planned against the revocation as it stands: processed.
    const [result] = await storage.processBatch(batch, () => true, { tickets: new Map([['alice', '2026-11-29T10:00:00.000Z']]) });
    expect(result).toMatchObject({ kind: 'processed', outcome: { status: 'applied' } });
  });

  it('processes nothing of a batch from a device token that no longer admits its workstation: revoked, or enrolled again since', async () => {
    const command = envelope(1);
    const batch = [{ envelope: command, plan: planCommand(command, fixedRules), processedAt }];
    const enrol = (tokenHash: string) => storage.enrolDevice({ clientId, workstation: 'CT 8', force: 'DMO', tokenHash, enrolledAt: processedAt });
    await enrol('hash-old');
    await enrol('hash-new');
    // The server's copy still took the old token for this workstation: its push is refused whole.
    const replaced = await storage.processBatch(batch, () => true, { device: { clientId, tokenHash: 'hash-old' } }).catch((error: unknown) => error);
    expect(replaced).toBeInstanceOf(DeviceWithdrawn);
    expect(await opened.count('command_log')).toBe(baseLog);
    await storage.revoke({ kind: 'device', subject: clientId, revokedAt: processedAt, reason: 'stolen' });
    const revoked = await storage.processBatch(batch, () => true, { device: { clientId, tokenHash: 'hash-new' } }).catch((error: unknown) => error);
    expect(revoked).toBeInstanceOf(DeviceWithdrawn);
    expect(await opened.count('command_log')).toBe(baseLog);
    expect(await storage.lastClientSeq(clientId)).toBe(0);
  });

  it('processes a batch from a device token that admits its workstation', async () => {
    const command = envelope(1);
    await storage.enrolDevice({ clientId, workstation: 'CT 8', force: 'DMO', tokenHash: 'hash-kept', enrolledAt: processedAt });
    const [result] = await storage.processBatch([{ envelope: command, plan: planCommand(command, fixedRules), processedAt }], () => true, { device: { clientId, tokenHash: 'hash-kept' } });
    expect(result).toMatchObject({ kind: 'processed', outcome: { status: 'applied' } });
  });

  it('says in one question which of many workstations have been revoked, and none for an empty room', async () => {
    const clients = Array.from({ length: 300 }, () => randomUUID());
    for (const revoked of [clients[7]!, clients[250]!]) await storage.revoke({ kind: 'device', subject: revoked, revokedAt: processedAt, reason: 'stolen' });
    await storage.revoke({ kind: 'tickets', subject: clients[9]!, revokedAt: processedAt, reason: 'an operator’s tickets, not a device' });
    expect((await storage.revokedAmong('device', clients)).sort()).toEqual([clients[7], clients[250]].sort());
    expect(await storage.revokedAmong('device', [])).toEqual([]);
  });

  it('does not report its own changes as another instance’s', async () => {
    const heard: number[] = [];
    const stop = storage.onExternalChange((head) => heard.push(head));
    await push([envelope(1), envelope(2)]);
    // The marker: a change made through another instance afterwards. Changes are heard in commit order, so once
    // it is heard, this instance's own two would have been too.
    const other = await opened.another();
    if (other) {
      const otherClient = randomUUID();
      await pushTo(other, otherClient, [createIncidentCommand(otherClient, 1)]);
      await eventually(() => heard.includes(base + 6), 'this instance hears of the change made through the other');
    }
    stop();
    // Each creation writes two records: this instance's two make the head base + 4, the other's base + 6.
    expect(heard).toEqual(other ? [base + 6] : []);
  });
});
