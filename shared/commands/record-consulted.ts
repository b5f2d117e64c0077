import { z } from 'zod';
import { ConsultationReason, ConsultedKind } from '../domain/consultation';
import type { CommandDefinition } from './types';

export const ConsultedArgs = z
  .object({
    /** What was consulted: an incident (its id), a caller's history (the number as typed, normalised), a location's history (the place), a search (what was typed). */
    recordKind: ConsultedKind,
    recordId: z.string().min(1).max(200),
    /** The contract channel that showed it, e.g. `incidents.get`. */
    channel: z.string().min(1).max(64),
    /** What was asked of it (the channel's request, without the reason). */
    query: z.record(z.string(), z.unknown()),
    /** The records the answer showed, beyond the one consulted (a history's incidents and calls, a search's matches). */
    revealed: z.array(z.object({ kind: z.string().min(1).max(32), id: z.string().min(1).max(200) })).max(100),
    /** The reason given, where the force asks for one (or the operator gave one). */
    reason: ConsultationReason.nullable(),
  })
  .strict();
export type ConsultedArgs = z.infer<typeof ConsultedArgs>;

/**
 * Records a consultation in the server's audit log (DPA 2018 s.62), through the outbox, so what was looked at
 * offline is logged too, with the time it was looked at. It changes no record: the server's audit entry is its
 * whole effect (server/audit/command-audit.ts).
 */
export const recordConsulted: CommandDefinition<ConsultedArgs> = {
  name: 'record.consulted',
  args: ConsultedArgs,
  reads: () => [],
  apply: () => ({ ok: true, changes: [] }),
};

/** What stands for the typed text a look was made with (a number, a place, a search) once a record it showed is erased. */
export const ERASED_LOOK_TEXT = '(erased)';

/**
 * A look not yet sent, as the workstation keeps it once a record it showed has been erased (main/store/erased-content.ts):
 * still a look (its audit entry is owed: who looked, when, at which records), but without what was typed or asked
 * (a caller's number, a place, a search's words), nor the reason given. Records named by id keep their ids (an id
 * is a serial name, not personal data); a look whose subject is typed text names it as ERASED_LOOK_TEXT. Still
 * valid ConsultedArgs.
 */
export function lookWithoutContent(args: ConsultedArgs): ConsultedArgs {
  return { ...args, recordId: args.recordKind === 'incident' ? args.recordId : ERASED_LOOK_TEXT, query: {}, reason: null };
}
