import type { View } from '../contract/views';
import type { Assignment } from '../domain/assignment';
import { commitsUnit, runsDeployment } from '../domain/assignment';
import { raisedHere } from '../domain/raised';
import type { Unit } from '../domain/unit';
import { awaitingConfirmation } from './receipts';

/**
 * What a dispatcher's workstation must put in front of its operator now, each until someone deals with it:
 * - receipt: a deployment its crew has not accepted in time: confirm it by radio (banner and alarm sound);
 * - late_rejection: the terminal rejected a deployment already confirmed: stand the unit down, or keep it (ditto);
 * - shift_end: a unit's shift ended while it is committed: relieve it, or extend its shift;
 * - reservation_due: a reservation's time has come: deploy it (the unit, if free), or cancel it.
 * Each was raised once for the room, and shows only at the workstation whose claim the server kept (see raisedHere).
 * A deployment's alarms and prompts show only at a desk of the force that runs it (shared/domain/assignment.ts
 * deploymentRunBy): another force's unit assisting on this force's incident is that force's to confirm or answer,
 * and a unit lent to another force is the borrower's; the server refuses this desk either.
 */
export type DeskAlarm =
  | { kind: 'receipt'; key: string; assignment: View<Assignment> }
  | { kind: 'late_rejection'; key: string; assignment: View<Assignment> }
  | { kind: 'shift_end'; key: string; unit: View<Unit> }
  | { kind: 'reservation_due'; key: string; assignment: View<Assignment> };

/** The alarms that sound (the others are prompts, shown without a sound). */
export function sounds(alarm: DeskAlarm): boolean {
  return alarm.kind === 'receipt' || alarm.kind === 'late_rejection';
}

/**
 * The alarms and prompts for the workstation `here` (its client id, whether it is in step with the server, and its
 * force), oldest first, from the units and the deployments and reservations it holds.
 */
export function alarmsHere(units: Iterable<View<Unit>>, assignments: Iterable<View<Assignment>>, here: { clientId: string; online: boolean; force: string }): DeskAlarm[] {
  const alarms: { at: string; alarm: DeskAlarm }[] = [];
  for (const a of assignments) {
    if (!runsDeployment(here.force, a)) continue;
    if (a.receiptAlarm && awaitingConfirmation(a) && raisedHere(a.receiptAlarm, a.pending, here)) {
      alarms.push({ at: a.receiptAlarm.at, alarm: { kind: 'receipt', key: `receipt:${a.id}`, assignment: a } });
    }
    if (a.lateRejection && commitsUnit(a.status) && raisedHere(a.lateRejection.raised, a.pending, here)) {
      alarms.push({ at: a.lateRejection.at, alarm: { kind: 'late_rejection', key: `late-rejection:${a.id}:${a.lateRejection.at}`, assignment: a } });
    }
    if (a.duePrompt && a.status === 'reserved' && raisedHere(a.duePrompt, a.pending, here)) {
      alarms.push({ at: a.duePrompt.at, alarm: { kind: 'reservation_due', key: `reservation:${a.id}`, assignment: a } });
    }
  }
  for (const unit of units) {
    const overrun = unit.tour?.overrun;
    if (overrun && !overrun.relieved && unit.commitment && raisedHere(overrun.raised, unit.pending, here)) {
      alarms.push({ at: overrun.raised.at, alarm: { kind: 'shift_end', key: `shift-end:${unit.id}:${unit.tour?.endsAt ?? ''}`, unit } });
    }
  }
  return alarms.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0)).map(({ alarm }) => alarm);
}
