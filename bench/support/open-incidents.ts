import { randomUUID } from 'node:crypto';
import { Random } from '../../main/area/exercise/random';
import type { ServerRules } from '../../server/commands/plan-command';
import { registerForceUnits, runSystemCommands } from '../../server/commands/system-commands';
import type { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { BBox } from '../../shared/area/geo';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { IncidentLocation } from '../../shared/domain/location';
import { ROOM, SeedingRoom } from './seeding-room';

const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Harbour Quay', 'Mill Road', 'Marine Parade', 'Park Avenue', 'North Road'];
const MINUTE = 60_000;

/**
 * What a big force's open incidents are: mostly scheduled appointments and incidents resolved without deployment,
 * carried for hours; a few urgent ones, recent, because they are dealt with first. Each share of the backlog was
 * opened evenly over its window before now, so the urgent ones are within their attendance targets when the run
 * starts (a handful reach a warning or a breach while it runs), as on a busy but coping desk.
 */
const BACKLOG = [
  { grade: '1', share: 0.01, withinMs: 12 * MINUTE },
  { grade: '2', share: 0.04, withinMs: 50 * MINUTE },
  { grade: '3', share: 0.55, withinMs: 12 * 60 * MINUTE },
  { grade: '4', share: 0.4, withinMs: 12 * 60 * MINUTE },
] as const;

export interface OpenIncidents {
  incidents: number;
  /** How many were opened at each grade. */
  byGrade: Record<string, number>;
}

/**
 * A control room's backlog, written straight into the server's storage: the force's units registered and booked on,
 * then `count` open incidents of every type, graded as BACKLOG says, each with a first log line, opened by twenty
 * workstations at points scattered over `bounds` as a handset would place them. Each command goes through the server's own rules
 * and storage (planCommand, storage.process), as a push would, so the records are the real thing. The caller may
 * loosen the file's durability while it seeds.
 */
export async function seedOpenIncidents(storage: SqliteStorage, config: ForceConfig, count: number, bounds: BBox): Promise<OpenIncidents> {
  const random = new Random(5000);
  const seededAt = Date.now();
  let now = seededAt;
  const rules: ServerRules = { config, now: () => now };
  // The server would register them at start, one fsync each: done here, with the file's durability loosened. Then
  // each is booked on (a unit comes on duty only so) for a day, whatever shift the force gives it.
  await registerForceUnits(storage, rules);
  const until = new Date(seededAt + 24 * 3_600_000).toISOString();
  await runSystemCommands(storage, rules, config.units.map((unit) => ({ name: 'unit.setDuty', args: { unitId: unit.callSign, duty: 'on_duty', unitVersion: 1, until } })));
  const room = await SeedingRoom.open(storage, rules);
  const byGrade: Record<string, number> = {};
  const [west, south, east, north] = bounds;
  const plan = BACKLOG.flatMap(({ grade, share, withinMs }) => {
    if (!config.grades.some((g) => g.code === grade)) throw new Error(`the bench force has no grade ${grade}`);
    const n = Math.round(share * count);
    return Array.from({ length: n }, (_, i) => ({ grade, openedAt: seededAt - withinMs + Math.floor(((i + 0.5) / n) * withinMs) }));
  }).slice(0, count);
  if (plan.length !== count) throw new Error(`the backlog's shares make ${plan.length} incidents, not ${count}`);
  for (const [n, { grade, openedAt }] of plan.entries()) {
    now = openedAt;
    const who = n % ROOM;
    const type = config.incidentTypes[n % config.incidentTypes.length]!;
    const location: IncidentLocation = {
      text: `${random.int(1, 240)} ${random.pick(STREETS)}`,
      point: { lat: random.range(south, north), lon: random.range(west, east) },
      source: 'handset',
      district: null,
      accuracyM: random.int(5, 60),
    };
    await room.issue(who, 'incident.create', {
      incidentId: randomUUID(),
      provisionalReference: `WS-${who + 1}-P${String(n).padStart(5, '0')}`,
      type: type.code,
      location,
      grade,
      firstLog: { entryId: randomUUID(), text: `Caller reports ${type.name.toLowerCase()}; details to follow` },
    }, now);
    byGrade[grade] = (byGrade[grade] ?? 0) + 1;
  }
  return { incidents: count, byGrade };
}
