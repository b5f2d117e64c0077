import { wallClock } from './wall-clock';

/**
 * The force reference of an incident: force code, the day in the force's time zone, and that day's serial, e.g.
 * DMO-20261129-0042. Serials restart each day, as control room logs do.
 */
export function forceReference(forceCode: string, day: string, serial: number): string {
  return `${forceCode}-${day}-${String(serial).padStart(4, '0')}`;
}

/** What begins every force reference a training server gives (TRN-DMO-20261204-0001): an exercise's, never a live one. */
export const TRAINING_REFERENCE_PREFIX = 'TRN-';

/** The calendar day (YYYYMMDD) of an instant in the force's time zone: the counter a reference is drawn from. */
export function referenceDay(instantMs: number, timeZone: string): string {
  return wallClock(timeZone).referenceDay(instantMs);
}

/**
 * The part of a provisional reference that names the workstation: its name in capitals, spaces as hyphens
 * ("ct 3" is CT-3). Two names that read the same here share one run of references, so the server counts
 * generations by this, not by the name as typed.
 */
export function provisionalPrefix(workstation: string): string {
  return workstation.trim().toUpperCase().replace(/\s+/g, '-');
}

/**
 * The reference a workstation gives an incident it makes, before (or without) the server: short enough to read
 * over the radio, and unique without asking anyone. `counter` is the workstation's own, kept in its data file;
 * `generation` is the one the server gave the data file when it enrolled: a workstation rebuilt under the same
 * name with a fresh data file enrols again, gets the next generation, and so never mints a reference its earlier
 * self already gave. The first generation (and a data file enrolled before generations, null) keeps the plain
 * form: CT-3-P0042; later ones carry it: CT-3-P2-0042. The two forms never meet: the plain one has no second
 * hyphen after the P.
 */
export function provisionalReference(workstation: string, generation: number | null, counter: number): string {
  const serial = String(counter).padStart(4, '0');
  return generation === null || generation <= 1 ? `${provisionalPrefix(workstation)}-P${serial}` : `${provisionalPrefix(workstation)}-P${generation}-${serial}`;
}

/** What a typed reference names among the incidents found by it (those whose references start with it). */
export type ReferenceMatch<T> =
  | { kind: 'one'; incident: T }
  /** More than one: `exact` when several bear the very reference typed (duplicates from old data), else prefixes. */
  | { kind: 'several'; incidents: T[]; exact: boolean }
  | { kind: 'none' };

/**
 * The incident a typed reference (force or provisional, in capitals) names: the one bearing it exactly, else the
 * only one it starts. Provisional references are unique now, but data minted before (a workstation rebuilt under
 * its old name) may hold two incidents of one reference: both are returned, never the first taken for it.
 */
export function matchReference<T extends { reference: string | null; provisionalReference: string }>(typed: string, found: readonly T[]): ReferenceMatch<T> {
  const exact = found.filter((incident) => incident.reference === typed || incident.provisionalReference === typed);
  if (exact.length === 1) return { kind: 'one', incident: exact[0]! };
  if (exact.length > 1) return { kind: 'several', incidents: exact, exact: true };
  if (found.length === 1) return { kind: 'one', incident: found[0]! };
  return found.length ? { kind: 'several', incidents: [...found], exact: false } : { kind: 'none' };
}
