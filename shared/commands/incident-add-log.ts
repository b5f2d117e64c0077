import { z } from 'zod';
import { LogText, type LogEntry } from '../domain/incident';
import { Uuid } from '../domain/ids';
import { Instant } from '../domain/time';
import { paperTimeRefusal } from '../domain/back-entry';
import { deskIssuedMs, missing, reject, type CommandDefinition } from './types';

export const AddLogEntryArgs = z.object({
  incidentId: Uuid,
  entryId: Uuid,
  text: LogText,
  /**
   * A line kept on paper while the system was down, entered afterwards: `at` is the paper's time (ISO UTC, read from
   * the typed hh:mm by readPaperTime), kept as the line's own; `outageFrom` when the system went down. Refused if the
   * paper's time is after the command was issued or before the outage's minute (less the margin, PAPER_MARGIN_MINUTES).
   */
  paper: z.object({ at: Instant, outageFrom: Instant }).strict().optional(),
});
export type AddLogEntryArgs = z.infer<typeof AddLogEntryArgs>;

/** Log entries are append-only: two operators writing at once both keep their lines; nothing conflicts. */
export const addLogEntry: CommandDefinition<AddLogEntryArgs> = {
  name: 'incident.addLog',
  args: AddLogEntryArgs,
  reads: (args) => [
    { kind: 'incident', id: args.incidentId },
    { kind: 'logEntry', id: args.entryId },
  ],
  apply(args, ctx, state) {
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    const existing = state.get('logEntry', args.entryId);
    if (existing && existing.incidentId !== args.incidentId) {
      return reject('invalid', `log entry ${args.entryId} belongs to another incident`);
    }
    const { paper } = args;
    if (paper && !existing) {
      const refused = paperTimeRefusal(Date.parse(paper.at), Date.parse(paper.outageFrom), Date.parse(ctx.issuedAt), deskIssuedMs(ctx));
      if (refused) return reject('invalid', refused);
      // Nothing happened on an incident before it was opened: a paper line cannot be older than the incident (whatever
      // outage a crafted or mistaken entry names), as a back-entered deployment cannot (deployment-record.ts). Paper
      // times are to the minute, so a line in the incident's own minute stands.
      if (Date.parse(paper.at) < Math.floor(Date.parse(incident.createdAt) / 60_000) * 60_000) {
        return reject('invalid', `the paper's time ${paper.at} is before the incident was opened (${incident.createdAt})`);
      }
    }
    const backEntered = paper && { by: ctx.actor.operator, workstation: ctx.actor.workstation, enteredAt: ctx.issuedAt, outageFrom: paper.outageFrom };
    // The incident's record, its owner's; a force assisting through a share is named as the one that wrote it.
    const own = ctx.config.force.code;
    const entry: LogEntry = existing ?? {
      id: args.entryId,
      force: incident.force,
      ...(incident.force !== own ? { byForce: own } : {}),
      incidentId: args.incidentId,
      kind: 'note',
      text: args.text,
      author: ctx.actor.operator,
      workstation: ctx.actor.workstation,
      at: paper?.at ?? ctx.issuedAt,
      ...(backEntered && { backEntered }),
    };
    return { ok: true, changes: [{ kind: 'logEntry', id: entry.id, doc: entry }] };
  },
};
