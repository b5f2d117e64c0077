import { afterEach, describe, expect, it } from 'vitest';
import { IncidentLifecycle, COMMANDS_PER_INCIDENT } from '../../bench/load/incident-lifecycle';
import { nextRampRate, sustainedRate, type RampOptions, type RampStep } from '../../bench/load/ramp-search';
import { visibleTimes } from '../../bench/load/visible-times';
import { coreCostFigures } from '../../bench/load/core-cost';
import { writeBenchForce } from '../../bench/support/bench-force';
import { registerForceUnits, runSystemCommands } from '../../server/commands/system-commands';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { makeTempDir } from '../fakes/temp-dir';

// The server-load benchmark's own decisions, apart from any timing: which rate it tries next, how it reads
// confirmed-to-visible from what the workstations recorded, and whether its incident lifecycle is one the server's
// rules accept.

const ramp: RampOptions = { startPerSecond: 8, capPerSecond: 336, floorPerSecond: 1, resolution: 1.25, maxSteps: 10 };
const steps = (...tried: [number, boolean][]): RampStep[] => tried.map(([ratePerSecond, passed]) => ({ ratePerSecond, passed }));

describe('the step search of the server-load benchmark', () => {
  it('starts at the start rate and doubles while steps pass', () => {
    expect(nextRampRate([], ramp)).toBe(8);
    expect(nextRampRate(steps([8, true]), ramp)).toBe(16);
    expect(nextRampRate(steps([8, true], [16, true]), ramp)).toBe(32);
  });

  it('bisects between the highest pass and the lowest failure, and stops once they are close', () => {
    expect(nextRampRate(steps([8, true], [16, true], [32, false]), ramp)).toBe(22.6);
    expect(nextRampRate(steps([8, true], [16, true], [32, false], [22.6, false]), ramp)).toBe(19);
    // 22.6 / 19 is within the resolution: the search is over, and 19 is what the server sustains.
    const done = steps([8, true], [16, true], [32, false], [22.6, false], [19, true]);
    expect(nextRampRate(done, ramp)).toBeNull();
    expect(sustainedRate(done)).toBe(19);
  });

  it('halves while nothing passes, and gives up at the floor', () => {
    expect(nextRampRate(steps([8, false]), ramp)).toBe(4);
    expect(nextRampRate(steps([8, false], [4, false], [2, false]), ramp)).toBe(1);
    const none = steps([8, false], [4, false], [2, false], [1, false]);
    expect(nextRampRate(none, ramp)).toBeNull();
    expect(sustainedRate(none)).toBeNull();
  });

  it('stops at the cap and after the most steps allowed', () => {
    expect(nextRampRate(steps([200, true]), ramp)).toBe(336);
    expect(nextRampRate(steps([200, true], [336, true]), ramp)).toBeNull();
    expect(nextRampRate(steps([8, true], [16, true]), { ...ramp, maxSteps: 2 })).toBeNull();
  });

  it('does not count a pass above a failure as sustained (a lucky step on a noisy machine)', () => {
    expect(sustainedRate(steps([8, true], [16, false], [11.3, true], [13.5, false], [32, true]))).toBe(11.3);
  });
});

describe("the server-load benchmark's judgement of a command's CPU cost", () => {
  const where = 'PostgreSQL, 400 workstations, changes over the live channel';
  const named = (figures: ReturnType<typeof coreCostFigures>, start: string) => figures.filter((f) => f.name.startsWith(start));

  it('judges the cost at the burst where one was run (the limit is one core carrying 168/s), and reports the sustained rate\'s beside, unjudged', () => {
    // The run that prompted it: 8.445 ms at the sustained 70.7/s, 4.709 ms through a minute at 168/s.
    const figures = coreCostFigures('server-load', where, { ratePerSecond: 70.7, cpuMsPerCommand: 8.445 }, { ratePerSecond: 168, cpuMsPerCommand: 4.709 }, 168);
    const [perCommand] = named(figures, 'server CPU per command at 168 commands/s');
    expect(perCommand).toMatchObject({ value: 4.709, meets: true, limit: { value: 5.95 } });
    expect(named(figures, 'commands/s one server core could carry at the CPU cost measured at 168 commands/s')[0]).toMatchObject({ value: 212.4, meets: true });
    const [sustained] = named(figures, 'server CPU per command at 70.7 commands/s, the sustained rate');
    expect(sustained).toMatchObject({ value: 8.445 });
    expect(sustained!.meets).toBeUndefined();
    expect(figures.filter((f) => f.meets !== undefined)).toHaveLength(2);
  });

  it('judges the sustained step where no burst was run, and fails a cost past one core at 168/s', () => {
    const figures = coreCostFigures('server-load', where, { ratePerSecond: 45.2, cpuMsPerCommand: 10.58 }, null, 168);
    expect(figures).toHaveLength(2);
    expect(named(figures, 'server CPU per command at 45.2 commands/s')[0]).toMatchObject({ value: 10.58, meets: false });
    expect(named(figures, 'commands/s one server core could carry at the CPU cost measured at 45.2 commands/s')[0]).toMatchObject({ value: 94.5, meets: false });
  });
});

describe('confirmed-to-visible as the server-load benchmark reads it', () => {
  it('times each command from its acknowledgement to the pull that reached its seq at each other workstation', () => {
    const seen = visibleTimes(
      [
        { seq: 5, acknowledgedAt: 1000, issuer: 0 },
        { seq: 9, acknowledgedAt: 1100, issuer: 1 },
      ],
      [
        [[5, 990], [9, 1130]], // the issuer of seq 5, and it pulled seq 9 30 ms after its acknowledgement
        [[4, 1000], [6, 1040], [12, 1150]], // seq 5 on its second page; seq 9's issuer
        [[12, 1250]], // both at once
      ],
    );
    expect(seen.missing).toBe(0);
    expect([...seen.pairs].sort((a, b) => a - b)).toEqual([30, 40, 150, 250]);
    // seq 5: 40 ms at workstation 1, 250 at workstation 2; seq 9: 30 and 150.
    expect(seen.everywhere).toEqual([250, 150]);
  });

  it('counts a workstation that pulled before the issuer heard back as 0 ms, and one that never did as missing', () => {
    const seen = visibleTimes([{ seq: 3, acknowledgedAt: 500, issuer: 0 }], [[], [[3, 480]], [[2, 600]]]);
    expect(seen.pairs).toEqual([0]);
    expect(seen.missing).toBe(1);
    expect(seen.everywhere).toEqual([Number.POSITIVE_INFINITY]);
  });
});

describe("the server-load benchmark's incident lifecycle", () => {
  let dir: { path: string; remove(): void } | null = null;
  afterEach(() => dir?.remove());

  it('is accepted whole by the server, incident after incident with the same unit', async () => {
    dir = makeTempDir('cordon-load-lifecycle-');
    const { config } = writeBenchForce(dir.path, 1);
    const storage = SqliteStorage.open(':memory:');
    const rules = { config, now: () => Date.now() };
    try {
      await registerForceUnits(storage, rules);
      const unitId = config.units[0]!.callSign;
      const until = new Date(Date.now() + 3_600_000).toISOString();
      await runSystemCommands(storage, rules, [{ name: 'unit.setDuty', args: { unitId, duty: 'on_duty', unitVersion: 1, until } }]);
      const lifecycle = new IncidentLifecycle(unitId, 2, (n) => `LOAD-0-P${n}`);
      const commands = Array.from({ length: 2 * COMMANDS_PER_INCIDENT }, () => lifecycle.next());
      // Every command applied (runSystemCommands throws on a refusal, a conflict among them) and each one changed something.
      expect(await runSystemCommands(storage, rules, commands)).toBe(commands.length);
      expect(lifecycle.opened).toBe(2);
      expect(commands.map((c) => c.name).filter((n) => n === 'incident.close')).toHaveLength(2);
    } finally {
      await storage.close();
    }
  });
});
