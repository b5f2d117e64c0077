import { z } from 'zod';
import { Name } from '../domain/ids';
import { Instant } from '../domain/time';
import { plainText } from '../domain/text';

/**
 * The auditor's questions to the central server's audit log (DPA 2018 s.62), and their answers. Asked over HTTP
 * by a workstation for its signed-in operator (supervisor or auditor), never through the outbox: the log is on the
 * server, so an answer needs the server, and asking is itself written to the log there.
 */

export const AUDIT_PATHS = {
  query: '/v1/audit/query',
  export: '/v1/audit/export',
} as const;

/** Longest span an operator's entries may be asked over at once: a year and a day (a year's log, leap years too). */
export const MAX_OPERATOR_SPAN_MS = 367 * 24 * 60 * 60 * 1000;

const RecordKindName = z.string().trim().min(1).max(40).regex(/^[A-Za-z][A-Za-z-]*$/, 'is a record kind: letters and - only');

/** Whose disclosures a question about disclosures asks for: to other forces only, or all (the audit log's exports too). */
export const DisclosedTo = z.enum(['other-forces', 'all']);
export type DisclosedTo = z.infer<typeof DisclosedTo>;

/**
 * What is asked. `record`: every entry about one record, by its kind and id (who created, changed or looked at it);
 * for an incident, about it and its records (deployments, log entries, calls; once erased, every record erased with
 * it, and the erasure). `reference`: the same for an incident named by its force or provisional reference, found
 * after its erasure too. `operator`: everything one
 * operator did or looked at between two instants, `from` included, `to` not: by the time it happened at their
 * workstation (so what was done offline is found at its own time) or by the time the server recorded it (so a
 * workstation whose clock was wrong hides nothing from a question about the real period). `disclosures`: every disclosure entry
 * (`to: 'all'`, or none given), or only those to other forces (`to: 'other-forces'`: shares, arrangements, offers and
 * loans), leaving out the audit log's own exports, which are disclosures to the supervisor or auditor who took them.
 */
export const AuditQuestion = z
  .discriminatedUnion('about', [
    z.object({ about: z.literal('record'), recordKind: RecordKindName, recordId: z.string().trim().min(1).max(200) }).strict(),
    z.object({ about: z.literal('reference'), reference: z.string().trim().min(1, 'enter an incident reference').max(40) }).strict(),
    z.object({ about: z.literal('operator'), operator: Name, from: Instant, to: Instant }).strict(),
    z.object({ about: z.literal('disclosures'), to: DisclosedTo.optional() }).strict(),
  ])
  .superRefine((question, ctx) => {
    if (question.about !== 'operator') return;
    const span = Date.parse(question.to) - Date.parse(question.from);
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after the start of the span' });
    else if (span > MAX_OPERATOR_SPAN_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be at most a year after the start: ask a year at a time' });
  });
export type AuditQuestion = z.infer<typeof AuditQuestion>;

/** Who asks, as a command says it: the operator, the ticket their sign-in gave this workstation, and when by its clock. */
const Asker = {
  operator: Name,
  ticket: z.string().min(1).max(2000),
  issuedAt: Instant,
};

export const AUDIT_PAGE_MAX = 500;

/**
 * Why the audit log is looked at: required, as every other reason is (a look at the log is a consultation of who
 * saw what, and DPA 2018 s.62 asks the justification of a consultation); plain text on one line. The core's channel
 * takes the same rule, so an empty reason is refused before anything is sent or written.
 */
export const AuditReason = plainText({ min: 1, max: 500, empty: 'say why you are looking at the audit log (it is kept with the question)' });

/** What an export's file is for (a complaint, a subject access request…): required, plain text on one line. */
export const AuditPurpose = plainText({ min: 1, max: 500, empty: 'say what the file is for' });

export const AuditQueryRequest = z
  .object({
    ...Asker,
    question: AuditQuestion,
    /** Why the log is looked at, as the asker gives it (required); kept in the consultation entry this question writes. */
    reason: AuditReason,
    limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
    /** From the page before (`nextCursor`): the page after it. Absent for the first page. */
    cursor: z.string().min(1).max(200).nullable().default(null),
  })
  .strict();
export type AuditQueryRequest = z.input<typeof AuditQueryRequest>;

/** An entry as an answer shows it: everything but the chain's hashes, which stay on the server and `audit verify`. */
export const AuditEntryView = z.object({
  seq: z.number().int().positive(),
  recordedAt: Instant,
  issuedAt: z.string(),
  operator: z.string(),
  workstation: z.string(),
  force: z.string().nullable(),
  command: z.string(),
  kind: z.string(),
  recordKind: z.string(),
  recordId: z.string(),
  field: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** The record was erased: its values (before, after) can no longer be read (shared/domain/erasure.ts). */
  valuesErased: z.boolean().optional(),
  /**
   * For a consultation, how it showed the record, in words ("search for 'Portswood'", "caller history of 07…",
   * "opened the incident's detail"): an answer about an incident lists the searches and histories that showed it
   * beside the looks at it (server/audit/audit-how.ts). Not a column of the CSV file, whose record columns say the same.
   */
  how: z.string().optional(),
  /**
   * Its two times differ by more than the allowed skew (shared/domain/audit-clock.ts): it reached the server late
   * (done offline: expected), or its workstation time is after the server recorded it or before the operator's first
   * sign-in there (a doubtful clock). Absent when they agree.
   */
  clock: z
    .discriminatedUnion('says', [
      z.object({ says: z.literal('late'), byMs: z.number().nonnegative() }),
      z.object({ says: z.literal('ahead'), byMs: z.number().nonnegative() }),
      z.object({ says: z.literal('before-ticket'), ticketAt: z.string() }),
    ])
    .optional(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

/**
 * What a question is about as people know it, for the answer's heading: a record by its name ("incident
 * DMO-2026-000123"), never only its id; an operator by their display name; and a record erased, who erased it and
 * when (the server's time). `name` null: the record has no name the asking force knows (the heading keeps its id).
 */
export const AuditSubject = z.object({
  name: z.string().nullable(),
  erased: z.object({ at: z.string(), by: z.string() }).nullable(),
});
export type AuditSubject = z.infer<typeof AuditSubject>;

export const AuditQueryResponse = z.object({
  /** Newest first (for an operator: by when it happened at the workstation, whichever of its times put it in the span). */
  entries: z.array(AuditEntryView),
  /** Give it back for the next page; null: this was the last. Stable while the log grows (entries are only appended). */
  nextCursor: z.string().nullable(),
  /** The records a `reference` question found (none: no incident has that reference). */
  records: z.array(z.object({ recordKind: z.string(), recordId: z.string() })),
  /**
   * Names for the records the entries are about, by `kind:id`, as the asking force knows them now: an incident's
   * reference, a log entry's or a call's incident (server/audit/audit-labels.ts). A record without one (erased,
   * unknown, another force's) is shown by its kind and id.
   */
  labels: z.record(z.string(), z.string()).default({}),
  /** What the question is about, as people know it (see AuditSubject); absent when there is nothing to add to the question's own words. */
  subject: AuditSubject.optional(),
});
export type AuditQueryResponse = z.infer<typeof AuditQueryResponse>;

/** Most entries one export may hold; more is refused, with the advice to narrow the question. */
export const AUDIT_EXPORT_MAX = 50_000;

export const AuditExportRequest = z
  .object({
    ...Asker,
    question: AuditQuestion,
    /** What the file is for (a complaint, a subject access request…): kept in the disclosure entry the export writes. */
    purpose: AuditPurpose,
  })
  .strict();
export type AuditExportRequest = z.input<typeof AuditExportRequest>;

export const AuditExportResponse = z.object({
  fileName: z.string(),
  /** The whole file: RFC 4180 CSV, a header line first. */
  csv: z.string(),
  rows: z.number().int().nonnegative(),
});
export type AuditExportResponse = z.infer<typeof AuditExportResponse>;
