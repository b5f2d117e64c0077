import type { StoreHealth } from '../../../shared/contract/store-health';
import { useConsole } from '../../state/use-console';
import type { WallClock } from '../../../shared/domain/wall-clock';
import { plural, useWallClockIfLoaded } from '../../app/format';

/** The alarm in words: what is wrong with the workstation's file, what is waiting, and what it means for the desk. */
export function describeStoreAlarm(health: StoreHealth, clock: WallClock | null): string | null {
  if (!health.fault) return null;
  const waiting = `${plural(health.waiting, 'event')} waiting`;
  const since = health.since && clock ? ` since ${clock.time(health.since)}` : '';
  switch (health.fault) {
    case 'disk_full':
      return `Local disk full: ${waiting}. Nothing new can be saved on this workstation${since} until space is freed on its disk; calls and receipts are held and will be saved then.`;
    case 'locked':
      return `Local database held by another program: ${waiting}. Nothing new can be saved on this workstation${since} until that program lets go; calls and receipts are held and will be saved then.`;
    case 'io_error':
      return `Local disk cannot be written: ${waiting}. Nothing new can be saved on this workstation${since}; calls and receipts are held and will be saved when the disk takes writes again.`;
  }
}

/**
 * Shown in every window, signed in or not, while the workstation's own file refuses writes (a full disk, another
 * program's lock), and gone by itself once the store takes writes again. An alert, so a screen reader says it at
 * once.
 */
export function StoreAlarm() {
  const health = useConsole((s) => s.storeHealth);
  const clock = useWallClockIfLoaded();
  const text = health && describeStoreAlarm(health, clock);
  if (!text) return null;
  return (
    <div role="alert" aria-label="Workstation storage" className="store-alarm" data-fault={health.fault}>
      {text}
    </div>
  );
}
