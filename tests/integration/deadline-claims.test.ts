import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/domain/time';
import type { ConsoleCore } from '../../main/core/console-core';
import { alarmsHere } from '../../shared/dispatch/alarms';
import { CLAIM_FALLBACK_MS, CLAIM_SPREAD_MS } from '../../shared/dispatch/deadlines';
import type { AssignmentView, IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { call, eventually } from '../fakes/fixtures';
import { workstationsOnServer } from '../fakes/workstations-on-server';

// The prompt at a reservation's time must come once for the room, not at every dispatcher's desk: each desk claims it
// with a command when its clock gets there, and the server keeps the first claim it applies. A real server process,
// and console cores on one manual clock (their deadline watches look at it every second of real time).

const room = workstationsOnServer();
let clock: ManualClock;
const core = (workstation: string, serverUrl?: string) => room.core(workstation, { clock, ...(serverUrl ? { serverUrl } : {}) });

/** What this workstation's windows would put in front of its dispatcher now. */
function promptsAt(c: ConsoleCore) {
  const online = c.sync.status().connection === 'online';
  return alarmsHere(c.store.view.units(), c.store.view.activeAssignments(), { clientId: c.store.clientId, online, force: 'DMO' }).map((alarm) => alarm.kind);
}

/** dan, at a third desk, books DM-11 on and reserves it for an appointment five minutes on; returns the reservation. */
async function reservationBy(c: ConsoleCore): Promise<AssignmentView> {
  await call(c, 'session.signIn', { operator: 'dan', password: 'demo' });
  await call(c, 'units.setDuty', { unitId: 'DM-11', duty: 'on_duty', unitVersion: c.store.view.get('unit', 'DM-11')!.version, until: new Date(clock.now() + 4 * 3_600_000).toISOString() });
  const { incident } = await call<{ incident: IncidentView }>(c, 'incidents.create', { type: 'THEFT', location: unverifiedLocation('12 High Street'), grade: '3', firstLog: 'Appointment to take a statement' });
  const { assignments } = await call<{ assignments: AssignmentView[] }>(c, 'units.deploy', {
    incidentId: incident.id,
    units: [{ unitId: 'DM-11', unitVersion: c.store.view.get('unit', 'DM-11')!.version }],
    reserveFor: new Date(clock.now() + 5 * 60_000).toISOString(),
  });
  return assignments[0]!;
}

const settled = (c: ConsoleCore, id: string) => {
  const a = c.store.view.view('assignment', id);
  return c.sync.status().connection === 'online' && c.store.outbox.pendingCount() === 0 && a?.duePrompt != null && !a.pending;
};

beforeEach(() => {
  // The desks' clock starts a quarter of an hour behind the server's (a real process on the machine's clock) and the
  // tests move it on by less than that: a desk ahead of the server is taken at the server's time (server/commands/
  // exercise-time.ts), so a claim moved on past the server's clock would be judged early, as it should be.
  clock = new ManualClock(Date.now() - 15 * 60_000);
});

describe('the prompt at a reservation’s time, across two dispatchers’ workstations', () => {
  it('comes once, at the desk of the dispatcher who made the reservation; the other desk, told of it, never claims it', async () => {
    const a = core('WS-A');
    const b = core('WS-B');
    const reservation = await reservationBy(a);
    await call(b, 'session.signIn', { operator: 'carol', password: 'demo' });
    await eventually(() => b.store.view.get('assignment', reservation.id)?.status === 'reserved', 'B has the reservation', 10_000);

    clock.advance(5 * 60_000);
    await eventually(() => settled(a, reservation.id), 'A has claimed the prompt and the server has confirmed it', 10_000);
    await eventually(() => b.store.view.get('assignment', reservation.id)?.duePrompt != null, 'B has heard of the claim', 10_000);
    expect(b.store.view.get('assignment', reservation.id)?.duePrompt?.workstation).toBe('WS-A');
    // Past the fallback, B still has nothing to claim: it knows the prompt is A's.
    clock.advance(CLAIM_FALLBACK_MS + 5_000);
    await eventually(() => settled(b, reservation.id), 'B is in step', 10_000);
    expect(promptsAt(a)).toEqual(['reservation_due']);
    expect(promptsAt(b)).toEqual([]);
    const log = b.store.view.logOf(reservation.incidentId).map((e) => e.text);
    expect(log.filter((text) => text.includes('reservation for'))).toEqual([expect.stringMatching(/^DM-11's reservation for \d\d:\d\d is due: the dispatcher at WS-A is prompted to deploy it$/)]);
  }, 60_000);

  it('claimed by both desks while cut off (each shows it meanwhile), it shows at exactly one once they are back, the one whose claim the server kept', async () => {
    const toA = await room.proxy();
    const toB = await room.proxy();
    const a = core('WS-A', toA.url);
    const b = core('WS-B', toB.url);
    const c = core('WS-C');
    await call(a, 'session.signIn', { operator: 'bob', password: 'demo' });
    await call(b, 'session.signIn', { operator: 'carol', password: 'demo' });
    // The reservation is dan's, made at a third desk: neither A nor B goes first.
    const reservation = await reservationBy(c);
    for (const w of [a, b]) await eventually(() => w.store.view.get('assignment', reservation.id)?.status === 'reserved', 'both have the reservation', 10_000);
    c.stop();

    toA.cutAll();
    toB.cutAll();
    await eventually(() => [a, b].every((w) => w.sync.status().connection !== 'online'), 'both are offline', 15_000);
    clock.advance(5 * 60_000 + CLAIM_FALLBACK_MS);
    await eventually(() => [a, b].every((w) => promptsAt(w).includes('reservation_due')), 'both desks, cut off, claim the prompt and show it', 10_000);
    expect(a.store.view.get('assignment', reservation.id)?.duePrompt?.workstation).toBe('WS-A');
    expect(b.store.view.get('assignment', reservation.id)?.duePrompt?.workstation).toBe('WS-B');

    toA.heal();
    toB.heal();
    await eventually(() => settled(a, reservation.id) && settled(b, reservation.id), 'both are back in step with the server', 30_000);
    const kept = a.store.view.get('assignment', reservation.id)!.duePrompt!.workstation;
    expect(b.store.view.get('assignment', reservation.id)!.duePrompt!.workstation).toBe(kept);
    expect({ A: promptsAt(a), B: promptsAt(b) }).toEqual(kept === 'WS-A' ? { A: ['reservation_due'], B: [] } : { A: [], B: ['reservation_due'] });
  }, 90_000);
});

describe('a shift’s end, anyone’s to claim, across four dispatchers’ workstations online', () => {
  it('is claimed once or twice for the room, each desk at a moment of its own, and every desk shows the unit off duty', async () => {
    const desks = ['WS-A', 'WS-B', 'WS-C', 'WS-D'].map((w) => core(w));
    for (const [i, desk] of desks.entries()) await call(desk, 'session.signIn', { operator: i % 2 ? 'carol' : 'bob', password: 'demo' });
    const endsAt = clock.now() + 60_000;
    await call(desks[0]!, 'units.setDuty', { unitId: 'DM-11', duty: 'on_duty', unitVersion: desks[0]!.store.view.get('unit', 'DM-11')!.version, until: new Date(endsAt).toISOString() });
    for (const desk of desks) await eventually(() => desk.store.view.get('unit', 'DM-11')?.tour?.endsAt === new Date(endsAt).toISOString() && desk.sync.status().connection === 'online', 'every desk has the tour and is online', 10_000);

    // The desks' clock runs as a real one from a second before the end (their watches look once a real second).
    clock.advance(endsAt - 1_000 - clock.now());
    const offEverywhere = () => desks.every((desk) => desk.store.view.get('unit', 'DM-11')?.duty === 'off_duty');
    for (let waited = 0; waited < 15_000 && !offEverywhere(); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      clock.advance(100);
    }
    expect(offEverywhere()).toBe(true);
    for (const desk of desks) await eventually(() => desk.store.outbox.pendingCount() === 0, 'every claim made has reached the server', 10_000);

    const server = new Database(join(room.dir, 'central.sqlite'), { readonly: true });
    const claims = server.prepare(`SELECT workstation, issued_at FROM command_log WHERE name = 'unit.shiftEnded'`).all() as { workstation: string; issued_at: string }[];
    server.close();
    expect(claims.length).toBeGreaterThanOrEqual(1);
    expect(claims.length).toBeLessThanOrEqual(2);
    // Claimed after the time, and within the spread of it (a second more for the watch's look).
    for (const claim of claims) expect(Date.parse(claim.issued_at) - endsAt).toBeGreaterThanOrEqual(0);
    expect(Math.min(...claims.map((claim) => Date.parse(claim.issued_at) - endsAt))).toBeLessThan(CLAIM_SPREAD_MS + 1_000);
  }, 60_000);
});
