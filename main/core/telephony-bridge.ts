import { derivedId } from '../../shared/domain/derived-id';
import { callBackTaskId } from '../../shared/domain/call-backs';
import { takenAt, type Contact } from '../../shared/domain/contact';
import type { TelephonyAdapter, TelephonyEvent } from '../adapters/telephony/telephony-adapter';
import type { CoreContext } from './core-context';
import type { HeldEvents } from './held-events';

/** The telephony switch, as the author of what it reports. */
const SWITCH = { kind: 'telephony' } as const;

/**
 * Turns what the telephony adapter reports into commands this workstation relays in the switch's name (`telephony`),
 * not the signed-in operator's: a call ringing, its handset's location and the caller hanging up are the network's
 * doing, and the audit log must not say the operator did them (answering and ending a call are hers, from the
 * window). Every event goes through the held events, in the order it came: calls are only offered to a position
 * someone is signed in at, and only written when the file takes writes, so events that come while nobody is signed
 * in, or while the disk is full, are held until then and recorded with their original times. A call's contact id is
 * derived from the workstation and the call id, the same after a restart.
 */
export class TelephonyBridge {
  private readonly callOf = new Map<string, string>();
  /** Calls answered at another workstation that the switch has been told of. */
  private readonly toldElsewhere = new Set<string>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly adapter: TelephonyAdapter | null,
    private readonly held: HeldEvents,
  ) {}

  start(): void {
    this.adapter?.start((event) => this.held.receive({ event, apply: () => this.record(event) }));
  }

  stop(): void {
    this.adapter?.stop();
  }

  /** The handler picked a call up: the switch connects it (the simulator stops its abandon timer). */
  answered(contactId: string): void {
    const callId = this.callOf.get(contactId);
    if (callId) this.adapter?.answer(callId);
  }

  /**
   * Calls as they now stand on this workstation (synced from the room): one this position reported that was
   * answered at another workstation is told to the switch once (TelephonyAdapter.answeredElsewhere), so a simulator
   * does not abandon a call a trainee is on. One answered here was told by `answered`.
   */
  contactsChanged(contacts: readonly Contact[]): void {
    for (const contact of contacts) {
      const callId = this.callOf.get(contact.id);
      const at = takenAt(contact);
      if (!callId || at === null || at === this.ctx.workstation || this.toldElsewhere.has(contact.id)) continue;
      this.toldElsewhere.add(contact.id);
      this.adapter?.answeredElsewhere?.(callId, at);
    }
  }

  private record(event: TelephonyEvent): void {
    const contactId = derivedId(this.ctx.store.clientId, event.callId);
    this.callOf.set(contactId, event.callId);
    switch (event.type) {
      case 'ringing':
        this.ctx.relay(SWITCH, 'contact.receive', () => ({ contactId, source: event.source, callerNumber: event.callerNumber, receivedAt: event.at, handsetLocation: null }), event.at);
        break;
      case 'location':
        this.ctx.relay(SWITCH, 'contact.locate', () => ({ contactId, handsetLocation: event.handsetLocation }), event.handsetLocation.at);
        break;
      case 'abandoned':
        {
          const contact = this.ctx.store.view.get('contact', contactId);
          // Abandoned calls from one number go to one call-back task (see callBackTaskId).
          const taskId = callBackTaskId(this.ctx.config.force.code, contact?.callerNumber ?? null, contactId);
          if (contact?.state === 'ringing') this.ctx.relay(SWITCH, 'contact.end', () => ({ contactId, outcome: 'abandoned', taskId }), event.at);
        }
        break;
      case 'ended':
        break; // the handler ends the contact, with its outcome
    }
  }
}
