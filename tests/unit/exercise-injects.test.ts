import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ExerciseRunner } from '../../main/adapters/exercise/exercise-runner';
import type { ExerciseVehicles } from '../../main/adapters/exercise/exercise-ports';
import { SimulatedTerminal } from '../../main/adapters/terminal/simulated-terminal';
import type { TerminalEvent } from '../../main/adapters/terminal/terminal-adapter';
import { HttpServerLink, LinkError } from '../../main/sync/server-link';
import { ExerciseScheduler } from '../../node-common/exercise-scheduler';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { ExerciseClock } from '../../shared/domain/exercise-clock';
import { ManualClock } from '../../shared/domain/time';
import { ExerciseOutages, SYSTEM_DOWN } from '../../shared/training/exercise-outages';
import { ExerciseRoom } from '../../shared/training/exercise-room';
import { Scenario } from '../../shared/training/scenario';
import { demoConfig, silentLog } from '../fakes/fixtures';
import { ManualScheduler } from '../fakes/manual-scheduler';

const START = Date.parse('2026-12-04T22:30:00Z');
const MINUTE = 60_000;

/** A scenario with a starting state, a vehicle inject of each kind and a system inject of each kind. */
const scenario = Scenario.parse({
  format: 1,
  title: 'Injects',
  summary: 'A vehicle and a system inject of each kind.',
  area: 'exercise',
  force: 'DMO',
  startsAt: '2026-12-04T22:30:00Z',
  durationMinutes: 60,
  start: {
    units: [{ callSign: 'DM-13' }, { callSign: 'DM-51', at: { lat: 53.9215, lon: 1.7402 } }],
    incidents: [{ id: 'open-asb', type: 'ASB', grade: '3', address: 'Harbour Car Park, Saltmere', description: 'Youths racing cars.' }],
    markers: [{ address: '14 Gull Terrace, Saltmere', point: { lat: 53.9189, lon: 1.7446 }, radiusM: 40, warnings: ['firearms'] }],
  },
  injects: [
    { kind: 'vehicle', at: 60, unit: 'DM-13', event: 'rejects', reason: 'crew dealing with a prisoner' },
    { kind: 'vehicle', at: 120, unit: 'DM-51', event: 'delayed', minutes: 5 },
    { kind: 'vehicle', at: 180, unit: 'DM-13', event: 'breaks_down', reason: 'flat tyre' },
    { kind: 'system', at: 240, event: 'workstation_offline', workstation: 'trainee-1', forMinutes: 5 },
    { kind: 'system', at: 600, event: 'cad_down', forMinutes: 10 },
  ],
});

/** The exercise's clock and timers, on a machine clock the test moves. */
function exercise() {
  const real = new ManualClock(Date.parse('2026-11-30T10:00:00Z'));
  const clock = new ExerciseClock(START, real);
  const ticks = new ManualScheduler();
  const scheduler = new ExerciseScheduler(clock, 100, ticks);
  clock.onChange(() => scheduler.fireDue());
  const pass = (ms: number) => {
    for (let t = 0; t < ms; t += 100) {
      real.advance(100);
      ticks.advance(100);
    }
  };
  return { clock, scheduler, pass };
}

/** Vehicles that write down what they were told. */
function recordingVehicles(): ExerciseVehicles & { told: string[] } {
  const told: string[] = [];
  return {
    told,
    bookOn: (unitId, until, at) => told.push(`${unitId} on until ${until}${at ? ` at ${at.lat},${at.lon}` : ''}`),
    breakDown: (unitId, reason) => told.push(`${unitId} breaks down: ${reason}`),
    delay: (unitId, minutes) => told.push(`${unitId} delayed ${minutes}`),
    rejectNext: (unitId, reason) => told.push(`${unitId} rejects: ${reason}`),
  };
}

describe('a running exercise puts its starting state in place and plays its injects', () => {
  it('books the scenario’s units on through their terminals as the trainer starts it, until the exercise ends, standing where it says; and lists for the trainer what it cannot put in place', () => {
    const { clock, scheduler, pass } = exercise();
    const runner = new ExerciseRunner(scenario, clock, scheduler);
    const vehicles = recordingVehicles();
    runner.connect({ vehicles });
    runner.start(() => {});
    pass(MINUTE);
    // Not started: nothing is on duty yet.
    expect(vehicles.told).toEqual([]);
    expect(runner.timeline().started).toBeNull();
    clock.start();
    pass(100);
    expect(vehicles.told).toEqual(['DM-13 on until 2026-12-04T23:30:00.000Z', 'DM-51 on until 2026-12-04T23:30:00.000Z at 53.9215,1.7402']);
    expect(runner.timeline().started).toEqual({
      at: '2026-12-04T22:30:00.000Z',
      missing: [
        'incidents open at the start, to be opened by hand: ASB grade 3 at Harbour Car Park, Saltmere',
        'warning markers, to be added by a supervisor: firearms at 14 Gull Terrace, Saltmere',
      ],
    });
    runner.stop();
  });

  it('plays each vehicle inject on the simulated vehicles at its time, and each system inject on the training server for its minutes of exercise time', () => {
    const { clock, scheduler, pass } = exercise();
    const runner = new ExerciseRunner(scenario, clock, scheduler);
    const vehicles = recordingVehicles();
    const outages = new ExerciseOutages('trainer');
    runner.connect({ vehicles, system: outages });
    runner.start(() => {});
    clock.start();
    pass(3 * MINUTE + 200);
    expect(vehicles.told.slice(2)).toEqual(['DM-13 rejects: crew dealing with a prisoner', 'DM-51 delayed 5', 'DM-13 breaks down: flat tyre']);
    pass(MINUTE);
    // trainee-1 loses the network for five minutes of exercise time: a pause lengthens it, 8× shortens it.
    expect(outages.outageOf('trainee-1', clock.now())).toEqual({ kind: 'network', until: START + 9 * MINUTE });
    expect(outages.outageOf('trainee-2', clock.now())).toBeNull();
    clock.pause();
    pass(10 * MINUTE);
    expect(outages.outageOf('trainee-1', clock.now())).not.toBeNull();
    clock.resume();
    clock.setSpeed(8);
    pass(40_000);
    expect(clock.now()).toBeGreaterThan(START + 9 * MINUTE);
    expect(outages.outageOf('trainee-1', clock.now())).toBeNull();
    pass(10_000);
    // The whole system down: every trainee's workstation, not the trainer's, which runs the exercise.
    // (It came due within one 100 ms tick at 8×: 800 ms of exercise time.)
    expect(outages.outageOf('trainee-2', clock.now())).toEqual({ kind: 'system', until: expect.closeTo(START + 20 * MINUTE, -3) });
    expect(outages.outageOf('trainer', clock.now())).toBeNull();
    expect(runner.timeline().entries.every((entry) => entry.done !== null && !entry.label.includes('not played'))).toBe(true);
    runner.stop();
  });

  it('says on the timeline which injects nothing here could play, for the trainer to play them', () => {
    const { clock, scheduler, pass } = exercise();
    const runner = new ExerciseRunner(scenario, clock, scheduler);
    runner.start(() => {});
    clock.start();
    pass(MINUTE + 200);
    expect(runner.timeline().entries[0]!.label).toBe('DM-13 rejects its next deployment: crew dealing with a prisoner (not played here: for the trainer to play)');
    expect(runner.timeline().started?.missing[0]).toBe('units on duty (DM-13, DM-51): no simulated vehicles on this workstation');
    runner.stop();
  });
});

describe('the trainer’s next inject and the trainees’ system down, as the trainer’s desk is told', () => {
  it('jumps to each inject in turn; with none left, a press is refused in words and moves nothing', () => {
    const { clock, scheduler } = exercise();
    const runner = new ExerciseRunner(scenario, clock, scheduler);
    runner.connect({ vehicles: recordingVehicles(), system: new ExerciseOutages('trainer') });
    runner.start(() => {});
    clock.start();
    clock.pause();
    for (let i = 0; i < scenario.injects.length; i++) runner.jumpToNext();
    expect(runner.timeline().entries.filter((entry) => entry.done === null)).toEqual([]);
    const at = clock.now();
    const before = runner.timeline();
    expect(() => runner.jumpToNext()).toThrow('there is no next inject: every inject of the scenario has happened');
    expect(clock.now()).toBe(at);
    expect(runner.timeline()).toEqual(before);
    runner.stop();
  });

  it('says on the timeline until when the whole system is down for the trainees, and nothing once it is back', () => {
    const { clock, scheduler, pass } = exercise();
    const runner = new ExerciseRunner(scenario, clock, scheduler);
    runner.connect({ vehicles: recordingVehicles(), system: new ExerciseOutages('trainer') });
    runner.start(() => {});
    clock.start();
    pass(5 * MINUTE);
    // trainee-1 alone cut off (inject 4) is not the system down.
    expect(runner.timeline().systemDownUntil).toBeNull();
    runner.injectNow(4);
    expect(runner.timeline().systemDownUntil).toBe(new Date(clock.now() + 10 * MINUTE).toISOString());
    pass(10 * MINUTE + 200);
    expect(runner.timeline().systemDownUntil).toBeNull();
    runner.stop();
  });
});

describe('the simulated crews play the vehicle injects through their terminals', () => {
  const deployment = (unitId: string) => ({ assignmentId: randomUUID(), unitId, callSign: unitId, summary: 'TRN-DMO-0001 grade 1' });

  function crews() {
    const clock = new ManualClock(START);
    const scheduler = new ManualScheduler();
    const terminal = new SimulatedTerminal({ clock, scheduler });
    const said: TerminalEvent[] = [];
    terminal.start((event) => said.push(event));
    const pass = (ms: number) => {
      clock.advance(ms);
      scheduler.advance(ms);
    };
    const words = () => said.map((event) => (event.type === 'receipt' ? `${event.unitId} ${event.receipt}${event.note ? `: ${event.note}` : ''}` : event.type === 'status' ? `${event.unitId} ${event.status}` : `${event.unitId} ${event.duty}`));
    return { terminal, said, pass, words };
  }

  it('a crew told to reject refuses its next deployment with the reason, and accepts the one after', () => {
    const { terminal, pass, words } = crews();
    terminal.rejectNext('DM-13', 'crew dealing with a prisoner');
    terminal.send(deployment('DM-13'));
    pass(5000);
    terminal.send(deployment('DM-13'));
    pass(5000);
    expect(words()).toEqual(['DM-13 received', 'DM-13 rejected: crew dealing with a prisoner', 'DM-13 received', 'DM-13 accepted', 'DM-13 en_route']);
  });

  it('a broken-down vehicle rejects the job it was on and is booked unavailable, and refuses every deployment after', () => {
    const { terminal, pass, words } = crews();
    terminal.send(deployment('DM-22'));
    pass(5000);
    terminal.breakDown('DM-22', 'flat tyre');
    terminal.send(deployment('DM-22'));
    pass(5000);
    expect(words()).toEqual(['DM-22 received', 'DM-22 accepted', 'DM-22 en_route', 'DM-22 rejected: vehicle broken down: flat tyre', 'DM-22 unavailable', 'DM-22 received', 'DM-22 rejected: vehicle broken down: flat tyre']);
  });

  it('a delayed crew books at scene so many minutes after its vehicle gets there', () => {
    const { terminal, pass, words } = crews();
    terminal.send(deployment('DM-51'));
    pass(5000);
    terminal.delay('DM-51', 5);
    terminal.arrived('DM-51');
    pass(4 * MINUTE);
    expect(words().at(-1)).toBe('DM-51 en_route');
    pass(MINUTE);
    expect(words().at(-1)).toBe('DM-51 at_scene');
  });
});

describe('a training server’s outages', () => {
  let server: CentralServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  /** Each workstation's own device (its client id and token), the same at each pull: a training server takes one per name. */
  const devices = new Map<string, { clientId: string; token: string | null }>();
  async function pullAs(url: string, workstation: string): Promise<string> {
    const device = devices.get(workstation) ?? { clientId: randomUUID(), token: null };
    devices.set(workstation, device);
    const { clientId } = device;
    const link = new HttpServerLink({ baseUrl: url, mode: 'training', device: { clientId, workstation, force: null, token: () => device.token, saveToken: (t) => (device.token = t), enrolmentKey: 'exercise-code' } });
    try {
      await link.pull({ since: 0, clientId, afterClientSeq: 0, limit: 10 });
      return 'answered';
    } catch (error) {
      if (!(error instanceof LinkError)) throw error;
      return `${error.retryable ? 'retryable' : 'refused'}: ${error.status ?? 'no answer'}${error.status ? ` ${error.message}` : ''}`;
    }
  }

  it('a cut-off workstation gets no answer, the system down answers every trainee’s workstation that it is down, and both end on the exercise clock', async () => {
    const real = new ManualClock(Date.parse('2026-11-30T10:00:00Z'));
    const clock = new ExerciseClock(START, real);
    const outages = new ExerciseOutages('trainer');
    server = await startCentralServer({
      storage: SqliteStorage.open(':memory:'),
      rules: { config: demoConfig, now: () => clock.now(), training: true },
      log: silentLog,
      port: 0,
      host: '127.0.0.1',
      enrolmentKey: 'exercise-code',
      training: { clock, outages },
    });
    const { url } = server;
    clock.start();
    outages.cutWorkstation('trainee-1', START + 5 * MINUTE);
    expect(await pullAs(url, 'trainee-1')).toMatch(/^retryable: no answer/);
    expect(await pullAs(url, 'trainee-2')).toBe('answered');
    outages.takeSystemDown(START + 10 * MINUTE);
    expect(await pullAs(url, 'trainee-2')).toContain(`retryable: 503 server answered 503: {"error":"${SYSTEM_DOWN}"}`);
    expect(await pullAs(url, 'trainer')).toBe('answered');
    real.advance(10 * MINUTE);
    expect(await pullAs(url, 'trainee-1')).toBe('answered');
    expect(await pullAs(url, 'trainee-2')).toBe('answered');
  });
});

describe('the trainees on the trainer’s desk', () => {
  it('lists each trainee’s workstation as it joins, who signed in there with which roles, whether it is connected, and the call they are on', () => {
    const room = new ExerciseRoom('trainer');
    room.channel('trainer', true, '2026-12-04T22:30:00.000Z');
    room.channel('trainee-1', true, '2026-12-04T22:30:00.000Z');
    room.signedIn('trainee-1', 'alice', ['call_handler'], '2026-12-04T22:30:05.000Z');
    room.signedIn('trainee-2', 'bob', ['dispatcher'], '2026-12-04T22:31:00.000Z');
    const calls = [
      { id: 'c1', state: 'answered' as const, answeredBy: 'alice', source: '999' as const, answeredAt: '2026-12-04T22:32:00.000Z', callerNumber: '07700 900111', workstation: 'trainer', answeredAtWorkstation: 'trainee-1' as string | null },
      { id: 'c2', state: 'ringing' as const, answeredBy: null, source: '101' as const, answeredAt: null, callerNumber: null, workstation: 'trainer', answeredAtWorkstation: null },
    ];
    const records = (liveContacts: typeof calls) => ({ liveContacts, incident: () => null });
    expect(room.trainees(records(calls))).toEqual([
      {
        workstation: 'trainee-1',
        operator: 'alice',
        roles: ['call_handler'],
        connected: true,
        joinedAt: '2026-12-04T22:30:00.000Z',
        doing: { kind: 'answering', call: '07700 900111', source: '999', since: '2026-12-04T22:32:00.000Z' },
      },
      { workstation: 'trainee-2', operator: 'bob', roles: ['dispatcher'], connected: false, joinedAt: '2026-12-04T22:31:00.000Z', doing: { kind: 'link_lost', since: null } },
    ]);
    room.channel('trainee-1', false, '2026-12-04T22:40:00.000Z');
    expect(room.trainees(records([]))[0]).toMatchObject({ connected: false, doing: { kind: 'link_lost', since: '2026-12-04T22:40:00.000Z' } });
  });
});

describe('a call a trainee answered at their own workstation', () => {
  it('is answered as far as the exercise’s switch goes: the caller does not abandon it, and hangs up in time', () => {
    const calls = Scenario.parse({
      ...scenario,
      start: { units: [], incidents: [], markers: [] },
      injects: [
        { kind: 'call', id: 'kept', at: 0, source: '999', callerNumber: '07700 900111', abandonAfter: 30, hangsUpAfter: 60, expected: { type: 'ASSAULT', grades: ['1'] } },
        { kind: 'call', id: 'left', at: 0, source: '999', callerNumber: '07700 900112', abandonAfter: 30, expected: { type: 'ASSAULT', grades: ['1'] } },
      ],
    });
    const { clock, scheduler, pass } = exercise();
    const runner = new ExerciseRunner(calls, clock, scheduler);
    const events: string[] = [];
    runner.start((event) => events.push(`${event.type} ${event.callId}`));
    clock.start();
    pass(1_000);
    // A trainee answers 'kept' at WS-T1: the trainer's workstation tells its switch (TelephonyBridge.contactsChanged).
    runner.answeredElsewhere('kept');
    pass(MINUTE + 1_000);
    expect(events).toEqual(['ringing kept', 'ringing left', 'abandoned left', 'ended kept']);
    runner.stop();
  });
});
