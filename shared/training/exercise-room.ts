import { z } from 'zod';
import { Role } from '../domain/operator';
import { Instant } from '../domain/time';
import { actsOf, TraineeActivity, traineeActivity, type ActivityRecords, type DeskAct } from './trainee-activity';

export { TraineeActivity } from './trainee-activity';

/** One trainee's workstation on the trainer's desk: who is signed in there, with which roles, and what they are doing. */
export const TraineeView = z.object({
  workstation: z.string(),
  /** Signed in there now (the last sign-in the training server took from it); null before anyone has, or once they signed out. */
  operator: z.string().nullable(),
  roles: z.array(Role),
  /** Its live channel is open: it is in step with the exercise now (not cut off, not closed). */
  connected: z.boolean(),
  joinedAt: Instant,
  doing: TraineeActivity,
});
export type TraineeView = z.infer<typeof TraineeView>;

/** How many of a trainee's latest acts the room keeps: enough for the incident they are on and its deployments. */
const ACTS_KEPT = 50;

interface Seen {
  workstation: string;
  operator: string | null;
  roles: Role[];
  channels: number;
  joinedAt: string;
  signedOutAt: string | null;
  lostAt: string | null;
  acts: DeskAct[];
}

/**
 * The trainees' workstations as the training server sees them: each one's first contact, its sign-ins and
 * sign-outs, its live channel opening and closing, and the commands its operator has had applied. The trainer's own
 * workstation is not a trainee's and is left out.
 */
export class ExerciseRoom {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly trainerWorkstation: string) {}

  /** A live channel of `workstation` opened (true) or closed (false) at `at` (ISO, exercise time). */
  channel(workstation: string, open: boolean, at: string): void {
    const seen = this.of(workstation, at);
    if (!seen) return;
    seen.channels = Math.max(0, seen.channels + (open ? 1 : -1));
    if (!open && seen.channels === 0) seen.lostAt = at;
  }

  /** An operator signed in at `workstation`, with these roles: what they did is theirs from now. */
  signedIn(workstation: string, operator: string, roles: readonly Role[], at: string): void {
    const seen = this.of(workstation, at);
    if (seen) Object.assign(seen, { operator, roles: [...roles], signedOutAt: null, acts: [] });
  }

  /**
   * A command the training server applied from `workstation` (its name, arguments, operator and issue time): an
   * operator's sign-out ends their session there; the acts it names (trainee-activity.ts) are what they are doing.
   */
  commandApplied(workstation: string, command: { name: string; args: unknown; operator: string; issuedAt: string }): void {
    const seen = workstation === this.trainerWorkstation ? null : this.seen.get(workstation);
    if (!seen) return;
    if (command.name === 'operator.signedOut') {
      if (seen.operator === command.operator) Object.assign(seen, { operator: null, roles: [], signedOutAt: command.issuedAt, acts: [] });
      return;
    }
    if (command.operator !== seen.operator) return;
    seen.acts.push(...actsOf(command));
    if (seen.acts.length > ACTS_KEPT) seen.acts.splice(0, seen.acts.length - ACTS_KEPT);
  }

  /** The trainees' workstations, in the order they joined, and what each is doing by the trainer's desk's `records`. */
  trainees(records: ActivityRecords): TraineeView[] {
    return [...this.seen.values()].map((seen) => ({
      workstation: seen.workstation,
      operator: seen.operator,
      roles: seen.roles,
      connected: seen.channels > 0,
      joinedAt: seen.joinedAt,
      doing: traineeActivity({ workstation: seen.workstation, operator: seen.operator, signedOutAt: seen.signedOutAt, connected: seen.channels > 0, lostAt: seen.lostAt, acts: seen.acts }, records),
    }));
  }

  private of(workstation: string, at: string): Seen | null {
    if (workstation === this.trainerWorkstation) return null;
    let seen = this.seen.get(workstation);
    if (!seen) {
      seen = { workstation, operator: null, roles: [], channels: 0, joinedAt: at, signedOutAt: null, lostAt: null, acts: [] };
      this.seen.set(workstation, seen);
    }
    return seen;
  }
}
