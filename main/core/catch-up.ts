import type { CatchUpStatus } from '../../shared/contract/catch-up';
import type { SyncStatus } from '../../shared/contract/views';
import { SYSTEM_DOWN } from '../../shared/training/exercise-outages';
import type { Clock } from '../../shared/domain/time';
import type { Meta } from '../store/meta';

/** A network outage shorter than this (ms) is not offered catch-up: the desk kept working offline, on its outbox. */
export const NETWORK_OUTAGE_OFFERED_MS = 5 * 60_000;

const META_KEY = 'catch_up';

type Outage = NonNullable<CatchUpStatus['outage']>;

/**
 * The desk's memory of its last outage and of its catch-up: the console core follows the link's status, notes when
 * the system went down as this desk saw it (the server saying the whole system is down, or no answer at all), and when
 * it came back; then offers catch-up, to enter the records kept on paper with their own times, validated against when
 * it went down. Kept in the workstation's file, so a window reloaded (or the core restarted) still knows it.
 */
export class CatchUp {
  private outage: Outage | null = null;
  private active = false;

  constructor(
    private readonly meta: Meta,
    private readonly clock: Clock,
    private readonly changed: (status: CatchUpStatus) => void,
  ) {
    try {
      const kept = meta.get(META_KEY);
      if (kept) ({ outage: this.outage, active: this.active } = JSON.parse(kept) as { outage: Outage | null; active: boolean });
    } catch {
      // A damaged note is no outage: the operator can still start catch-up by hand, saying when the system went down.
    }
  }

  status(): CatchUpStatus {
    const outage = this.outage;
    const offered =
      !this.active && outage !== null && outage.backAt !== null && (outage.kind === 'system' || Date.parse(outage.backAt) - Date.parse(outage.from) >= NETWORK_OUTAGE_OFFERED_MS);
    return { outage, offered, active: this.active };
  }

  /** The link's status, after each change: an outage begins when it stops answering, and ends when it is back. */
  observe(sync: SyncStatus): void {
    const down = sync.connection === 'offline' || sync.connection === 'reconnecting';
    const systemDown = down && (sync.lastError?.includes(SYSTEM_DOWN) ?? false);
    const now = new Date(this.clock.now()).toISOString();
    const current = this.outage;
    if (down) {
      if (current && current.backAt === null) {
        // Still down: the server's word that the whole system is down, once it comes, says what kind.
        if (systemDown && current.kind !== 'system') this.set({ ...current, kind: 'system' }, this.active);
        return;
      }
      // Down again during catch-up: the same paper goes on, from the first outage.
      if (current && this.active) return this.set({ ...current, backAt: null }, true);
      return this.set({ from: sync.offlineSince ?? now, kind: systemDown ? 'system' : 'network', backAt: null }, false);
    }
    if (sync.connection === 'online' && current && current.backAt === null) this.set({ ...current, backAt: now }, this.active);
  }

  /** Starts catch-up: for the outage seen, or one the desk did not see (it was down too) from `fromIso`. */
  start(fromIso?: string): CatchUpStatus {
    const now = this.clock.now();
    if (fromIso !== undefined) {
      if (Date.parse(fromIso) > now) throw new RangeError('the system cannot have gone down in the future');
      this.set({ from: fromIso, kind: this.outage?.kind ?? 'system', backAt: this.outage?.backAt ?? new Date(now).toISOString() }, true);
    } else if (!this.outage) {
      throw new RangeError('this desk saw no outage: say when the system went down');
    } else this.set(this.outage, true);
    return this.status();
  }

  /** Ends catch-up, forgetting the outage (the next one is noted afresh). */
  finish(): CatchUpStatus {
    this.set(this.outage && this.outage.backAt === null ? this.outage : null, false);
    return this.status();
  }

  /** When the system went down, for a paper record entered now: only while catch-up is under way. */
  outageFrom(): string | null {
    return this.active && this.outage ? this.outage.from : null;
  }

  /**
   * The outage a paper record entered now belongs to, only while catch-up is under way: when the system went down and
   * when it was back (now, if it has not been seen back: catch-up started by hand, or down again during it).
   */
  outageSpan(): { from: string; backAt: string } | null {
    if (!this.active || !this.outage) return null;
    return { from: this.outage.from, backAt: this.outage.backAt ?? new Date(this.clock.now()).toISOString() };
  }

  private set(outage: Outage | null, active: boolean): void {
    this.outage = outage;
    this.active = active;
    try {
      this.meta.set(META_KEY, JSON.stringify({ outage, active }));
    } catch {
      // The file refusing writes (a full disk, which the store alarm reports) leaves it in memory for this session.
    }
    this.changed(this.status());
  }
}
