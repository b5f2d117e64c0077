import { randomUUID } from 'node:crypto';
import { applyCommand, parseCommand, readsOf } from '../../shared/commands/registry';
import { refusalToRead, strayedWrite, type WriteCheck } from '../../shared/domain/assist-writes';
import { commandPolicy } from '../../shared/domain/command-policy';
import type { AnyRecord } from '../../shared/domain/records';
import type { ForceConfig } from '../../shared/domain/force-config';
import { provisionalReference } from '../../shared/domain/reference';
import type { RecordKey } from '../../shared/domain/records';
import type { RedoOf } from '../../shared/domain/refusal';
import type { Relay } from '../../shared/domain/relay';
import { SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import type { WorkstationStore } from '../store/workstation-store';
import { contextOf } from './command-context';
import { isWorkstationFact } from '../../shared/domain/operator';
import { commandWords } from '../../shared/commands/command-words';

/**
 * Who issues: the signed-in operator, their workstation, and the server's ticket proving the sign-in; or, for a
 * unit's terminal or the telephony switch relayed by the workstation, its name (relayAuthor), no ticket, and the relay.
 */
export interface Operator {
  operator: string;
  workstation: string;
  ticket: string;
  relay?: Relay;
  /** The workstation issues it on its own, not the operator (shared/domain/automatic.ts). */
  automatic?: boolean;
}

export class CommandRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CommandRefused';
  }
}

/**
 * The check a command is held to for another force's records this workstation holds (an incident shared to view
 * only, or at the assist tier a command the tier does not allow: shared/domain/assist-writes.ts), by the shares it
 * holds of the incidents it reads; null when it reads only its own force's records. The server decides again by the
 * shares as they stand: this spares the operator an optimistic change the server would refuse, online or offline.
 */
function heldCheck(store: WorkstationStore, own: string, name: string, reads: readonly RecordKey[], timeZone: string): { check: WriteCheck; held: AnyRecord[] } | null {
  const held = reads
    .map((key) => ({ ...key, doc: store.view.get(key.kind, key.id) }) as AnyRecord)
    .filter((record) => {
      // Only another force's record: one of no force is the server's to judge (it refuses it too).
      const force = (record.doc as { force?: unknown } | undefined)?.force;
      return typeof force === 'string' && force !== own;
    });
  if (held.length === 0) return null;
  const incidents = new Set(held.map((record) => (record.kind === 'incident' ? record.id : (record.doc as { incidentId?: string }).incidentId)).filter((id): id is string => Boolean(id)));
  const shares = [...incidents].flatMap((id) => store.view.sharesOf(id)).filter((share) => share.sharedWith === own);
  // The force's time zone, as the server's check has it: a time in the words (a transfer's, a take-back's) reads alike.
  return { check: { force: own, command: name, policy: commandPolicy(shares), timeZone }, held };
}

/** Why the command may not read another force's record it names (refusalToRead), or null. */
function heldRefusal(held: { check: WriteCheck; held: AnyRecord[] } | null): string | null {
  if (!held) return null;
  for (const record of held.held) {
    const problem = refusalToRead(held.check, record);
    if (problem) return problem;
  }
  return null;
}

/**
 * Issues one user action: its effect on the view and its outbox row are written in one transaction, so when this
 * returns the action is on disk and will reach the server whatever happens next. A command the rules refuse
 * changes nothing and throws.
 */
export function issueCommand(
  store: WorkstationStore,
  config: ForceConfig,
  who: Operator,
  name: string,
  args: unknown,
  issuedAt: string,
  /** The command's id: the window's request id where the action came from one (see request-ledger.ts). */
  commandId: string = randomUUID(),
  /** The refused command this one does again, if any: it applies only while that refusal waits (see applyRedo). */
  redoOf?: RedoOf,
): { envelope: CommandEnvelope; touched: RecordKey[] } {
  const parsed = parseCommand(name, args);
  if (!parsed.ok) throw new CommandRefused('invalid', parsed.reason);
  // Recorded by the sign-in itself when nobody is signed in (main/core/operator-session.ts), never by a desk.
  if (isWorkstationFact(name)) throw new CommandRefused('forbidden', `${who.operator} may not ${commandWords(name)}: the workstation records it itself`);
  const reads = readsOf(parsed.command, who.operator, redoOf);
  const held = heldCheck(store, config.force.code, name, reads, config.force.timeZone);
  const trespass = heldRefusal(held);
  if (trespass) throw new CommandRefused('forbidden', trespass);
  return store.transaction(() => {
    const clientSeq = store.meta.increment('next_client_seq');
    // Acting on records the server does not have yet: the commands waiting here that made them, which this one follows.
    const follows = store.outbox.firstPendingTouching(reads.filter((key) => store.server.get(key) === undefined)).slice(-16);
    const envelope: CommandEnvelope = {
      commandId,
      clientId: store.clientId,
      clientSeq,
      name,
      args: parsed.command.args,
      issuedAt,
      operator: who.operator,
      ticket: who.ticket,
      workstation: who.workstation,
      schemaVersion: SCHEMA_VERSION,
      ...(redoOf ? { redoOf } : {}),
      ...(who.relay ? { relay: who.relay } : {}),
      ...(who.automatic ? { automatic: true as const } : {}),
      ...(follows.length > 0 ? { follows } : {}),
    };
    const result = applyCommand(parsed.command, contextOf(envelope, config), store.view);
    if (!result.ok) throw new CommandRefused(result.code, result.reason);
    // What it would write of another force's records, as the server checks it (strayedWrite): refused here at once,
    // in the server's words, rather than shown and then undone (issue 12: an assisting desk moved its own unit lent to
    // the incident's force, which the server refuses; offline it stood on the screen until the desk came back).
    const stray = held ? strayedWrite(held.check, result.changes, (key) => store.view.get(key.kind, key.id)) : null;
    if (stray) throw new CommandRefused('forbidden', stray);
    for (const change of result.changes) store.view.write(change);
    const touched = result.changes.map(({ kind, id }) => ({ kind, id }));
    store.outbox.append(envelope, touched);
    store.view.refreshPending(touched);
    return { envelope, touched };
  });
}

/**
 * Mints the next provisional reference: the workstation's name, the generation the server gave this data file at
 * enrolment, and the file's own counter (see provisionalReference): unique without the server, and across a
 * workstation rebuilt under the same name.
 */
export function mintProvisionalReference(store: WorkstationStore, workstation: string): string {
  return store.transaction(() => {
    const n = store.meta.increment('provisional_counter');
    const generation = store.meta.get(REFERENCE_GENERATION);
    return provisionalReference(workstation, generation ? Number(generation) : null, n);
  });
}

/** Where the workstation's file keeps the reference generation its enrolment gave it. */
export const REFERENCE_GENERATION = 'reference_generation';
