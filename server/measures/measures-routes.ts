import type { Logger } from 'pino';
import { describeIssues } from '../../shared/validation';
import type { Role } from '../../shared/domain/operator';
import { Contact } from '../../shared/domain/contact';
import { Incident } from '../../shared/domain/incident';
import { Assignment } from '../../shared/domain/assignment';
import { roomMeasures, type MeasureRecords } from '../../shared/measures/room-measures';
import { measureLevels } from '../../shared/measures/measure-levels';
import { lastHour, shiftAt, type MeasureSpan } from '../../shared/measures/measure-window';
import { MeasuresRequest, type MeasureWindow, type MeasuresResponse } from '../../shared/sync/measures-protocol';
import { HttpError } from '../http/read-body';
import { admitAsker } from '../access/check-asker';
import type { ServerRules } from '../commands/plan-command';
import type { EnrolledDevice, ServerStorage } from '../storage/storage';
import type { ForceCode } from '../../shared/domain/force';

/** Who may ask for the room's measures. */
export const MEASURE_READERS: readonly Role[] = ['supervisor'];

/**
 * The live spans end on a multiple of this, on the server's clock: every workstation asking within the same ten
 * seconds gets the same span, so the same figures, and the server computes them once for all of them.
 */
export const LIVE_SLOT_MS = 10_000;

export interface MeasuresRouteDeps {
  storage: ServerStorage;
  rules: ServerRules;
  log: Logger;
  device: EnrolledDevice;
  ticketSecret: string;
  /** Answers already computed, by span (see MeasuresCache). */
  cache: MeasuresCache;
}

/**
 * The room's measures for a span (shared/sync/measures-protocol.ts), computed on the server from the asking
 * workstation's force's records only, by that force's rules (`rules` must be rulesOfDevice's)
 * (shared/measures/room-measures.ts), with each figure's level against the force's thresholds. Refusals: 400 for a
 * malformed request, 403 for a ticket that is not good or an operator who is not a supervisor. Aggregates only, of
 * no one record: nothing is written to the audit log.
 */
export async function handleMeasures(body: unknown, deps: MeasuresRouteDeps): Promise<MeasuresResponse> {
  const now = deps.rules.now();
  // The asker first: a role refused the measures learns nothing of what the request takes.
  await admitAsker(body, 'measures', { ...deps, now }, MEASURE_READERS, "may not see the room's measures: only a supervisor may");
  const parsed = MeasuresRequest.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `measures: ${describeIssues(parsed.error)}`);
  const request = parsed.data;
  // The asking workstation's force's room only: its records, its shifts and thresholds (deps.rules are its force's).
  const force = deps.device.force;
  if (force === null) throw new HttpError(403, "this workstation belongs to no force, so it has no room's measures: enrol it again for its force");
  const { span, shiftName } = placeWindow(request.window, deps.rules, now);
  return deps.cache.answer(force, request.window.kind, span, now, async () => {
    const records = readRecords(await deps.storage.measureRecords(new Date(span.fromMs).toISOString(), new Date(span.toMs).toISOString(), force), deps.log);
    const measures = roomMeasures(deps.rules.config, records, span);
    return {
      window: { kind: request.window.kind, from: new Date(span.fromMs).toISOString(), to: new Date(span.toMs).toISOString(), shiftName },
      measures,
      levels: measureLevels(measures, deps.rules.config.measures.thresholds),
    };
  });
}

/** The span a window names, on the server's clock. */
function placeWindow(window: MeasureWindow, rules: ServerRules, now: number): { span: MeasureSpan; shiftName: string | null } {
  const end = Math.floor(now / LIVE_SLOT_MS) * LIVE_SLOT_MS;
  switch (window.kind) {
    case 'last-hour':
      return { span: lastHour(end), shiftName: null };
    case 'shift': {
      const shift = shiftAt(rules.config.measures, rules.config.force.timeZone, now);
      // Within the first ten seconds of a shift the slot's end is before its start: a span of no length.
      return { span: { fromMs: shift.fromMs, toMs: Math.max(shift.fromMs, end) }, shiftName: shift.name };
    }
    case 'span':
      return { span: { fromMs: Date.parse(window.from), toMs: Date.parse(window.to) }, shiftName: null };
  }
}

/** Stored documents parsed as the rules read them; one that no longer parses is left out and logged, not fatal. */
export function readRecords(docs: { contacts: unknown[]; incidents: unknown[]; assignments: unknown[] }, log: Logger): MeasureRecords {
  let unreadable = 0;
  const parse = <T>(schema: { safeParse(doc: unknown): { success: true; data: T } | { success: false } }, list: unknown[]): T[] =>
    list.flatMap((doc) => {
      const parsed = schema.safeParse(doc);
      if (parsed.success) return [parsed.data];
      unreadable++;
      return [];
    });
  const records = { contacts: parse(Contact, docs.contacts), incidents: parse(Incident, docs.incidents), assignments: parse(Assignment, docs.assignments) };
  if (unreadable) log.warn({ unreadable }, 'records left out of the measures: they do not read as this version’s');
  return records;
}

/**
 * Answers computed for live spans, kept for one slot: the supervisors' desks all ask every few seconds, and each
 * span is computed once however many ask. A chosen span (a review's) is computed afresh each time: records made
 * offline may still arrive for it.
 */
export class MeasuresCache {
  private readonly answers = new Map<string, { until: number; answer: Promise<MeasuresResponse> }>();

  answer(force: ForceCode, kind: MeasureWindow['kind'], span: MeasureSpan, now: number, compute: () => Promise<MeasuresResponse>): Promise<MeasuresResponse> {
    if (kind === 'span') return compute();
    for (const [key, kept] of this.answers) if (kept.until <= now) this.answers.delete(key);
    // Each force's answer is its own: one force's figures are never handed to another's desks.
    const key = `${force}:${kind}:${span.fromMs}:${span.toMs}`;
    const kept = this.answers.get(key);
    if (kept) return kept.answer;
    const answer = compute();
    this.answers.set(key, { until: span.toMs + LIVE_SLOT_MS, answer });
    // A failed computation (the storage unreachable) is not kept: the next to ask tries again.
    answer.catch(() => this.answers.delete(key));
    return answer;
  }
}
