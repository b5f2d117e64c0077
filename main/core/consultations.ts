import { randomUUID } from 'node:crypto';
import { ApiError } from '../../shared/contract/errors';
import type { ConsultedArgs } from '../../shared/commands/record-consulted';
import { consultationKeyText, isNewConsultation, reasonNeeded, type ShownRecord } from '../../shared/domain/consultation';
import { instantOf } from '../../shared/domain/time';
import { contactRow, incidentRow } from '../../shared/domain/list-rows';
import type { ContactView, IncidentView } from '../../shared/contract/views';
import { issueCommand } from '../sync/issue-command';
import type { CoreContext } from './core-context';
import type { HeldEvents } from './held-events';

/** One look at a record, as a channel's handler reports it (the operator and the time are the core's). */
export type Consultation = ConsultedArgs;

/**
 * The workstation's record of what its operators looked at (DPA 2018 s.62): each consultation is a
 * `record.consulted` command in the outbox, written before the answer goes back to the window, so it reaches the
 * server however long the workstation is offline, with the time it happened and in the name of who looked.
 *
 * Repeated openings within the force's window are one consultation (shared/domain/consultation.ts). When each key
 * was last recorded is kept in memory, not in the file: after a restart the first opening is recorded again, which
 * is one entry too many at worst, never one missing, and keeps the workstation's schema as it is.
 *
 * Looking must never wait for the disk: a consultation the file refuses (a full disk, another program's lock) is
 * held in memory with the other outside events and written, with its own time and operator, once the file takes
 * writes again; the record is shown meanwhile.
 */
export class ConsultationLog {
  private readonly lastRecorded = new Map<string, number>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly held: HeldEvents,
  ) {}

  /**
   * Refuses to show `shown` without a reason where the force's configuration asks for one: an ApiError
   * `reason_needed` whose message says why, which the window turns into the prompt.
   */
  requireReason(shown: ShownRecord, reason: string | null): void {
    const why = this.reasonFor(shown, reason);
    if (why) throw new ApiError('reason_needed', `Give a reason to see this: ${why}`);
  }

  /** Why `shown` may not be shown without a reason, when none was given; null when it may be. */
  reasonFor(shown: ShownRecord, reason: string | null): string | null {
    if (reason !== null) return null;
    return reasonNeeded(this.ctx.config.justification, shown, this.ctx.config.force.code, this.ctx.clock.now());
  }

  /**
   * An incident as a list shows it (shared/domain/list-rows.ts): whole where its detail needs no reason, else its
   * row, without what the reason is asked for. A list is not a consultation: nothing is recorded.
   */
  incidentRow(incident: IncidentView): IncidentView {
    return incidentRow(incident, this.ctx.config.justification, this.ctx.config.force.code, this.ctx.clock.now());
  }

  /** A call as a list of the room's calls shows it: the caller's number only where their history needs no reason. */
  contactRow(contact: ContactView): ContactView {
    return contactRow(contact, this.ctx.config.justification, this.ctx.config.force.code, this.ctx.clock.now());
  }

  /**
   * The signed-in operator has just made this record: its collection entry already says they had it, so opening
   * it within the window (the window shows what it made at once) is no further consultation.
   */
  madeHere(recordKind: Consultation['recordKind'], recordId: string): void {
    const operator = this.ctx.session.signedIn?.operator.id;
    if (operator) this.lastRecorded.set(consultationKeyText({ operator, recordKind, recordId, reason: null }), this.ctx.clock.now());
  }

  /** Records a consultation by the signed-in operator, now, unless the same one was recorded within the window. */
  record(consultation: Consultation): void {
    const signedIn = this.ctx.session.signedIn;
    if (!signedIn) return; // every channel that shows a record needs a sign-in; nothing was shown
    const now = this.ctx.clock.now();
    const key = consultationKeyText({ operator: signedIn.operator.id, recordKind: consultation.recordKind, recordId: consultation.recordId, reason: consultation.reason });
    if (!isNewConsultation(this.lastRecorded.get(key), now, this.ctx.config.justification.repeatWindowMinutes * 60_000)) return;
    this.lastRecorded.set(key, now);
    const who = { operator: signedIn.operator.id, workstation: this.ctx.workstation, ticket: signedIn.ticket };
    const issuedAt = instantOf(this.ctx.clock);
    const { store, config } = this.ctx;
    this.held.receive({
      event: { type: 'record.consulted' },
      apply: () => {
        store.transaction(() => issueCommand(store, config, who, 'record.consulted', consultation, issuedAt, randomUUID()));
        this.ctx.sync.send();
      },
    });
  }
}
