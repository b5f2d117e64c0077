import type { StoreHealth } from '../../../shared/contract/store-health';
import { useConsole } from '../../state/use-console';
import { plural, shortTime } from '../../app/format';

/** The alarm in words: what is wrong with the workstation's file, what is waiting, and what it means for the desk. */
export function describeStoreAlarm(health: StoreHealth): string | null {
  if (!health.fault) return null;
  const waiting = `${plural(health.waiting, 'event')} waiting`;
  const since = health.since ? ` since ${shortTime(health.since)}` : '';
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
  const text = health && describeStoreAlarm(health);
  if (!text) return null;
  return (
    <div role="alert" aria-label="Workstation storage" className="store-alarm" data-fault={health.fault}>
      {text}
    </div>
  );
}
