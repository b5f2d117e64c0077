import type { WorkstationStore } from '../../../main/store/workstation-store';
import type { Random } from './random';
import { unverifiedLocation } from '../../../shared/domain/location';
import type { RedoOf } from '../../../shared/domain/refusal';
import type { Relay } from '../../../shared/domain/relay';
import { byHandShareId, isActive } from '../../../shared/domain/share';
import type { ForceCode } from '../../../shared/domain/force';

/** The workstation's own force and, in a run of two forces, the other one (null: one force alone). */
export interface Forces {
  own: ForceCode;
  other: ForceCode | null;
}

export interface Confirmed {
  commandId: string;
  name: string;
  /** The note the command wrote, which its own workstation must always show. */
  logEntryId?: string;
  /** The incident the note is on (made by this command, or by the one it depends on). */
  incidentId?: string;
}

export interface Action {
  name: string;
  args: unknown;
  confirmed: Omit<Confirmed, 'commandId' | 'name'>;
  /** The refused command this one does again (a supervisor's redo from the room's list). */
  redoOf?: RedoOf;
  /** Not the operator's: a unit's terminal, relayed by the workstation (shared/domain/relay.ts). */
  relay?: Relay;
}

let noteCounter = 0;

/** When simulated reservations are for: any time will do, as nothing acts on it but the operator. */
const SIM_RESERVATION = '2026-11-29T18:00:00.000Z';

/**
 * What an operator at this workstation might do next, given what their screen shows: the mix a busy shift has,
 * with contended actions often enough that workstations collide: reservations made, fallen due and cancelled while
 * others close the incident, types changed, closed incidents reopened.
 */
export function chooseAction(store: WorkstationStore, random: Random, nowMs: number, forces: Forces): Action | null {
  // Drawn only in a run of two forces, so that a run of one goes as it did before they were simulated.
  if (forces.other && random.next() < 0.2) return crossForceAction(store, random, forces.own, forces.other);
  const open = store.view.incidents('open');
  const incident = random.pick(open);
  const roll = random.next();

  if (roll < 0.2 || !incident) {
    const incidentId = random.uuid();
    const entryId = random.uuid();
    return {
      name: 'incident.create',
      args: {
        incidentId,
        provisionalReference: `SIM-P${++noteCounter}`,
        type: random.pick(['ASSAULT', 'BURGLARY', 'THEFT', 'RTC'])!,
        location: unverifiedLocation(`${random.int(200)} High Street`),
        grade: random.pick(['1', '2', '3'])!,
        firstLog: { entryId, text: `note ${noteCounter} ${entryId}` },
      },
      confirmed: { logEntryId: entryId, incidentId },
    };
  }
  if (roll >= 0.4 && roll < 0.45) return deploymentAction(store, random, nowMs, roll, incident.id);
  if (roll >= 0.9 && roll < 0.93) return refusalAction(store, random, nowMs);
  if (roll < 0.45) {
    const entryId = random.uuid();
    return { name: 'incident.addLog', args: { incidentId: incident.id, entryId, text: `note ${++noteCounter} ${entryId}` }, confirmed: { logEntryId: entryId, incidentId: incident.id } };
  }
  if (roll < 0.5 && random.next() < 0.3) {
    const type = random.pick(['ASSAULT', 'BURGLARY', 'THEFT', 'RTC'])!;
    return { name: 'incident.changeType', args: { incidentId: incident.id, changeId: random.uuid(), type, reason: '' }, confirmed: {} };
  }
  if (roll < 0.55) {
    const field = random.pick(['location', 'description', 'callerName'] as const)!;
    const value = field === 'location' ? unverifiedLocation(`${random.int(200)} Above Bar`) : `${field} ${random.int(1000)}`;
    return { name: 'incident.update', args: { incidentId: incident.id, changeId: random.uuid(), fields: { [field]: value } }, confirmed: {} };
  }
  if (roll < 0.72) {
    const free = store.view.units().filter((u) => u.duty === 'on_duty' && !u.commitment);
    const unit = random.pick(free);
    if (!unit) return null;
    // A quarter are reservations for an appointment later, which may fall due while the incident is being closed.
    const reserveFor = random.next() < 0.25 ? new Date(Date.parse(SIM_RESERVATION)).toISOString() : null;
    return { name: 'unit.assign', args: { assignmentId: random.uuid(), unitId: unit.id, incidentId: incident.id, unitVersion: unit.version, reserveFor }, confirmed: {} };
  }
  if (roll < 0.84) {
    const assignment = random.pick(store.view.assignmentsOf(incident.id).filter((a) => a.status !== 'cleared'));
    if (!assignment) return null;
    const next = { reserved: ['assigned', 'cleared'], assigned: ['en_route', 'cleared'], en_route: ['at_scene', 'cleared'], at_scene: ['cleared'] }[assignment.status as 'reserved' | 'assigned' | 'en_route' | 'at_scene'];
    return {
      name: 'assignment.setStatus',
      args: { assignmentId: assignment.id, unitId: assignment.unitId, incidentId: incident.id, status: random.pick(next)!, assignmentVersion: assignment.version },
      confirmed: {},
    };
  }
  if (roll < 0.9) {
    return { name: 'incident.close', args: { incidentId: incident.id, closeId: random.uuid(), closingCode: 'RESOLVED', incidentVersion: incident.version, reservationIds: incident.reservations ?? [] }, confirmed: {} };
  }
  if (roll < 0.95 && random.next() < 0.4) {
    const closed = random.pick(store.view.incidents('all').filter((i) => i.status === 'closed'));
    if (!closed) return null;
    return { name: 'incident.reopen', args: { incidentId: closed.id, reopenId: random.uuid(), reason: 'caller rang back', incidentVersion: closed.version }, confirmed: {} };
  }
  if (roll < 0.95) {
    return { name: 'incident.takeOwnership', args: { incidentId: incident.id, takeId: random.uuid(), incidentVersion: incident.version }, confirmed: {} };
  }
  const conflict = random.pick(store.view.openConflicts());
  if (!conflict) return null;
  return { name: 'conflict.resolve', args: { conflictId: conflict.id, resolution: 'accepted_theirs' }, confirmed: {} };
}

/**
 * Booking units on, off and unavailable, terminal receipts (late ones too), claims of the receipt alarm and the
 * dispatcher's answers: each contended with deployments and with each other across workstations.
 */
function deploymentAction(store: WorkstationStore, random: Random, nowMs: number, roll: number, incidentId: string): Action | null {
  if (roll < 0.41) {
    const unit = random.pick(store.view.units().filter((u) => !u.commitment));
    if (!unit) return null;
    const duty = unit.duty === 'off_duty' ? 'on_duty' : random.pick(unit.duty === 'on_duty' ? (['unavailable', 'off_duty'] as const) : (['on_duty', 'off_duty'] as const))!;
    return { name: 'unit.setDuty', args: { unitId: unit.id, duty, unitVersion: unit.version, until: duty === 'on_duty' && unit.duty === 'off_duty' ? new Date(nowMs + 8 * 3_600_000).toISOString() : null }, confirmed: {} };
  }
  const assignment = random.pick(store.view.assignmentsOf(incidentId).filter((a) => a.status !== 'cleared'));
  if (!assignment) return null;
  const names = { assignmentId: assignment.id, unitId: assignment.unitId, incidentId };
  // The crew's receipt, from its terminal: relayed in the terminal's name, as a workstation does.
  if (roll < 0.425) return { name: 'assignment.receipt', args: { ...names, receipt: random.pick(['received', 'accepted', 'rejected'] as const)!, note: '' }, confirmed: {}, relay: { kind: 'terminal', unitId: assignment.unitId } };
  if (roll < 0.435) return { name: 'assignment.receiptOverdue', args: names, confirmed: {} };
  if (roll < 0.44) return { name: 'assignment.confirmByRadio', args: names, confirmed: {} };
  if (!assignment.lateRejection) return null;
  return { name: 'assignment.answerLateRejection', args: { ...names, standDown: random.next() < 0.5, assignmentVersion: assignment.version }, confirmed: {} };
}

/**
 * A supervisor handles one of the room's refused commands, whichever workstation issued it: dismisses it with a
 * reason, or redoes it as it was (the redo stands only while the refusal waits). Several desks may pick the same one.
 */
function refusalAction(store: WorkstationStore, random: Random, nowMs: number): Action | null {
  const refusal = random.pick(store.view.waitingRefusals());
  if (!refusal) return null;
  if (refusal.args === null || random.next() < 0.5) {
    const args = { commandId: refusal.id, commandName: refusal.commandName, issuedBy: refusal.operator, action: 'dismissed', reason: 'dismissed in the simulation', redoneAs: null };
    return { name: 'refusal.handle', args, confirmed: {} };
  }
  return { name: refusal.commandName, args: refusal.args, confirmed: {}, redoOf: { refusalId: refusal.id, action: 'redone', at: new Date(nowMs).toISOString() } };
}

/**
 * What passes between the two forces: an incident shared (view or assist), its tier changed, the share revoked or
 * given again; an incident offered to the other force, the offer withdrawn, accepted or declined. Each moves what
 * the other force's workstations may see (handed over, cut, withdrawn), while both forces go on writing on it.
 */
function crossForceAction(store: WorkstationStore, random: Random, own: ForceCode, other: ForceCode): Action | null {
  const roll = random.next();
  // An offer waiting for an answer is answered first, more often than not (an offer waits on nobody else).
  const offers = store.view.transfers().filter((t) => t.status === 'offered');
  const offer = random.pick(offers);
  if (offer && roll < 0.5) {
    const answer = { transferId: offer.id, transferVersion: offer.version };
    if (offer.force === own) return random.next() < 0.3 ? { name: 'transfer.withdraw', args: answer, confirmed: {} } : null;
    if (random.next() < 0.7) return { name: 'transfer.accept', args: { ...answer, incidentId: offer.incidentId }, confirmed: {} };
    return { name: 'transfer.decline', args: { ...answer, reason: 'ours to keep' }, confirmed: {} };
  }
  const incident = random.pick(ownOpenIncidents(store, own));
  if (!incident) return null;
  if (roll < 0.75) return shareAction(store, random, incident.id, own, other);
  const share = byHandShareOf(store, incident.id, own, other);
  if (roll < 0.88 && share && isActive(share)) return { name: 'share.revoke', args: { shareId: share.id, reason: 'no longer cross-border' }, confirmed: {} };
  return { name: 'transfer.offer', args: { transferId: random.uuid(), incidentId: incident.id, incidentVersion: incident.version, to: other, reason: 'on the other side of the border' }, confirmed: {} };
}

/** The incident shared with the other force, its tier changed (view up to assist, assist cut to view), or shared again after a revocation. */
export function shareAction(store: WorkstationStore, random: Random, incidentId: string, own: ForceCode, other: ForceCode): Action {
  const share = byHandShareOf(store, incidentId, own, other);
  const tier = share && isActive(share) ? (share.tier === 'view' ? 'assist' : 'view') : random.pick(['view', 'assist'] as const)!;
  return { name: 'share.create', args: { shareId: byHandShareId(incidentId, other), incidentId, sharedWith: other, tier, reason: 'cross-border in the simulation' }, confirmed: {} };
}

/** The open incidents the workstation's own force owns: those it may share or offer. */
export function ownOpenIncidents(store: WorkstationStore, own: ForceCode) {
  return store.view.incidents('open').filter((incident) => incident.force === own);
}

/** The dispatcher's share of the incident with the other force, as this workstation holds it (revoked too), if any. */
function byHandShareOf(store: WorkstationStore, incidentId: string, own: ForceCode, other: ForceCode) {
  return store.view.sharesOf(incidentId).find((s) => s.force === own && s.sharedWith === other);
}
