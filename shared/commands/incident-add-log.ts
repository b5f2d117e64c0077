import { z } from 'zod';
import { LogText, type LogEntry } from '../domain/incident';
import { Uuid } from '../domain/ids';
import { missing, reject, type CommandDefinition } from './types';

export const AddLogEntryArgs = z.object({
  incidentId: Uuid,
  entryId: Uuid,
  text: LogText,
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
    if (!state.get('incident', args.incidentId)) return missing({ kind: 'incident', id: args.incidentId }, 'the incident');
    const existing = state.get('logEntry', args.entryId);
    if (existing && existing.incidentId !== args.incidentId) {
      return reject('invalid', `log entry ${args.entryId} belongs to another incident`);
    }
    const entry: LogEntry = existing ?? {
      id: args.entryId,
      force: ctx.config.force.code,
      incidentId: args.incidentId,
      kind: 'note',
      text: args.text,
      author: ctx.actor.operator,
      workstation: ctx.actor.workstation,
      at: ctx.issuedAt,
    };
    return { ok: true, changes: [{ kind: 'logEntry', id: entry.id, doc: entry }] };
  },
};
