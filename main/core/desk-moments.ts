import { randomUUID } from 'node:crypto';
import type { MomentArgs } from '../../shared/commands/moment-recorded';
import { mayIssue } from '../../shared/domain/operator';
import { instantOf } from '../../shared/domain/time';
import { issueCommand } from '../sync/issue-command';
import type { CoreContext } from './core-context';
import type { HeldEvents } from './held-events';

/**
 * The workstation's record of moments on its desks that change no record yet (shared/commands/moment-recorded.ts):
 * the units proposed to a dispatcher for an incident, and where a call handler located a call and the grade they
 * chose while taking it. Each is a `moment.recorded` command in the outbox, with the time it happened on the
 * workstation's clock (the exercise clock in an exercise), so the after-action review can put it on its timeline.
 *
 * Once per incident and proposal, per call and choice: the same proposal asked again (the desk asks whenever a unit
 * or deployment changes) or the same grade kept is not a new moment; a changed one is. What was last recorded is kept
 * in memory: after a restart the first one is recorded again (one entry too many at worst, never one missing).
 * Like a consultation, it never waits for the disk: a moment the file refuses is held with the outside events.
 */
export class DeskMoments {
  private readonly last = new Map<string, string>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly held: HeldEvents,
  ) {}

  /** Records `moment` by the signed-in operator, now, unless it is what was last recorded for its incident or call. */
  record(moment: MomentArgs): void {
    const signedIn = this.ctx.session.signedIn;
    // A supervisor or trainer looking over a desk is not the dispatcher it was proposed to.
    if (!signedIn || !mayIssue(signedIn.operator, 'moment.recorded')) return;
    const key = moment.what === 'proposed' ? `proposed:${moment.incidentId}` : `${moment.what}:${moment.contactId}`;
    const value = JSON.stringify(moment);
    if (this.last.get(key) === value) return;
    this.last.set(key, value);
    const who = { operator: signedIn.operator.id, workstation: this.ctx.workstation, ticket: signedIn.ticket };
    const issuedAt = instantOf(this.ctx.clock);
    const { store, config } = this.ctx;
    this.held.receive({
      event: { type: 'moment.recorded' },
      apply: () => {
        store.transaction(() => issueCommand(store, config, who, 'moment.recorded', moment, issuedAt, randomUUID()));
        this.ctx.sync.send();
      },
    });
  }
}
