import type { ServerRules } from '../../server/commands/plan-command';
import { runSystemCommands } from '../../server/commands/system-commands';
import type { ServerStorage } from '../../server/storage/storage';

/**
 * Books every unit of the force's configuration on, as a dispatcher would at the start of a test's shift: until
 * `untilMs` (so a unit's shift, and the time of day the test runs at, do not matter). Units must be registered.
 */
export function bookOnForceUnits(storage: ServerStorage, rules: ServerRules, untilMs: number): Promise<number> {
  const until = new Date(untilMs).toISOString();
  return runSystemCommands(
    storage,
    rules,
    rules.config.units.map((unit) => ({ name: 'unit.setDuty', args: { unitId: unit.callSign, duty: 'on_duty', unitVersion: 1, until } })),
  );
}
