/**
 * Which database notifications become pokes for this instance's live workstations. Every commit that writes records
 * notifies all instances, this one included; this instance's own commits are poked by the push path as soon as
 * they are answered, so their notifications are held back, and everything else is passed on. The cases that make
 * this more than a comparison of instance ids: a notification can arrive before its COMMIT's answer does, and a
 * COMMIT's answer can be lost (the connection broke) although the commit happened, in which case the push path
 * pokes nobody. A poke too many costs a pull; a poke missed leaves a screen stale until the next change.
 */
export class PokeRelay {
  /** Own heads whose notification is not yet heard: being committed, or committed for all we know. */
  private readonly waiting = new Map<number, 'committing' | 'uncertain'>();

  constructor(
    private readonly instanceId: string,
    private readonly poke: (head: number) => void,
  ) {}

  /** The notification's payload for a commit of this instance reaching `head`. */
  payload(head: number): string {
    return JSON.stringify({ from: this.instanceId, head });
  }

  /** Just before this instance sends the COMMIT that reaches `head` (its notification may overtake the answer). */
  committing(head: number): void {
    this.waiting.set(head, 'committing');
  }

  /**
   * The COMMIT that would reach `head` failed without an answer: it may have happened. No longer waiting means its
   * notification was heard and held back (it happened, and nobody was poked), or a head at least as high was heard
   * and passed on: poke now, harmless in the second case. Still waiting: its notification is passed on if it comes.
   */
  commitUncertain(head: number): void {
    if (this.waiting.has(head)) this.waiting.set(head, 'uncertain');
    else this.poke(head);
  }

  /**
   * A notification. Notifications arrive in commit order and writers commit one at a time, so an own head still
   * waiting at or below the one heard, from any instance, was rolled back: it is forgotten.
   */
  heard(payload: string): void {
    let message: { from?: unknown; head?: unknown };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      return;
    }
    if (typeof message.head !== 'number') return;
    const head = message.head;
    const own = message.from === this.instanceId ? this.waiting.get(head) : undefined;
    this.forget(head);
    if (own !== 'committing') this.poke(head);
  }

  /** Listening again after deafness: one poke with the head read on the new connection covers everything up to it. */
  listeningAgain(head: number): void {
    this.forget(head);
    this.poke(head);
  }

  /** How many own heads are waiting for their notification (for tests: it must not grow without end). */
  get waitingCount(): number {
    return this.waiting.size;
  }

  private forget(upTo: number): void {
    for (const head of this.waiting.keys()) if (head <= upTo) this.waiting.delete(head);
  }
}
