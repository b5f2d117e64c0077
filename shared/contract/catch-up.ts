import { z } from 'zod';
import { Instant } from '../domain/time';
import { Uuid } from '../domain/ids';
import { plainText } from '../domain/text';
import { LogText } from '../domain/incident';

/**
 * What a desk knows of the last outage it lived through, kept by its console core (in its file, so a reload or a
 * restart keeps it): when the system went down as this desk saw it, whether the server said the whole system was down
 * (`system`: an exercise's CAD down) or the desk simply lost it (`network`), and when it came back. Catch-up enters
 * the records kept on paper meanwhile, each with its own time; `active` while the operator is doing so.
 */
export const CatchUpStatus = z.object({
  outage: z.object({ from: Instant, kind: z.enum(['system', 'network']), backAt: Instant.nullable() }).nullable(),
  /** Whether the desk offers catch-up: the system is back after an outage long enough to have needed paper. */
  offered: z.boolean(),
  active: z.boolean(),
});
export type CatchUpStatus = z.infer<typeof CatchUpStatus>;

/** A time written on a paper form: hh:mm (with BST/GMT in an hour that repeats), on the force's day `date` (YYYY-MM-DD). */
export const PaperTimeField = z.object({ date: z.string().max(10), time: z.string().max(12) }).strict();
export type PaperTimeField = z.infer<typeof PaperTimeField>;

/**
 * An incident kept on paper while the system was down, entered in catch-up: what the paper form says (when the call
 * came, who called, where, what, type and grade), its timed log lines, and the units sent by radio with their times.
 */
export const PaperIncidentRequest = z
  .object({
    callAt: PaperTimeField,
    type: z.string().min(1, 'choose the incident type'),
    grade: z.string().min(1, 'choose the grade'),
    location: plainText({ min: 1, max: 200, empty: 'the location on the paper is needed' }),
    description: plainText({ max: 2000, multiline: true }).default(''),
    callerName: plainText({ max: 120 }).default(''),
    callerNumber: plainText({ max: 40 }).default(''),
    log: z.array(z.object({ at: PaperTimeField, text: LogText }).strict()).max(50).default([]),
    /**
     * The call the paper record came from, among those that rang during the outage (catchUp.outageCalls), with the
     * time the paper says it was answered; null when it is not listed or there was none.
     */
    call: z.object({ contactId: Uuid, answeredAt: PaperTimeField }).strict().nullable().default(null),
    deployments: z
      .array(z.object({ unitId: z.string().min(1), deployedAt: PaperTimeField, arrivedAt: PaperTimeField.nullable(), clearedAt: PaperTimeField.nullable() }).strict())
      .max(20)
      .default([]),
  })
  .strict();
export type PaperIncidentRequest = z.infer<typeof PaperIncidentRequest>;

/**
 * A further call that rang while the system was down, answered on the handset and noted on the paper of an incident
 * already there: attached to it in catch-up, answered at the time the paper gives.
 */
export const PaperCallAttachRequest = z.object({ incidentId: Uuid, contactId: Uuid, answeredAt: PaperTimeField }).strict();
export type PaperCallAttachRequest = z.infer<typeof PaperCallAttachRequest>;
