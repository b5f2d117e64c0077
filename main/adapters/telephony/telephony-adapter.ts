import type { ContactSource, HandsetLocation } from '../../../shared/domain/contact';

/**
 * What a telephony integration (CTI with the ICCS, an AML gateway) tells a workstation: the seam a real adapter
 * implements, and the simulator too. Times are as the switch saw them.
 */
export type TelephonyEvent =
  | { type: 'ringing'; callId: string; source: ContactSource; callerNumber: string | null; at: string }
  /** The handset's position: AML typically about 30 seconds into the call, or the cell at once. */
  | { type: 'location'; callId: string; handsetLocation: HandsetLocation }
  /** The caller hung up before anyone answered. */
  | { type: 'abandoned'; callId: string; at: string }
  /** The caller hung up after the call was answered. */
  | { type: 'ended'; callId: string; at: string };

export interface TelephonyAdapter {
  /** Starts delivering events to the listener. */
  start(listener: (event: TelephonyEvent) => void): void;
  /** The handler picked the call up: a real adapter connects the audio; the simulator stops the abandon timer. */
  answer(callId: string): void;
  /**
   * A call this position reported was answered at another (`workstation`): in an exercise, every call is the
   * trainer's and trainees answer them. A real switch routes the call there itself and needs no telling; a simulator
   * treats it as answered (no abandonment; an exercise's caller hangs up in time).
   */
  answeredElsewhere?(callId: string, workstation: string): void;
  stop(): void;
}
