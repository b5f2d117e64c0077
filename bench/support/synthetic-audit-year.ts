import { randomUUID } from 'node:crypto';
import { canonicalJson, chainEntries, type AuditDraft, type AuditEntry } from '../../server/audit/audit-chain';

/**
 * A synthetic year of a large force's audit log, as the server would have written it: a valid hash chain, entries in
 * the order they happened, incidents' entries interleaved as a room's are. The mix per incident (mean ≈ 14.3 entries):
 * - created: the incident and its first log line (2 collections, the call handler);
 * - 0–4 more log lines (mean 2), by the handler or the dispatcher;
 * - 1–5 consultations (mean 3): its detail opened by the handler, the dispatcher, a supervisor, with a reason;
 * - 1 search of past incidents by the handler, whose answer showed it and the incident begun before it (1 entry,
 *   2 rows of audit_reveals: what "who looked at this incident" reads besides the incident's own entries);
 * - half are corrected once (3 alterations: description, caller, version);
 * - 70% get a unit: an assignment created and moved through 3 statuses (1 collection + 3 alterations);
 * - closed (3 alterations: status, closing code, version);
 * - 1 in 500 disclosed to the other force (1 disclosure, its recipient NBR).
 * Every entry names the force it belongs to (DMO), as the server writes them since entries carry their force.
 * 600 operators (400 call handlers, 150 dispatchers, 50 supervisors) at 200 workstations; 1 entry in 100 was made
 * offline and arrives with a workstation time up to 3 hours before the server recorded it.
 */
export const MEAN_ENTRIES_PER_INCIDENT = 2 + 2 + 3 + 1 + 0.5 * 3 + 0.7 * 4 + 3 + 0.002;

/** The force whose year it is (the demonstration force, which the benchmark's auditor belongs to). */
export const SYNTHETIC_FORCE = 'DMO';

export const HANDLERS = 400;
export const DISPATCHERS = 150;
export const SUPERVISORS = 50;
export const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
export const YEAR_MS = 365 * 24 * 3_600_000;

/** How many incidents' entries are interleaved at once (a busy room works on this many at a time). */
const INTERLEAVE = 64;

export const operatorName = (role: 'h' | 'd' | 's', n: number) => `${role}${String(n).padStart(4, '0')}`;

/** A small, fast, seeded generator (mulberry32), so two runs write the same log. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Step = Omit<AuditDraft, 'recordedAt' | 'issuedAt' | 'clientId' | 'force' | 'commandId'>;

/** One incident's entries, in the order they happen. */
function incidentSteps(random: () => number, previous: string | null): { incidentId: string; steps: Step[] } {
  const pick = (n: number) => Math.floor(random() * n) + 1;
  const handler = operatorName('h', pick(HANDLERS));
  const dispatcher = operatorName('d', pick(DISPATCHERS));
  const supervisor = operatorName('s', pick(SUPERVISORS));
  const at = (operator: string) => `WS-${String((operator.charCodeAt(0) * 7 + Number(operator.slice(1))) % 200).padStart(3, '0')}`;
  const incidentId = randomUUID();
  const step = (operator: string, command: string, kind: Step['kind'], recordKind: string, recordId: string, field: string | null = null, before: string | null = null, after: string | null = null): Step => ({
    operator,
    workstation: at(operator),
    command,
    kind,
    recordKind,
    recordId,
    field,
    before,
    after,
  });
  const steps: Step[] = [step(handler, 'incident.create', 'collection', 'incident', incidentId), step(handler, 'incident.create', 'collection', 'logEntry', randomUUID())];
  const consult = (operator: string) => steps.push(step(operator, 'record.consulted', 'consultation', 'incident', incidentId, null, null, canonicalJson({ reason: 'working the incident' })));
  consult(dispatcher);
  const shown = [{ kind: 'incident', id: incidentId }, ...(previous ? [{ kind: 'incident', id: previous }] : [])];
  const street = `Street ${pick(500)}`;
  steps.push({ ...step(handler, 'record.consulted', 'consultation', 'search', street, null, null, canonicalJson({ channel: 'incidents.find', query: { reference: street }, reason: null, revealed: shown })), reveals: shown });
  for (let i = Math.floor(random() * 5); i > 0; i--) steps.push(step(random() < 0.5 ? handler : dispatcher, 'incident.addLog', 'collection', 'logEntry', randomUUID()));
  if (random() < 0.5) {
    steps.push(step(handler, 'incident.update', 'alteration', 'incident', incidentId, 'description', '"Two men fighting"', '"Two men fighting outside the bank, one with a bottle"'));
    steps.push(step(handler, 'incident.update', 'alteration', 'incident', incidentId, 'callerName', '""', '"J Smith"'));
    steps.push(step(handler, 'incident.update', 'alteration', 'incident', incidentId, 'version', '1', '2'));
  }
  for (let i = Math.floor(random() * 5); i > 0; i--) consult([handler, dispatcher, supervisor][Math.floor(random() * 3)]!);
  if (random() < 0.7) {
    const assignmentId = randomUUID();
    steps.push(step(dispatcher, 'unit.assign', 'collection', 'assignment', assignmentId));
    for (const [from, to] of [['"assigned"', '"en_route"'], ['"en_route"', '"on_scene"'], ['"on_scene"', '"cleared"']] as const) {
      steps.push(step(dispatcher, 'assignment.setStatus', 'alteration', 'assignment', assignmentId, 'status', from, to));
    }
  }
  steps.push(step(dispatcher, 'incident.close', 'alteration', 'incident', incidentId, 'status', '"open"', '"closed"'));
  steps.push(step(dispatcher, 'incident.close', 'alteration', 'incident', incidentId, 'closingCode', 'null', '"ADVICE"'));
  steps.push(step(dispatcher, 'incident.close', 'alteration', 'incident', incidentId, 'version', '2', '3'));
  if (random() < 0.002) steps.push(step(supervisor, 'share.create', 'disclosure', 'incident', incidentId, null, null, canonicalJson({ recipient: { force: 'NBR' }, reason: 'cross-border pursuit' })));
  return { incidentId, steps };
}

export interface GeneratedBatch {
  entries: AuditEntry[];
  /** Incidents begun so far. */
  incidents: number;
}

/**
 * Yields the year's entries in batches of about `batchSize`, chained on from `head` (the log's newest entry before
 * the year, or null). `onIncident` sees each incident's id as it starts (to sample the ones the benchmark asks about).
 * Server time runs evenly through the year with the entries; the workstation's time is a second or two before it.
 */
export function* syntheticAuditYear(options: {
  incidents: number;
  head: { seq: number; hash: string } | null;
  batchSize: number;
  seed: number;
  onIncident(index: number, id: string): void;
}): Generator<GeneratedBatch> {
  const random = seeded(options.seed);
  const expectedEntries = options.incidents * MEAN_ENTRIES_PER_INCIDENT;
  const stepMs = YEAR_MS / expectedEntries;
  let head = options.head;
  let written = 0;
  let begun = 0;
  let previous: string | null = null;
  const active: { steps: Step[]; next: number }[] = [];
  let drafts: AuditDraft[] = [];
  while (begun < options.incidents || active.length > 0) {
    while (active.length < INTERLEAVE && begun < options.incidents) {
      const { incidentId, steps } = incidentSteps(random, previous);
      previous = incidentId;
      options.onIncident(begun, incidentId);
      active.push({ steps, next: 0 });
      begun += 1;
    }
    // One step of a random incident in the room: incidents' entries interleave as their work does.
    const slot = Math.floor(random() * active.length);
    const incident = active[slot]!;
    const step = incident.steps[incident.next]!;
    incident.next += 1;
    if (incident.next >= incident.steps.length) {
      active[slot] = active[active.length - 1]!;
      active.pop();
    }
    const recorded = YEAR_START + Math.min(YEAR_MS - 1, Math.floor((written + drafts.length) * stepMs));
    const offline = random() < 0.01;
    const issued = recorded - (offline ? Math.floor(random() * 3 * 3_600_000) : Math.floor(random() * 2000));
    drafts.push({ ...step, recordedAt: new Date(recorded).toISOString(), issuedAt: new Date(issued).toISOString(), clientId: '00000000-0000-4000-8000-000000000000', force: SYNTHETIC_FORCE, commandId: randomUUID() });
    if (drafts.length >= options.batchSize) {
      const entries = chainEntries(head, drafts);
      head = entries.at(-1)!;
      written += entries.length;
      drafts = [];
      yield { entries, incidents: begun };
    }
  }
  if (drafts.length > 0) yield { entries: chainEntries(head, drafts), incidents: begun };
}
