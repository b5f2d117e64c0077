/**
 * How the audit window words an answer: the same words an exported file carries (server/audit/audit-csv.ts), so they
 * live in shared/domain/audit-answer-words.ts, pure, for both.
 */
export * from '../../../shared/domain/audit-answer-words';
