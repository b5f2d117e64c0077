import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import { SimulatedTerminal } from '../../main/adapters/terminal/simulated-terminal';
import { alarmsHere } from '../../shared/dispatch/alarms';
import type { AssignmentView, IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { ManualClock } from '../../shared/domain/time';
import type { Unit } from '../../shared/domain/unit';
import { call as callCore, demoConfig } from '../fakes/fixtures';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { makeTempDir } from '../fakes/temp-dir';
import { workstationAlone } from '../fakes/workstation-alone';
import { rememberSignIn } from '../fakes/access';

// A workstation on its own (its server out of reach, so everything it does waits in its outbox) with simulated
// terminals, on a manual clock: 06:30 GMT on 29 November 2026. DM-14 works nights (23:00–07:00), DM-11 days
// (07:00–17:00), in the demonstration force.
const START = Date.parse('2026-11-29T06:30:00Z');

let dir: ReturnType<typeof makeTempDir>;
let clock: ManualClock;
let scheduler: ManualScheduler;
let core: ConsoleCore;

/** Time passes: the clock and the timers together, a few seconds at a time. */
function pass(ms: number): void {
  for (let left = ms; left > 0; left -= 5000) {
    clock.advance(Math.min(5000, left));
    scheduler.advance(Math.min(5000, left));
  }
}

const unit = (id: string) => core.store.view.get('unit', id)!;
const call = <T>(channel: string, request: unknown) => callCore<T>(core, channel, request);

beforeEach(async () => {
  dir = makeTempDir();
  clock = new ManualClock(START);
  scheduler = new ManualScheduler();
  const crews = demoConfig.units.filter((u) => u.callSign === 'DM-11' || u.callSign === 'DM-14').map((u) => ({ unitId: u.callSign, shift: u.shift }));
  core = workstationAlone(dir.path, { workstation: 'WS-D', clock, scheduler, terminal: new SimulatedTerminal({ clock, scheduler, crews, timeZone: demoConfig.force.timeZone }) });
  await rememberSignIn(core.store, 'bob', 'demo', ['dispatcher']);
  // The units as the server registered them: off duty.
  core.store.transaction(() => {
    for (const config of demoConfig.units.filter((u) => u.callSign === 'DM-11' || u.callSign === 'DM-14')) {
      const doc: Unit = { id: config.callSign, force: 'DMO', callSign: config.callSign, type: config.type, homeStation: config.homeStation, skills: config.skills, equipment: config.equipment, shift: config.shift, duty: 'off_duty', tour: null, commitment: null, version: 1 };
      core.store.server.put({ kind: 'unit', id: doc.id, doc }, 0);
      core.store.view.write({ kind: 'unit', id: doc.id, doc });
    }
  });
  core.start();
});
afterEach(() => {
  core.stop();
  dir.remove();
});

describe('crews booking on, and the end of their shifts', () => {
  it('books on a crew whose shift is under way in its terminal’s name, with nobody signed in, and the next crew as its shift starts', async () => {
    // The terminal's booking is the crew's, relayed by the workstation: it needs no operator signed in, and names none.
    expect(unit('DM-14')).toMatchObject({ duty: 'on_duty', tour: { via: 'terminal', bookedOnBy: 'terminal DM-14', bookedOnAt: '2026-11-29T06:30:00.000Z', endsAt: '2026-11-29T07:00:00.000Z' } });
    expect(core.store.outbox.pending(10).map(({ envelope }) => [envelope.name, envelope.operator, envelope.ticket, envelope.relay])).toEqual([['unit.setDuty', 'terminal DM-14', '', { kind: 'terminal', unitId: 'DM-14' }]]);
    await call('session.signIn', { operator: 'bob', password: 'demo' });
    expect(unit('DM-14').tour?.bookedOnBy).toBe('terminal DM-14');
    expect(unit('DM-11').duty).toBe('off_duty');

    pass(30 * 60_000);
    expect(unit('DM-11')).toMatchObject({ duty: 'on_duty', tour: { via: 'terminal', bookedOnAt: '2026-11-29T07:00:00.000Z', endsAt: '2026-11-29T17:00:00.000Z' } });
    // The night crew's shift is over, and DM-14 was free: the workstation booked it off by itself.
    expect(unit('DM-14')).toMatchObject({ duty: 'off_duty', tour: null });
  });

  it('keeps a unit committed at its shift’s end on its job, and asks this desk once to relieve or extend it', async () => {
    await call('session.signIn', { operator: 'bob', password: 'demo' });
    pass(30 * 60_000 + 5_000);
    const { incident } = await call<{ incident: IncidentView }>('incidents.create', { type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '2', firstLog: null });
    clock.set(Date.parse('2026-11-29T16:30:00Z'));
    await call<{ assignments: AssignmentView[] }>('units.deploy', { incidentId: incident.id, units: [{ unitId: 'DM-11', unitVersion: unit('DM-11').version }] });
    const here = { clientId: core.store.clientId, online: false, force: 'DMO' };
    expect(alarmsHere(core.store.view.units(), core.store.view.activeAssignments(), here).map((a) => a.kind)).toEqual([]);

    pass(30 * 60_000);
    expect(unit('DM-11')).toMatchObject({ duty: 'on_duty', commitment: { incidentId: incident.id }, tour: { overrun: { raised: { workstation: 'WS-D' }, relieved: null } } });
    // Offline, this desk's own claim shows at once.
    expect(alarmsHere(core.store.view.units(), core.store.view.activeAssignments(), here).map((a) => a.kind)).toContain('shift_end');
    expect(core.store.view.logOf(incident.id).map((e) => e.text)).toContain("DM-11's shift ended at 17:00 while it is committed here: the dispatcher at WS-D is asked to relieve it or extend its shift");

    await call('units.answerShiftEnd', { unitId: 'DM-11', unitVersion: unit('DM-11').version, extendUntil: '2026-11-29T18:00:00.000Z' });
    expect(unit('DM-11').tour).toMatchObject({ endsAt: '2026-11-29T18:00:00.000Z', overrun: null });
    expect(alarmsHere(core.store.view.units(), core.store.view.activeAssignments(), here).map((a) => a.kind)).not.toContain('shift_end');
  });
});
