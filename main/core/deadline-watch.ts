import { claimAtMs, handoffDeadlines, openDeadlines, type Deadline } from '../../shared/dispatch/deadlines';
import { mayIssue } from '../../shared/domain/operator';
import type { Scheduler } from '../../node-common/scheduler';
import type { CoreContext } from './core-context';
import { receiptGrade } from '../../shared/dispatch/receipts';

/** How often the watch looks at the clock: alarms come within a second of their time. */
const TICK_MS = 1000;
/** A claim that changed nothing here (the rules saw it otherwise) is not made again before this. */
const RETRY_MS = 60_000;

/**
 * Watches, on the core's clock, the deadlines that must be claimed for the room (shared/dispatch/deadlines.ts): a
 * deployment with no acceptance, a reservation's time, a shift's end, an incident left untaken in its queue. When one
 * falls due and the signed-in operator may claim it, the claim is issued as a command like any other, through the
 * outbox, so it works offline too. The deadlines are worked out again only when units, deployments or incidents change
 * (or an untaken handoff's log line arrives).
 */
export class DeadlineWatch {
  private deadlines: Deadline[] | null = null;
  private timer: unknown = null;
  private running = false;
  private readonly claimed = new Map<string, number>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly scheduler: Scheduler,
  ) {}

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Units, deployments or incidents changed (here or from the server): the deadlines are worked out again. */
  recordsChanged(): void {
    this.deadlines = null;
  }

  /** Someone signed in or out: what they may claim, and what they have seen, starts afresh. */
  sessionChanged(): void {
    this.deadlines = null;
    this.claimed.clear();
  }

  /** Claims every deadline due at the core's clock that the signed-in operator may claim; returns how many it claimed. */
  check(): number {
    const operator = this.ctx.session.signedIn?.operator.id;
    if (!operator) return 0;
    // Paging through a catch-up, its view is behind the room's: a deadline it shows unclaimed has most likely been
    // claimed at a desk that was there, and a claim from here would be one more command for nothing (one console with
    // 40,000 changes to take queued 28,577 claims, its operator's own commands waiting behind them: tryout15c). It
    // claims once it is in step; offline, with nothing to catch up, it claims as ever.
    if (this.ctx.sync.catchingUp()) return 0;
    const nowMs = this.ctx.clock.now();
    const profile = this.ctx.store.view.get('operator', operator);
    const here = { operator, workstation: this.ctx.workstation, online: this.ctx.sync.online() };
    let claims = 0;
    for (const deadline of this.current()) {
      if (claimAtMs(deadline, here) > nowMs || !mayIssue(profile, deadline.command.name)) continue;
      const before = this.claimed.get(deadline.key);
      if (before !== undefined && nowMs - before < RETRY_MS) continue;
      this.claimed.set(deadline.key, nowMs);
      try {
        this.ctx.issue(deadline.command.name, () => deadline.command.args);
        claims += 1;
      } catch (error) {
        this.ctx.log.warn({ err: error, deadline: deadline.key }, 'deadline not claimed');
      }
    }
    return claims;
  }

  private current(): Deadline[] {
    if (this.deadlines === null) {
      const { view } = this.ctx.store;
      const grades = new Map<string, string | undefined>();
      const gradeOf = (incidentId: string) => {
        // Another force's incident (this force's unit assisting there): its own grade of the common priority shown.
        if (!grades.has(incidentId)) {
          const incident = view.get('incident', incidentId);
          grades.set(incidentId, incident ? receiptGrade(this.ctx.config, incident) : undefined);
        }
        return grades.get(incidentId);
      };
      this.deadlines = [
        ...openDeadlines(this.ctx.config, view.units(), view.activeAssignments(), gradeOf),
        ...handoffDeadlines(this.ctx.config, view.incidents('open'), (entryId) => view.logEntry(entryId) !== undefined),
      ];
    }
    return this.deadlines;
  }

  private schedule(): void {
    this.timer = this.scheduler.setTimeout(() => {
      try {
        this.check();
      } catch (error) {
        this.ctx.log.error({ err: error }, 'deadline watch failed');
      }
      if (this.running) this.schedule();
    }, TICK_MS);
  }
}
