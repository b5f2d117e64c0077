import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import { checkTicket, issueTicket, TICKET_CLOCK_SKEW_MS, TICKET_LIFETIME_MS } from '../../server/access/tickets';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { LogEntryView } from '../../shared/contract/views';
import type { DeadLetterView, HandledRefusalView } from '../../shared/contract/channels';
import { unverifiedLocation } from '../../shared/domain/location';
import { inProcessRoom } from '../fakes/in-process-room';

const at = (time: string) => Date.parse(`2026-12-01T${time}:00.000Z`);

// Alice signed in here with the server thirty days ago, at 07:00: her ticket (TICKET_LIFETIME_MS) lapses at 07:00 today.
const room = inProcessRoom({
  open: async () => ({ storage: SqliteStorage.open(':memory:') }),
  startsAt: at('07:00') - TICKET_LIFETIME_MS,
  operators: { alice: ['call_handler', 'dispatcher'], bob: ['call_handler', 'dispatcher'], carol: ['call_handler', 'dispatcher', 'supervisor'] },
  desks: ['WS-A'],
});
let core: ConsoleCore;
beforeEach(() => void (core = room.desk('WS-A')));

async function call<T>(channel: string, request: unknown): Promise<T> {
  const reply = await core.dispatch(channel, request);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.value as T;
}

const syncNow = () => room.sync(core);

const serverLog = () =>
  room.storage.database.prepare(`SELECT name, operator, issued_at AS issuedAt, status, code FROM command_log WHERE operator = 'alice' AND name = 'incident.addLog' ORDER BY client_seq`).all();

/** The server's copies of the log lines written offline (the operator's notes): author, the time each was written, its text. */
const serverLines = () =>
  (room.storage.database.prepare(`SELECT doc FROM records WHERE kind = 'logEntry' AND json_extract(doc, '$.kind') = 'note' ORDER BY json_extract(doc, '$.at')`).all() as { doc: string }[])
    .map((row) => JSON.parse(row.doc) as LogEntryView)
    .map((e) => [e.author, e.at, e.text]);

describe('a sign-in that lapses during an outage', () => {
  it('loses nothing: what was done before the lapse is accepted, what was done after is held, and sent as hers once she signs in again', async () => {
    await call('session.signIn', { operator: 'alice', password: 'shift-pw' });
    await syncNow();
    await call('session.signOut', {});

    // Today the network fails at 02:00; at 03:00 alice signs in here, checked by the workstation alone.
    room.clock.set(at('02:00'));
    room.link(core).up = false;
    room.clock.set(at('03:00'));
    expect(await call<{ signInMode: string }>('session.signIn', { operator: 'alice', password: 'shift-pw' })).toMatchObject({ signInMode: 'offline' });
    room.clock.set(at('04:00'));
    const { incident } = await call<{ incident: { id: string } }>('incidents.create', { type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: 'Caller reports a break-in' });
    room.clock.set(at('06:00'));
    await call('incidents.addLog', { incidentId: incident.id, text: 'Neighbour saw two men leave' });
    // 07:00: her ticket lapses. She keeps working.
    room.clock.set(at('08:00'));
    await call('incidents.addLog', { incidentId: incident.id, text: 'Scenes of crime requested' });
    room.clock.set(at('09:00'));
    await call('incidents.addLog', { incidentId: incident.id, text: 'Caller called back: a laptop is missing' });

    // The network returns at 10:00.
    room.clock.set(at('10:00'));
    room.link(core).up = true;
    await syncNow();
    expect(serverLog()).toEqual([
      { name: 'incident.addLog', operator: 'alice', issuedAt: new Date(at('06:00')).toISOString(), status: 'applied', code: null },
      { name: 'incident.addLog', operator: 'alice', issuedAt: new Date(at('08:00')).toISOString(), status: 'rejected', code: 'unauthenticated' },
      { name: 'incident.addLog', operator: 'alice', issuedAt: new Date(at('09:00')).toISOString(), status: 'rejected', code: 'unauthenticated' },
    ]);
    // The two refused are held, still on her screen, and she is asked to sign in again; nothing is refused for good.
    const status = core.sync.status();
    expect(status).toMatchObject({ held: [{ operator: 'alice', commands: 2, accountDeactivated: false, reason: expect.any(String) }], deadLetters: 0, pending: 0 });
    expect(core.store.view.logOf(incident.id).map((e) => [e.text, e.pending])).toEqual([
      ['Opened as Burglary (BURGLARY), grade 2 Priority, at 1 High Street; source: raised at the desk, not from a call', false],
      ['Caller reports a break-in', false],
      ['Neighbour saw two men leave', false],
      ['Scenes of crime requested', true],
      ['Caller called back: a laptop is missing', true],
    ]);
    const { deadLetters } = await call<{ deadLetters: DeadLetterView[] }>('sync.deadLetters', {});
    expect(deadLetters.map((d) => [d.operator, d.held])).toEqual([
      ['alice', true],
      ['alice', true],
    ]);

    // Bob signing in here sends nothing of hers; alice signing in with the server sends them again, as hers.
    await call('session.signIn', { operator: 'bob', password: 'shift-pw' });
    await syncNow();
    expect(core.sync.status().held).toEqual([{ operator: 'alice', commands: 2, accountDeactivated: false, reason: expect.stringMatching(/sign in again/) }]);
    room.clock.set(at('10:05'));
    await call('session.signIn', { operator: 'alice', password: 'shift-pw' });
    await syncNow();

    expect(core.sync.status()).toMatchObject({ held: [], deadLetters: 0, pending: 0 });
    expect(serverLines()).toEqual([
      ['alice', new Date(at('04:00')).toISOString(), 'Caller reports a break-in'],
      ['alice', new Date(at('06:00')).toISOString(), 'Neighbour saw two men leave'],
      ['alice', new Date(at('08:00')).toISOString(), 'Scenes of crime requested'],
      ['alice', new Date(at('09:00')).toISOString(), 'Caller called back: a laptop is missing'],
    ]);
    expect(core.store.view.logOf(incident.id).every((e) => !e.pending)).toBe(true);
    const { handled } = await call<{ handled: HandledRefusalView[] }>('sync.deadLetters', {});
    expect(handled.map((h) => [h.action, h.by])).toEqual([
      ['resent', 'alice'],
      ['resent', 'alice'],
    ]);
  });

  it('sends them as hers at once when the refusal comes after she has signed in again (the push was on its way)', async () => {
    await call('session.signIn', { operator: 'alice', password: 'shift-pw' });
    const { incident } = await call<{ incident: { id: string } }>('incidents.create', { type: 'BURGLARY', location: unverifiedLocation('3 High Street'), grade: '2', firstLog: null });
    await syncNow();
    room.link(core).up = false;
    room.clock.set(at('08:00')); // her ticket has lapsed
    await call('incidents.addLog', { incidentId: incident.id, text: 'Written after the lapse' });
    room.link(core).up = true;
    // She signs in again as the network returns, before the old push has been answered.
    await call('session.signIn', { operator: 'alice', password: 'shift-pw' });
    await syncNow();
    expect(core.sync.status()).toMatchObject({ held: [], deadLetters: 0, pending: 0 });
    expect(serverLines()).toContainEqual(['alice', new Date(at('08:00')).toISOString(), 'Written after the lapse']);
  });

  it('lets the one who issued a held command, or a supervisor, redo it in their own name or dismiss it with a reason, and no one else', async () => {
    await call('session.signIn', { operator: 'alice', password: 'shift-pw' });
    const { incident } = await call<{ incident: { id: string } }>('incidents.create', { type: 'BURGLARY', location: unverifiedLocation('2 High Street'), grade: '2', firstLog: null });
    await syncNow();
    room.link(core).up = false;
    room.clock.set(at('08:00')); // her ticket has lapsed
    await call('incidents.addLog', { incidentId: incident.id, text: 'First line after the lapse' });
    await call('incidents.addLog', { incidentId: incident.id, text: 'Second line after the lapse' });
    room.link(core).up = true;
    await syncNow();
    const { deadLetters } = await call<{ deadLetters: DeadLetterView[] }>('sync.deadLetters', {});
    const [first, second] = deadLetters;

    await call('session.signIn', { operator: 'bob', password: 'shift-pw' });
    expect(await core.dispatch('refused.dismiss', { commandId: first!.commandId, reason: 'not mine to judge' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'only alice or a supervisor may dismiss this refused command' },
    });
    expect(await core.dispatch('refused.dismiss', { commandId: first!.commandId, reason: '  ' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });

    await call('session.signIn', { operator: 'carol', password: 'shift-pw' });
    await call('refused.redo', { commandId: first!.commandId });
    await call('refused.dismiss', { commandId: second!.commandId, reason: 'Duplicate of the radio log' });
    await syncNow();

    expect(core.sync.status()).toMatchObject({ held: [], deadLetters: 0, pending: 0 });
    // Redone in carol's name, now; the dismissed line is gone from the screen; both decisions are in the server's log.
    expect(core.store.view.logOf(incident.id).map((e) => [e.author, e.text, e.pending])).toEqual([
      ['alice', 'Opened as Burglary (BURGLARY), grade 2 Priority, at 2 High Street; source: raised at the desk, not from a call', false],
      ['carol', 'First line after the lapse', false],
    ]);
    const decisions = room.storage.database.prepare(`SELECT operator, args FROM command_log WHERE name = 'refusal.handle' ORDER BY client_seq`).all() as { operator: string; args: string }[];
    expect(decisions.map((d) => [d.operator, JSON.parse(d.args)])).toEqual([
      ['carol', expect.objectContaining({ commandId: first!.commandId, issuedBy: 'alice', action: 'redone', redoneAs: expect.any(String) })],
      ['carol', expect.objectContaining({ commandId: second!.commandId, issuedBy: 'alice', action: 'dismissed', reason: 'Duplicate of the radio log' })],
    ]);
    const { handled } = await call<{ handled: HandledRefusalView[] }>('sync.deadLetters', {});
    expect(handled.map((h) => [h.action, h.by, h.handledReason])).toEqual([
      ['dismissed', 'carol', 'Duplicate of the radio log'],
      ['redone', 'carol', ''],
    ]);
    expect(await core.dispatch('refused.redo', { commandId: first!.commandId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('the server judges a ticket at the time its command was issued', () => {
  const secret = 'a-test-signing-key';
  const now = at('16:00');
  const ticketLapsingAt = (expiresAt: number) => issueTicket(secret, { operator: 'alice', clientId: 'c1', expiresAt });
  const check = (expiresAt: number, issuedAt: number) => checkTicket(secret, ticketLapsingAt(expiresAt), { operator: 'alice', clientId: 'c1', issuedAt, now });

  it('accepts, hours after its ticket lapsed, a command issued while the ticket was good', () => {
    expect(check(at('12:00'), at('11:00'))).toBeNull();
  });

  it('allows a workstation clock up to ten minutes fast, and no more', () => {
    expect(check(at('12:00'), at('12:00') + TICKET_CLOCK_SKEW_MS)).toBeNull();
    expect(check(at('12:00'), at('12:00') + TICKET_CLOCK_SKEW_MS + 60_000)).toBe("alice's sign-in had expired when this was done; sign in again");
  });

  it('takes a record of what happened (a look, a sign-in) on a ticket revoked or lapsed since, but never on one it did not issue to that operator there', () => {
    const fact = (ticket: string, over: { operator?: string; clientId?: string } = {}) =>
      checkTicket(secret, ticket, { operator: 'alice', clientId: 'c1', issuedAt: at('14:00'), now, revokedAt: at('13:00'), fact: true, ...over });
    expect(checkTicket(secret, ticketLapsingAt(at('18:00')), { operator: 'alice', clientId: 'c1', issuedAt: at('14:00'), now, revokedAt: at('13:00') })).toMatch(/revoked/);
    expect(fact(ticketLapsingAt(at('18:00')))).toBeNull();
    expect(fact(ticketLapsingAt(at('12:00')))).toBeNull();
    expect(fact(issueTicket('another-servers-key', { operator: 'alice', clientId: 'c1', expiresAt: at('18:00') }))).toBe('the sign-in ticket is not one this server issued');
    expect(fact(ticketLapsingAt(at('18:00')), { operator: 'mallory' })).toBe("the sign-in ticket is alice's, not mallory's");
    expect(fact(ticketLapsingAt(at('18:00')), { clientId: 'c2' })).toBe('the sign-in ticket belongs to another workstation');
  });

  it('does not believe an issue time more than ten minutes ahead of the server’s own clock', () => {
    // Claimed for tomorrow: judged as at the server's time plus the bound, when this ticket had long lapsed.
    expect(check(at('13:00'), at('13:00') + 86_400_000)).not.toBeNull();
    expect(check(now + 3_600_000, now + 86_400_000)).toBeNull();
  });
});
