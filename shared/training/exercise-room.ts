import { z } from 'zod';
import type { Contact } from '../domain/contact';
import { ContactSource } from '../domain/contact';
import { Role } from '../domain/operator';
import { Instant } from '../domain/time';

/**
 * What a trainee is doing now, as the trainer's desk shows it, from the records the exercise shares: on a call (one
 * they answered and have not yet finished), or nothing the records show. (Every exercise call rings through the
 * trainer's workstation's telephony, so it is the operator who answered that tells whose call it is, not the position.)
 */
export const TraineeActivity = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('on_call'), source: ContactSource, since: Instant }),
  z.object({ kind: z.literal('idle') }),
]);
export type TraineeActivity = z.infer<typeof TraineeActivity>;

/** One trainee's workstation on the trainer's desk: who is signed in there, with which roles, and what they are doing. */
export const TraineeView = z.object({
  workstation: z.string(),
  /** Signed in there now (the last sign-in the training server took from it); null before anyone has. */
  operator: z.string().nullable(),
  roles: z.array(Role),
  /** Its live channel is open: it is in step with the exercise now (not cut off, not closed). */
  connected: z.boolean(),
  joinedAt: Instant,
  doing: TraineeActivity,
});
export type TraineeView = z.infer<typeof TraineeView>;

interface Seen {
  workstation: string;
  operator: string | null;
  roles: Role[];
  channels: number;
  joinedAt: string;
}

/**
 * The trainees' workstations as the training server sees them join: each one's first contact, its sign-ins and its
 * live channel opening and closing. The trainer's own workstation is not a trainee's and is left out.
 */
export class ExerciseRoom {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly trainerWorkstation: string) {}

  /** A live channel of `workstation` opened (true) or closed (false) at `at` (ISO, exercise time). */
  channel(workstation: string, open: boolean, at: string): void {
    const seen = this.of(workstation, at);
    if (seen) seen.channels = Math.max(0, seen.channels + (open ? 1 : -1));
  }

  /** An operator signed in at `workstation`, with these roles. */
  signedIn(workstation: string, operator: string, roles: readonly Role[], at: string): void {
    const seen = this.of(workstation, at);
    if (seen) Object.assign(seen, { operator, roles: [...roles] });
  }

  /** The trainees' workstations, in the order they joined, and what each is doing by the records' `liveContacts`. */
  trainees(liveContacts: readonly Pick<Contact, 'state' | 'answeredBy' | 'source' | 'answeredAt'>[]): TraineeView[] {
    return [...this.seen.values()].map((seen) => ({
      workstation: seen.workstation,
      operator: seen.operator,
      roles: seen.roles,
      connected: seen.channels > 0,
      joinedAt: seen.joinedAt,
      doing: seen.operator === null ? { kind: 'idle' as const } : activityOf(seen.operator, liveContacts),
    }));
  }

  private of(workstation: string, at: string): Seen | null {
    if (workstation === this.trainerWorkstation) return null;
    let seen = this.seen.get(workstation);
    if (!seen) {
      seen = { workstation, operator: null, roles: [], channels: 0, joinedAt: at };
      this.seen.set(workstation, seen);
    }
    return seen;
  }
}

/** What the calls say an operator is doing: on the call they answered and have not finished, or nothing. */
export function activityOf(operator: string, contacts: readonly Pick<Contact, 'state' | 'answeredBy' | 'source' | 'answeredAt'>[]): TraineeActivity {
  const answered = contacts.find((contact) => contact.state === 'answered' && contact.answeredBy === operator && contact.answeredAt !== null);
  return answered ? { kind: 'on_call', source: answered.source, since: answered.answeredAt! } : { kind: 'idle' };
}
