import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import type { DeadLetterView, HandledRefusalView } from '../../shared/contract/channels';
import type { IncidentView, LogEntryView, RefusalView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { call, eventually } from '../fakes/fixtures';
import { workstationsOnServer } from '../fakes/workstations-on-server';
import { setRolesWhileRoomServerIsDown } from '../fakes/administered-offline';

/**
 * A refused command is an exception for the whole room, not only for the workstation that issued it: a real server
 * process and two workstations, the issuer's and a supervisor's at another desk.
 */
const room = workstationsOnServer();
const core = (workstation: string) => room.core(workstation);

/** Waits for a condition, asking the workstations to sync at once rather than waiting out their retry timers. */
async function syncedUntil(check: () => boolean | Promise<boolean>, description: string): Promise<void> {
  await eventually(
    async () => {
      for (const c of room.cores) c.sync.kick();
      return check();
    },
    description,
    15_000,
  );
}

const logOf = async (c: ConsoleCore, incidentId: string) => (await call<{ log: LogEntryView[] }>(c, 'incidents.get', { id: incidentId })).log.filter((e) => e.kind === 'note').map((e) => [e.author, e.text]);
const waiting = async (c: ConsoleCore) => (await call<{ refusals: RefusalView[] }>(c, 'refusals.list', {})).refusals;

describe("refused commands, seen and handled from another workstation", () => {
  it("a supervisor at her own desk sees the issuer's refused commands, dismisses one with a reason and redoes the other in her name; the issuer's alert clears", async () => {
    const issuer = core('WS-A');
    const supervisor = core('WS-B');
    await call(issuer, 'session.signIn', { operator: 'dan', password: 'demo' });
    await call(supervisor, 'session.signIn', { operator: 'carol', password: 'demo' });
    const { incident } = await call<{ incident: IncidentView }>(issuer, 'incidents.create', { type: 'THEFT', location: unverifiedLocation('Above Bar Street'), grade: '2', firstLog: 'Shoplifter detained by security' });
    await syncedUntil(() => supervisor.store.view.incident(incident.id)?.reference != null, 'the supervisor has the incident');

    // The server goes away; dan writes two lines meanwhile; an administrator moves him to training; it comes back.
    await room.server.stop();
    await call(issuer, 'incidents.addLog', { incidentId: incident.id, text: 'Security have CCTV of the theft' });
    await call(issuer, 'incidents.addLog', { incidentId: incident.id, text: 'Suspect gave a false name' });
    await setRolesWhileRoomServerIsDown(join(room.dir, 'central.sqlite'), 'dan', ['trainer']);
    await room.startServerAgain();
    await syncedUntil(() => issuer.sync.status().deadLetters === 2, "the issuer's alert: two commands refused");

    // The supervisor, at another desk, has both waiting: who issued them, where, and why they were refused.
    await syncedUntil(async () => (await waiting(supervisor)).length === 2, 'the supervisor sees both refusals waiting');
    const [cctv, falseName] = await waiting(supervisor);
    expect(cctv).toMatchObject({ operator: 'dan', workstation: 'WS-A', commandName: 'incident.addLog', code: 'forbidden', reason: 'dan may not write in an incident’s log', status: 'waiting' });
    expect(falseName!.args).toMatchObject({ text: 'Suspect gave a false name' });

    await call(supervisor, 'refused.dismiss', { commandId: cctv!.id, reason: 'Passed to the crew by radio instead' });
    const { redoneAs } = await call<{ redoneAs: string }>(supervisor, 'refused.redo', { commandId: falseName!.id });

    // The issuer's own list follows: nothing left waiting there, each handled as the supervisor handled it.
    await syncedUntil(() => issuer.sync.status().deadLetters === 0, "the issuer's alert clears");
    const { deadLetters, handled } = await call<{ deadLetters: DeadLetterView[]; handled: HandledRefusalView[] }>(issuer, 'sync.deadLetters', {});
    expect(deadLetters).toEqual([]);
    expect(handled.map((h) => [h.commandId, h.action, h.by, h.handledReason, h.redoneAs])).toEqual(
      expect.arrayContaining([
        [cctv!.id, 'dismissed', 'carol', 'Passed to the crew by radio instead', null],
        [falseName!.id, 'redone', 'carol', '', redoneAs],
      ]),
    );
    // The redone line is on the incident as carol's, at both desks; the dismissed one nowhere.
    const expected = [
      ['dan', 'Shoplifter detained by security'],
      ['carol', 'Suspect gave a false name'],
    ];
    // dan, a trainer now, may no longer open the incident (shared/contract/channel-access.ts): his workstation has it.
    const storedLog = () => issuer.store.view.logOf(incident.id).filter((e) => e.kind === 'note').map((e) => [e.author, e.text]);
    await syncedUntil(() => JSON.stringify(storedLog()) === JSON.stringify(expected), "the redo reaches the issuer's workstation");
    expect(await issuer.dispatch('incidents.get', { id: incident.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await logOf(supervisor, incident.id)).toEqual(expected);
    expect(await waiting(issuer)).toEqual([]);
    expect(await waiting(supervisor)).toEqual([]);

    // Handled once is handled: the same refusal cannot be redone again, here or there.
    await expect(call(supervisor, 'refused.redo', { commandId: cctv!.id })).rejects.toThrow(/no refused command .* waiting/);
    await expect(call(issuer, 'refused.redo', { commandId: falseName!.id })).rejects.toThrow(/no refused command .* waiting/);
  });

  it("a command held for its operator's sign-in, dismissed by a supervisor elsewhere, leaves the issuer's screen and is not sent when she signs in again", async () => {
    const issuer = core('WS-A');
    const supervisor = core('WS-B');
    await call(issuer, 'session.signIn', { operator: 'alice', password: 'demo' });
    await call(supervisor, 'session.signIn', { operator: 'carol', password: 'demo' });
    const { incident } = await call<{ incident: IncidentView }>(issuer, 'incidents.create', { type: 'BURGLARY', location: unverifiedLocation('Bargate'), grade: '2', firstLog: 'Alarm sounding at the jeweller' });
    await syncedUntil(() => supervisor.store.view.incident(incident.id)?.reference != null, 'the supervisor has the incident');

    // During an outage the server's ticket-signing key changes: alice's line is held at her desk for her sign-in.
    await room.server.stop();
    await call(issuer, 'incidents.addLog', { incidentId: incident.id, text: 'Keyholder on the way' });
    const db = new Database(join(room.dir, 'central.sqlite'));
    db.prepare(`UPDATE secrets SET value = 'a-new-signing-key' WHERE name = 'ticket-signing-key'`).run();
    db.close();
    await room.startServerAgain();
    await syncedUntil(() => issuer.sync.status().held.length === 1, "alice's line held for her sign-in");

    await call(supervisor, 'session.signIn', { operator: 'carol', password: 'demo' }); // her ticket went with the old key too
    await syncedUntil(async () => (await waiting(supervisor)).length === 1, 'the supervisor sees it held');
    const [held] = await waiting(supervisor);
    expect(held).toMatchObject({ operator: 'alice', workstation: 'WS-A', code: 'unauthenticated', status: 'waiting' });
    await call(supervisor, 'refused.dismiss', { commandId: held!.id, reason: 'Already on the incident from the keyholder call' });

    await syncedUntil(() => issuer.sync.status().held.length === 0, "the issuer's held alert clears");
    expect((await logOf(issuer, incident.id)).map(([, text]) => text)).toEqual(['Alarm sounding at the jeweller']);
    await call(issuer, 'session.signIn', { operator: 'alice', password: 'demo' });
    // Nothing of hers goes again (it was handled): only her sign-in, for the audit log.
    expect(issuer.store.outbox.pending().map((entry) => entry.envelope.name)).toEqual(['operator.signedIn']);
    await syncedUntil(async () => (await waiting(issuer)).length === 0, 'nothing waits anywhere');
    expect((await logOf(supervisor, incident.id)).map(([, text]) => text)).toEqual(['Alarm sounding at the jeweller']);
  });
});
