import { z } from 'zod';
import { IncidentLocation } from '../../../shared/domain/location';

/**
 * What the handler has entered for the call so far. Saved as they type (on the workstation, not the server), so a
 * console killed mid-call comes back with the form as it was.
 */
export const CallDraft = z.object({
  contactId: z.string().nullable(),
  callerNumber: z.string(),
  callerName: z.string(),
  locationTyped: z.string(),
  locationChosen: IncidentLocation.nullable(),
  type: z.string(),
  grade: z.string(),
  gradeChosen: z.boolean(),
  answers: z.record(z.string(), z.enum(['yes', 'no', 'unknown'])),
  narrative: z.string(),
});
export type CallDraft = z.infer<typeof CallDraft>;

export function emptyDraft(contactId: string | null, callerNumber: string | null): CallDraft {
  return { contactId, callerNumber: callerNumber ?? '', callerName: '', locationTyped: '', locationChosen: null, type: '', grade: '', gradeChosen: false, answers: {}, narrative: '' };
}

export function draftKey(contactId: string | null): string {
  return `call:${contactId ?? 'without-call'}`;
}
