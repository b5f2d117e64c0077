import { z } from 'zod';
import { LogText, type LogEntry } from '../domain/incident';
import { Uuid } from '../domain/ids';
import { Instant } from '../domain/time';
import { paperBeforeIncident, paperTimeOnIncident, paperTimeRefusal, paperTimeWords } from '../domain/back-entry';
import { wallClock } from '../domain/wall-clock';
import { missing, notBefore, paperEntered, reject, type CommandDefinition } from './types';

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
  apply(args, given, state) {
    const incident = state.get('incident', args.incidentId);
    if (!incident) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    // A line written at the desk is not dated before the incident was opened (a slow desk's time); a paper line keeps its own.
    const ctx = notBefore(given, incident.createdAt);
    const existing = state.get('logEntry', args.entryId);
    if (existing && existing.incidentId !== args.incidentId) {
      return reject('invalid', `log entry ${args.entryId} belongs to another incident`);
    }
    const { paper } = args;
    if (paper && !existing) {
      const words = paperTimeWords(wallClock(ctx.config.force.timeZone));
      // Nothing happened on an incident before it was opened (whatever outage a crafted or mistaken entry names), as
      // for a back-entered deployment (deployment-record.ts).
      const entered = paperEntered(ctx);
      const refused = paperTimeRefusal(Date.parse(paper.at), Date.parse(paper.outageFrom), entered.enteredMs, words, entered.deskEnteredMs) ?? paperBeforeIncident(Date.parse(paper.at), Date.parse(incident.createdAt), "the paper's line", words);
      if (refused) return reject('invalid', refused);
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
      at: paper ? paperTimeOnIncident(paper.at, incident.createdAt) : ctx.issuedAt,
      ...(backEntered && { backEntered }),
    };
    return { ok: true, changes: [{ kind: 'logEntry', id: entry.id, doc: entry }] };
  },
};
