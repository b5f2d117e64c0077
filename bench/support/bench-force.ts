import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadForceConfig } from '../../node-common/force-config-file';
import { ForceConfig } from '../../shared/domain/force-config';

/**
 * The demonstration force grown to `units` units: call signs B-0001 onwards, the demo units' types, skills and
 * equipment taken in turn (so every incident type finds suitable units), home stations the demo stations in turn.
 * No shifts, so a unit booked on (the seeding books every one on) stays on whatever the time of the run; and no
 * receipt alarms, since the run has no terminals to accept a deployment and each would ring. Written as JSON into
 * `dir`, for the server's and the console's --force-config; returns the file and the configuration as both will
 * read it.
 */
export function writeBenchForce(dir: string, units: number): { file: string; config: ForceConfig } {
  const demo = loadForceConfig();
  if (demo.units.length === 0 || demo.stations.length === 0) throw new Error('the demonstration force has no units or no stations to copy');
  const grown = {
    ...demo,
    grades: demo.grades.map(({ receiptWithinSeconds: _none, ...grade }) => grade),
    units: Array.from({ length: units }, (_, i) => {
      const model = demo.units[i % demo.units.length]!;
      return { ...model, callSign: `B-${String(i + 1).padStart(4, '0')}`, homeStation: demo.stations[i % demo.stations.length]!.name, shift: null };
    }),
  };
  const config = ForceConfig.parse(grown);
  const file = join(dir, 'bench-force.json');
  writeFileSync(file, JSON.stringify(grown, null, 2));
  return { file, config };
}
