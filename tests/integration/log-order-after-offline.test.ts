import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { call } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresFactory, sqliteFactory } from '../fakes/storages';
import { postgresForThisFile } from '../fakes/postgres-for-file';

// Issue 12 (a try-out's minor): after a lender took its unit back while the borrower's desk was offline, the lines the
// desk had queued were read, once it was back, before the take-back they were accepted after: the log was ordered by
// each desk's time of writing. It is read in the order the server accepted the lines (the design: the server's
// sequence is the truth, wall clocks are for display), each with the time it was written; on every desk alike.
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const minutes = (n: number) => n * 60_000;

describe.each([sqliteFactory, postgresFactory(() => cluster)])('the order of an incident’s log after a desk was offline, on $name', (factory) => {
  const room = inProcessRoom({
    open: () => factory.open(),
    startsAt: T0,
    operators: { dan: ['call_handler', 'dispatcher'], bob: ['dispatcher'] },
    desks: [
      { workstation: 'WS-B', signedIn: 'dan' },
      { workstation: 'WS-C', signedIn: 'bob' },
    ],
  });

  it('reads what a desk wrote offline after what the server accepted before it came back, with the time it was written', async () => {
    const deskB = room.desk('WS-B');
    const deskC = room.desk('WS-C');
    const { incident } = await call<{ incident: IncidentView }>(deskB, 'incidents.create', { type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '2', firstLog: null });
    await room.sync(deskB, deskC);

    // C loses the network and writes a line at 09:05; B writes one at 09:07, on the server at once.
    room.link(deskC).up = false;
    room.clock.advance(minutes(5));
    await call(deskC, 'incidents.addLog', { incidentId: incident.id, text: 'Written at C while offline' });
    room.clock.advance(minutes(2));
    await call(deskB, 'incidents.addLog', { incidentId: incident.id, text: 'DM-11 stood down: taken back for another job' });
    await room.sync(deskB);
    // C is back at 09:10: its line reaches the server after B's.
    room.clock.advance(minutes(3));
    room.link(deskC).up = true;
    await room.sync(deskC, deskB);

    for (const desk of [deskB, deskC]) {
      const log = desk.store.view.logOf(incident.id);
      expect(log.map((entry) => entry.text).slice(1)).toEqual(['DM-11 stood down: taken back for another job', 'Written at C while offline']);
      // The time each was written is still what the line says.
      expect(log.find((entry) => entry.text === 'Written at C while offline')?.at).toBe(new Date(T0 + minutes(5)).toISOString());
      expect(log.every((entry) => !entry.pending && typeof entry.seq === 'number')).toBe(true);
    }
  });
});
