/**
 * The force reference of an incident: force code, the day in the force's time zone, and that day's serial, e.g.
 * DMO-20261129-0042. Serials restart each day, as control room logs do.
 */
export function forceReference(forceCode: string, day: string, serial: number): string {
  return `${forceCode}-${day}-${String(serial).padStart(4, '0')}`;
}

/** The calendar day (YYYYMMDD) of an instant in a time zone: the counter a reference is drawn from. */
export function referenceDay(instantMs: number, timeZone: string): string {
  const parts = dayFormat(timeZone).formatToParts(instantMs);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}${part('month')}${part('day')}`;
}

/** Building a formatter costs far more than using one, and every command asks for the day: one per time zone. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format;
}
