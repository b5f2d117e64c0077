import type { Logger } from 'pino';
import { accessAuditDraft, type AccessEvent } from '../audit/access-audit';
import type { ServerStorage } from '../storage/storage';

/**
 * A refusal at the door, before anyone has proved who they are: an enrolment refused, or a request refused at the
 * device check (a revoked workstation, a device token the server does not know or cannot read). Such a refusal can
 * come from anyone who reaches the port, so the log takes them tallied (RefusalTally), not one entry each.
 */
export interface DoorRefusal {
  kind: Extract<AccessEvent['kind'], 'enrolment-refused' | 'access-refused'>;
  action: 'access.enrol' | 'access.device' | 'access.ask';
  /** Who the tally counts by: a known workstation's client id, otherwise the address the request came from. */
  source: string;
  /** The refusal's code (shared/domain/audit-words.ts ACCESS_REFUSAL_WORDS has its words). */
  reason: string;
  /** What was asked, in words from a short list ("sign-in", "sending commands", "another request"; null for an enrolment). */
  request: string | null;
  /** The workstation as the entries name it (`workstation WS-B`, `unknown workstation`). */
  by: string;
  /**
   * The name typed, for a sign-in: the first entry's operator (so "what did priya do" finds a try as priya); the
   * tally of the rest of the minute is the workstation's, listing the names typed then (up to TALLY_NAMES).
   */
  typed?: string;
  subject: { kind: 'operator' | 'workstation'; id: string };
  workstation: string;
  clientId: string;
  /** The logs it goes in: the workstation's force, or every force this server serves for a stranger (see central-server.ts). */
  forces: readonly (string | null)[];
  details: Record<string, string | number | boolean | null>;
}

interface Window {
  refusal: DoorRefusal;
  /** When its first refusal was written (server time, ms). */
  opened: number;
  /** The refusals after the first, not yet written, and when the first and last of them came. */
  more: number;
  moreFrom: number;
  moreTo: number;
  /** The names typed at the sign-ins counted (at most TALLY_NAMES), and how many more besides. */
  names: Set<string>;
  namesLeftOut: number;
}

/** The most names typed a tally lists. */
export const TALLY_NAMES = 10;

/** One entry per source, refusal and kind of request a minute (whatever names are typed: a stranger chooses them). */
export const TALLY_WINDOW_MS = 60_000;
/**
 * The most sources tallied apart within a window; past it, every further refusal of a kind and reason is counted
 * under one `many sources` line, so a crowd of addresses cannot write a line each either.
 */
export const TALLY_MAX_SOURCES = 1000;

/**
 * Writes the door's refusals to the audit log without letting a stranger fill it: the first refusal from a source
 * (for the same reason and kind of request) is written at once, before the refusal is answered, so even one attempt leaves its
 * trace; the rest from it within the minute are counted, and written as one entry (`count`, `from`, `to`) when the
 * minute is over (found by the next refusal from it, the minute's sweep, or the server's close). So the log grows by
 * at most two entries a minute per source, and TALLY_MAX_SOURCES bounds the sources. A tally not yet written is lost if
 * the process dies; the first entry of each minute is not.
 */
export class RefusalTally {
  private readonly windows = new Map<string, Window>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly storage: ServerStorage,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly limits: { windowMs: number; maxSources: number } = { windowMs: TALLY_WINDOW_MS, maxSources: TALLY_MAX_SOURCES },
  ) {
    this.sweep = setInterval(() => void this.flush(false), limits.windowMs);
    this.sweep.unref();
  }

  /** Notes one refusal: written now if it is the first of its source's minute, else counted. Rejects if the storage cannot take it. */
  async note(refusal: DoorRefusal): Promise<void> {
    const now = this.now();
    let key = keyOf(refusal);
    let window = this.windows.get(key);
    if (window && now - window.opened >= this.limits.windowMs) {
      this.windows.delete(key);
      await this.writeTally(window);
      window = undefined;
    }
    if (!window && this.windows.size >= this.limits.maxSources) {
      refusal = { ...refusal, source: 'many sources', details: { ...refusal.details, source: 'many sources (too many to count apart)' } };
      key = keyOf(refusal);
      window = this.windows.get(key);
    }
    if (window) {
      if (window.more === 0) window.moreFrom = now;
      window.more += 1;
      window.moreTo = now;
      if (refusal.typed !== undefined && !window.names.has(refusal.typed)) {
        if (window.names.size < TALLY_NAMES) window.names.add(refusal.typed);
        else window.namesLeftOut += 1;
      }
      return;
    }
    this.windows.set(key, { refusal, opened: now, more: 0, moreFrom: now, moreTo: now, names: new Set(), namesLeftOut: 0 });
    try {
      await this.write({ ...refusal, by: refusal.typed ?? refusal.by }, now, {});
    } catch (error) {
      // Not written (the storage unavailable): the next refusal from the source is a first again, not a count.
      this.windows.delete(key);
      throw error;
    }
  }

  /** Writes the tallies whose minute is over (`all`: every tally, as the server closes). */
  async flush(all: boolean): Promise<void> {
    const now = this.now();
    for (const [key, window] of [...this.windows]) {
      if (!all && now - window.opened < this.limits.windowMs) continue;
      this.windows.delete(key);
      await this.writeTally(window).catch((error: unknown) => this.log.warn({ reason: (error as Error).message, count: window.more }, 'could not write a tally of refused requests to the audit log'));
    }
  }

  stop(): void {
    clearInterval(this.sweep);
  }

  private async writeTally(window: Window): Promise<void> {
    if (window.more === 0) return;
    const names = [...window.names].join(', ') + (window.namesLeftOut > 0 ? ` and ${window.namesLeftOut} more` : '');
    await this.write(window.refusal, this.now(), { count: window.more, from: new Date(window.moreFrom).toISOString(), to: new Date(window.moreTo).toISOString(), ...(names ? { typed: names } : {}) });
  }

  private async write(refusal: DoorRefusal, at: number, tally: Record<string, string | number>): Promise<void> {
    const { kind, action, by, subject, workstation, clientId, reason, request, details } = refusal;
    const drafts = refusal.forces.map((force) =>
      accessAuditDraft({ kind, action, by, subject, workstation, clientId, force, at: new Date(at).toISOString(), details: { ...details, reason, ...(request ? { request } : {}), count: 1, ...tally } }),
    );
    await this.storage.appendAuditEntries(drafts);
  }
}

function keyOf(refusal: DoorRefusal): string {
  return JSON.stringify([refusal.kind, refusal.source, refusal.reason, refusal.request]);
}
