import { describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import { hashPassword } from '../../node-common/passwords';
import { TICKET_LIFETIME_MS } from '../../server/access/tickets';
import { pageForClient } from '../../server/outcome-for-client';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { ConflictView, RefusalView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { registerTestOperators } from '../fakes/access';
import type { InProcessLink } from '../fakes/in-process-link';
import { inProcessRoom } from '../fakes/in-process-room';

/**
 * The room's refused commands, handled from several desks at once: the first handling wins and the others lose
 * visibly. Console cores on one server storage, each with its own link that the test cuts and restores, on a clock
 * the test moves.
 */
const at = (time: string) => Date.parse(`2026-12-01T${time}:00.000Z`);

// Alice signed in at her desk thirty days ago, at 07:00: her ticket lapses at 07:00 today.
const room = inProcessRoom({
  open: async () => ({ storage: SqliteStorage.open(':memory:') }),
  startsAt: at('07:00') - TICKET_LIFETIME_MS,
  operators: { alice: ['call_handler'], carol: ['call_handler', 'dispatcher', 'supervisor'], sam: ['call_handler', 'dispatcher', 'supervisor'] },
  desks: [],
});

/** A workstation started in the room now, and its link. */
async function desk(workstation: string): Promise<{ core: ConsoleCore; link: InProcessLink }> {
  const core = await room.addDesk(workstation);
  return { core, link: room.link(core) };
}

async function call<T>(core: ConsoleCore, channel: string, request: unknown): Promise<T> {
  const reply = await core.dispatch(channel, request);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.value as T;
}

async function syncAll(): Promise<void> {
  for (let round = 0; round < 2; round++) await room.sync(...room.cores);
}

const waiting = async (core: ConsoleCore) => (await call<{ refusals: RefusalView[] }>(core, 'refusals.list', {})).refusals;
const serverRefusal = (id: string) => JSON.parse((room.storage.database.prepare(`SELECT doc FROM records WHERE kind = 'refusal' AND id = ?`).get(id) as { doc: string }).doc) as RefusalView;
const serverLines = () => (room.storage.database.prepare(`SELECT json_extract(doc, '$.author') AS author, json_extract(doc, '$.text') AS text FROM records WHERE kind = 'logEntry' AND json_extract(doc, '$.kind') = 'note' ORDER BY seq`).all() as { author: string; text: string }[]).map((r) => [r.author, r.text]);

/** Alice's line written after her sign-in lapsed: held at her desk, and a refusal every desk receives. */
async function aHeldLine(): Promise<{ alice: ConsoleCore; aliceLink: InProcessLink; incidentId: string; refusalId: string }> {
  const { core: alice, link: aliceLink } = await desk('WS-A');
  await call(alice, 'session.signIn', { operator: 'alice', password: 'shift-pw' });
  const { incident } = await call<{ incident: { id: string } }>(alice, 'incidents.create', { type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: 'Caller reports a break-in' });
  await syncAll();
  room.clock.set(at('08:00'));
  await call(alice, 'incidents.addLog', { incidentId: incident.id, text: 'Written after the lapse' });
  await syncAll();
  expect(alice.sync.status().held).toEqual([{ operator: 'alice', commands: 1, accountDeactivated: false, reason: expect.any(String) }]);
  const [refusal] = await waiting(alice);
  return { alice, aliceLink, incidentId: incident.id, refusalId: refusal!.id };
}

describe('a refused command handled from several desks', () => {
  it('two supervisors who redo the same refusal offline: the first to reach the server does it, the other loses it to the conflict inbox', async () => {
    const { alice, incidentId, refusalId } = await aHeldLine();
    const { core: carol, link: carolLink } = await desk('WS-B');
    const { core: sam, link: samLink } = await desk('WS-C');
    await call(carol, 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    await call(sam, 'session.signIn', { operator: 'sam', password: 'shift-pw' });
    await syncAll();
    expect((await waiting(carol)).map((r) => [r.id, r.operator, r.workstation, r.code])).toEqual([[refusalId, 'alice', 'WS-A', 'unauthenticated']]);

    // Both desks lose the server, and both redo it meanwhile: each sees it done, in their own name, not yet confirmed.
    carolLink.up = false;
    samLink.up = false;
    room.clock.set(at('08:10'));
    await call(carol, 'refused.redo', { commandId: refusalId });
    await call(sam, 'refused.redo', { commandId: refusalId });
    expect(await waiting(carol)).toEqual([]);
    expect(carol.store.view.logOf(incidentId).map((e) => [e.author, e.text, e.pending])).toContainEqual(['carol', 'Written after the lapse', true]);

    carolLink.up = true;
    await syncAll();
    samLink.up = true;
    await syncAll();

    // Done once, as carol's; sam's redo lost, and waits in his conflict inbox saying who did it first.
    expect(serverLines()).toEqual([
      ['alice', 'Caller reports a break-in'],
      ['carol', 'Written after the lapse'],
    ]);
    expect(serverRefusal(refusalId)).toMatchObject({ status: 'handled', action: 'redone', handledBy: 'carol' });
    const { conflicts } = await call<{ conflicts: ConflictView[] }>(sam, 'conflicts.list', {});
    expect(conflicts.map((c) => [c.operator, c.commandName, c.reason])).toEqual([['sam', 'incident.addLog', 'this refused command was already redone by carol at 08:10']]);
    expect(sam.store.view.logOf(incidentId).filter((e) => e.kind === 'note').map((e) => [e.author, e.text, e.pending])).toEqual([
      ['alice', 'Caller reports a break-in', false],
      ['carol', 'Written after the lapse', false],
    ]);
    // Alice's desk follows: nothing held any more, and her signing in again sends nothing.
    expect(alice.sync.status()).toMatchObject({ held: [], deadLetters: 0 });
    await call(alice, 'session.signIn', { operator: 'alice', password: 'shift-pw' });
    await syncAll();
    expect(serverLines()).toHaveLength(2);
  });

  it('the issuer signing in again after a supervisor dismissed her held command: the resend loses to the dismissal, visibly', async () => {
    const { alice, aliceLink, incidentId, refusalId } = await aHeldLine();
    const { core: carol } = await desk('WS-B');
    await call(carol, 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    await syncAll();
    // Her desk has not heard yet when she signs in again: it sends the held line as hers.
    aliceLink.up = false;
    room.clock.set(at('08:20'));
    await call(carol, 'refused.dismiss', { commandId: refusalId, reason: 'Written on the wrong incident' });
    await syncAll();
    aliceLink.up = true;
    await call(alice, 'session.signIn', { operator: 'alice', password: 'shift-pw' });
    await syncAll();

    expect(serverLines()).toEqual([['alice', 'Caller reports a break-in']]);
    expect(serverRefusal(refusalId)).toMatchObject({ status: 'handled', action: 'dismissed', handledBy: 'carol', handledReason: 'Written on the wrong incident' });
    const { conflicts } = await call<{ conflicts: ConflictView[] }>(alice, 'conflicts.list', {});
    expect(conflicts.map((c) => [c.operator, c.reason])).toEqual([['alice', 'this refused command was already dismissed by carol at 08:20: Written on the wrong incident']]);
    expect(alice.store.view.logOf(incidentId).filter((e) => e.kind === 'note').map((e) => e.text)).toEqual(['Caller reports a break-in']);
    // Her refused list says what happened to it, as the server does: dismissed by carol, not sent again.
    const { handled } = await call<{ handled: { action: string; by: string }[] }>(alice, 'sync.deadLetters', {});
    expect(handled.map((h) => [h.action, h.by])).toEqual([['dismissed', 'carol']]);
  });

  it('a call handler at another desk neither sees nor may redo or dismiss a refusal not hers; a supervisor sees it', async () => {
    const { refusalId } = await aHeldLine();
    await registerTestOperators(room.storage, room.rules, ['dave'], ['call_handler']);
    await room.storage.setCredential('dave', await hashPassword('shift-pw'));
    const { core: dave } = await desk('WS-D');
    await call(dave, 'session.signIn', { operator: 'dave', password: 'shift-pw' });
    const pushed: unknown[] = [];
    dave.onEvent((event, payload) => {
      if (event === 'records.changed') pushed.push(...(payload as { refusals: unknown[] }).refusals);
    });
    const { core: carol } = await desk('WS-C');
    await call(carol, 'session.signIn', { operator: 'carol', password: 'shift-pw' });
    await syncAll();
    // The room's list (and the text of what alice wrote) is the supervisor's: dave is shown only his own, none.
    expect(await waiting(dave)).toEqual([]);
    expect(pushed).toEqual([]);
    expect((await waiting(carol)).map((r) => [r.id, r.operator])).toEqual([[refusalId, 'alice']]);
    expect(await dave.dispatch('refused.redo', { commandId: refusalId })).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'only alice or a supervisor may redo this refused command' } });
    expect(await dave.dispatch('refused.dismiss', { commandId: refusalId, reason: 'not mine' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('a workstation of an older schema version', () => {
  it('is sent no refusal records, which it could not read, and its cursor still moves past them', () => {
    const page = {
      since: 0,
      upTo: 2,
      head: 2,
      hasMore: false,
      lastClientSeq: 0,
      rejected: [],
      changes: [
        { seq: 1, kind: 'incident', id: 'i1', doc: { force: 'DMO' } },
        { seq: 2, kind: 'refusal', id: 'r1', doc: { force: 'DMO' } },
      ],
    };
    expect(pageForClient(page, { clientId: 'ws', schemaVersion: 2, force: 'DMO' }).changes.map((c) => c.kind)).toEqual(['incident']);
    expect(pageForClient(page, { clientId: 'ws', schemaVersion: 2, force: 'DMO' }).upTo).toBe(2);
    expect(pageForClient(page, { clientId: 'ws', schemaVersion: 3, force: 'DMO' }).changes.map((c) => c.kind)).toEqual(['incident', 'refusal']);
  });
});
