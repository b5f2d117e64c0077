import { wallClock } from './wall-clock';

/**
 * The force reference of an incident: force code, the day in the force's time zone, and that day's serial, e.g.
 * DMO-20261129-0042. Serials restart each day, as control room logs do.
 */
export function forceReference(forceCode: string, day: string, serial: number): string {
  return `${forceCode}-${day}-${String(serial).padStart(4, '0')}`;
}

/** The calendar day (YYYYMMDD) of an instant in the force's time zone: the counter a reference is drawn from. */
export function referenceDay(instantMs: number, timeZone: string): string {
  return wallClock(timeZone).referenceDay(instantMs);
}
