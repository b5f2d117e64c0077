import { commitsUnit, runsDeployment, type Assignment } from '../domain/assignment';
import type { ForceConfig } from '../domain/force-config';
import type { Unit } from '../domain/unit';
import { fnv1a } from '../domain/derived-id';
import { awaitingConfirmation, receiptDueMs } from './receipts';
import { handoffAlertEntryId, untakenHandoff, type HandoffConfig, type HandoffIncident } from './handoffs';

/**
 * Something that falls due at a time and must then be claimed, once for the whole room: a deployment with no
 * acceptance (the receipt alarm), a reservation's time (the prompt to deploy), a unit's shift end (off duty, or the
 * prompt to relieve or extend), an incident left untaken (its log says who is alerted). Every dispatcher's
 * workstation watches the same deadlines on its own clock; the command claims it, and the server keeps the first claim.
 */
export interface Deadline {
  /** One per deadline: the same on every workstation. */
  key: string;
  dueMs: number;
  /**
   * The operator whose workstation claims it first (who made the deployment or the reservation): others claim it
   * only CLAIM_FALLBACK_MS later, if nobody has by then. Null: anyone, spread over CLAIM_SPREAD_MS (claimAtMs).
   */
  firstClaim: string | null;
  command: { name: string; args: Record<string, unknown> };
}

/** How long the other dispatchers' workstations leave a deadline to the one it belongs to before claiming it. */
export const CLAIM_FALLBACK_MS = 15_000;

/**
 * Over how long the online workstations that may claim a deadline spread their claims, each at a moment of its own
 * (claimAtMs). The first to claim tells the rest through the server, in well under a second, and they then have
 * nothing to claim: with N such desks online, about N × 0.3 s / CLAIM_SPREAD_MS of them claim before they hear, where
 * all N did when they claimed in the same second (tryout15c: a room's claims multiplied with its dispatchers' desks).
 * The cost is lateness where few desks are online: one desk alone claims within this of the time. What the claims
 * write is never the alarm itself (each desk raises an untaken incident's alerts from its own clock) or says its due
 * time, not the claim's; a shift's end is a prompt where seconds do not count.
 */
export const CLAIM_SPREAD_MS = 10_000;

/**
 * The deadlines still to be claimed among these units and the deployments and reservations not yet cleared.
 * `gradeOf` gives an incident's grade (undefined if the incident is not here).
 */
export function openDeadlines(config: ForceConfig, units: readonly Unit[], assignments: readonly Assignment[], gradeOf: (incidentId: string) => string | undefined): Deadline[] {
  const deadlines: Deadline[] = [];
  for (const a of assignments) {
    // Claimed only by the force that runs the deployment (deploymentRunBy), whose desk the alarm or prompt is for.
    if (!runsDeployment(config.force.code, a)) continue;
    const names = { assignmentId: a.id, unitId: a.unitId, incidentId: a.incidentId };
    if (commitsUnit(a.status) && !a.receiptAlarm && awaitingConfirmation(a)) {
      const grade = gradeOf(a.incidentId);
      const due = grade === undefined ? null : receiptDueMs(config, a, grade);
      if (due !== null) deadlines.push({ key: `receipt:${a.id}`, dueMs: due, firstClaim: a.assignedBy, command: { name: 'assignment.receiptOverdue', args: names } });
    }
    if (a.status === 'reserved' && !a.duePrompt && a.reservedFor) {
      deadlines.push({ key: `reservation:${a.id}`, dueMs: Date.parse(a.reservedFor), firstClaim: a.assignedBy, command: { name: 'assignment.reservationDue', args: names } });
    }
  }
  for (const unit of units) {
    // A unit's shift end is raised where it works: by the force it is lent to while lent (whose incident it may be
    // committed to, which its own force cannot see), else by its own. Never by both, nor by a force merely shown it.
    if ((unit.loan ? unit.loan.to : unit.force) !== config.force.code) continue;
    const endsAt = unit.tour?.endsAt;
    if (!endsAt || (unit.commitment && unit.tour?.overrun)) continue;
    deadlines.push({
      key: `shift:${unit.id}:${endsAt}:${unit.commitment?.assignmentId ?? 'free'}`,
      dueMs: Date.parse(endsAt),
      firstClaim: null,
      command: { name: 'unit.shiftEnded', args: { unitId: unit.id, endsAt, incidentId: unit.commitment?.incidentId ?? null } },
    });
  }
  return deadlines;
}

/** The workstation deciding when to claim: who is signed in there, its name, and whether it is online. */
export interface Claimant {
  operator: string;
  workstation: string;
  /** Connected to the server, so that a claim from elsewhere reaches it within a second (SyncStatus 'online'). */
  online: boolean;
}

/**
 * When `here` claims the deadline, in ms since the epoch. Its own (its operator is `firstClaim`): at its time.
 * Anyone's: at its time offline (no other desk would hear of its claim before the server does, so there is nothing to
 * wait for); online, at a moment of its own within CLAIM_SPREAD_MS after, the same at every look (from a hash of the
 * workstation and the deadline, so a different desk goes first for each deadline). Another operator's: only
 * CLAIM_FALLBACK_MS after its time, if nobody has claimed it by then, online spread the same way.
 */
export function claimAtMs(deadline: Deadline, here: Claimant): number {
  const mine = deadline.firstClaim === here.operator;
  const after = mine || deadline.firstClaim === null ? 0 : CLAIM_FALLBACK_MS;
  return deadline.dueMs + after + (mine || !here.online ? 0 : spreadMs(here.workstation, deadline.key));
}

/** A moment in [0, CLAIM_SPREAD_MS) for this workstation and deadline: FNV-1a, mixed so close names land apart. */
function spreadMs(workstation: string, key: string): number {
  let hash = fnv1a(`${workstation}|${key}`);
  // MurmurHash3's finaliser: every input bit moves the high bits the fraction is read from.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b) >>> 0;
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35) >>> 0;
  hash = (hash ^ (hash >>> 16)) >>> 0;
  return Math.floor((hash / 2 ** 32) * CLAIM_SPREAD_MS);
}

/**
 * The stages still to be logged of the untaken handoffs among these incidents (shared/dispatch/handoffs.ts): each
 * falls due at its time, for anyone to claim at once (the log line, written once for the room, says so).
 * `logged` says whether a log line (by id) is already here.
 */
export function handoffDeadlines(config: HandoffConfig, incidents: Iterable<HandoffIncident>, logged: (entryId: string) => boolean): Deadline[] {
  const deadlines: Deadline[] = [];
  for (const incident of incidents) {
    // Asked at no time in particular: only whether it is untaken, and its times, are wanted.
    const handoff = untakenHandoff(config, incident, 0);
    if (!handoff) continue;
    for (const [stage, dueMs] of [['dispatchers', handoff.dispatchersAtMs], ['supervisor', handoff.supervisorAtMs]] as const) {
      if (dueMs === null || logged(handoffAlertEntryId(incident.id, handoff.since, stage))) continue;
      deadlines.push({
        key: `handoff:${incident.id}@${handoff.since}:${stage}`,
        dueMs,
        firstClaim: null,
        command: { name: 'incident.handoffOverdue', args: { incidentId: incident.id, waitingSince: handoff.since, stage } },
      });
    }
  }
  return deadlines;
}
