import { derivedId } from '../../shared/domain/derived-id';
import type { TelephonyAdapter, TelephonyEvent } from '../adapters/telephony/telephony-adapter';
import type { CoreContext } from './core-context';

/**
 * Turns what the telephony adapter reports into commands issued by the operator signed in here: calls are only
 * offered to a position someone is signed in at, so events that come while nobody is are held until someone is.
 * A call's contact id is derived from the workstation and the call id, the same after a restart.
 */
export class TelephonyBridge {
  private readonly held: TelephonyEvent[] = [];
  private readonly callOf = new Map<string, string>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly adapter: TelephonyAdapter | null,
  ) {}

  start(): void {
    this.adapter?.start((event) => this.receive(event));
  }

  stop(): void {
    this.adapter?.stop();
  }

  /** Someone signed in: the calls that rang meanwhile are put through, with their original times. */
  signedIn(): void {
    for (const event of this.held.splice(0)) this.receive(event);
  }

  /** The handler picked a call up: the switch connects it (the simulator stops its abandon timer). */
  answered(contactId: string): void {
    const callId = this.callOf.get(contactId);
    if (callId) this.adapter?.answer(callId);
  }

  private receive(event: TelephonyEvent): void {
    if (!this.ctx.session.signedIn) {
      this.held.push(event);
      return;
    }
    const contactId = derivedId(this.ctx.store.clientId, event.callId);
    this.callOf.set(contactId, event.callId);
    try {
      switch (event.type) {
        case 'ringing':
          this.ctx.issue('contact.receive', () => ({ contactId, source: event.source, callerNumber: event.callerNumber, receivedAt: event.at, handsetLocation: null }));
          break;
        case 'location':
          this.ctx.issue('contact.locate', () => ({ contactId, handsetLocation: event.handsetLocation }));
          break;
        case 'abandoned':
          if (this.ctx.store.view.get('contact', contactId)?.state === 'ringing') {
            this.ctx.issue('contact.end', () => ({ contactId, outcome: 'abandoned', taskId: derivedId(contactId, 'call-back') }));
          }
          break;
        case 'ended':
          break; // the handler ends the contact, with its outcome
      }
    } catch (error) {
      this.ctx.log.warn({ err: error, event }, 'a telephony event could not be recorded');
    }
  }
}
