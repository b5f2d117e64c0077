import { randomUUID } from 'node:crypto';
import type { ServerRules } from '../../server/commands/plan-command';
import type { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { ForceConfig } from '../../shared/domain/force-config';
import { unverifiedLocation } from '../../shared/domain/location';
import { ROOM, SeedingRoom } from './seeding-room';

const SHIFT_MS = 12 * 60 * 60 * 1000;
const TYPES = ['ASB', 'ALARM', 'ASSAULT', 'BURGLARY', 'CONCERN', 'DOMESTIC', 'MISSING', 'RTC', 'SUSPICIOUS'];
const LINES = [
  'Caller still on the line, describes two males leaving towards the park',
  'Unit en route, ETA six minutes; caller advised to stay inside',
  'PNC check on vehicle shows no markers; registered keeper at the address',
  'Ambulance requested by attending officers, one casualty conscious and breathing',
  'Neighbour reports the noise has stopped; officers to make contact anyway',
  'Supervisor updated; risk assessment reviewed, grade unchanged',
];

export interface Shift {
  changes: number;
  incidents: number;
  logEntries: number;
  /** The server's head once the shift is written. */
  head: number;
}

/**
 * Writes a twelve-hour shift of a busy control room into the server's storage: incidents opened with a first log
 * line, and log lines added to recent incidents, by twenty workstations, until exactly `changes` records are
 * new, through a SeedingRoom (the server's own rules and storage, one command per transaction). The caller may
 * loosen the file's durability while it seeds.
 */
export async function writeShift(storage: SqliteStorage, config: ForceConfig, changes: number, startAt: number): Promise<Shift> {
  let now = startAt;
  const rules: ServerRules = { config, now: () => now };
  const open: string[] = [];
  let written = 0;
  let incidents = 0;
  let logEntries = 0;
  const room = await SeedingRoom.open(storage, rules);
  let head = await storage.head();
  for (let n = 0; written < changes; n += 1) {
    now = startAt + Math.floor((written / changes) * SHIFT_MS);
    const who = n % ROOM;
    // One incident in ten commands (three records: the incident, the line its creation writes and the handler's
    // first note), unless fewer records than that are left.
    const create = open.length === 0 || (n % 10 === 0 && changes - written >= 3);
    const args = create
      ? {
          incidentId: randomUUID(),
          provisionalReference: `WS-${who + 1}-P${String(n).padStart(5, '0')}`,
          type: TYPES[n % TYPES.length]!,
          location: unverifiedLocation(`${(n % 300) + 1} High Street`),
          grade: String((n % 4) + 1),
          firstLog: { entryId: randomUUID(), text: LINES[n % LINES.length]! },
        }
      : { incidentId: open[(n * 7) % open.length]!, entryId: randomUUID(), text: LINES[n % LINES.length]! };
    const next = await room.issue(who, create ? 'incident.create' : 'incident.addLog', args, now);
    written += next - head;
    head = next;
    if (create) {
      incidents += 1;
      logEntries += 2;
      // Work goes on the most recent incidents: keep the last fifty open for log lines.
      open.push((args as { incidentId: string }).incidentId);
      if (open.length > 50) open.shift();
    } else {
      logEntries += 1;
    }
  }
  return { changes: written, incidents, logEntries, head };
}
