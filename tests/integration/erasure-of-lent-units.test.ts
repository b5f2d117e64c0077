import { describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import type { AssignmentView, IncidentView, LoanView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { call, eventually } from '../fakes/fixtures';
import { twoForceRoom, twoForceServerStorages } from '../fakes/two-force-servers';

// Issue 12, M9 (a try-out's finding): DMO borrowed NBR's unit for a DMO incident, the incident closed, and DMO's
// administrator erased it; NBR's own record of where its officers went (its unit's deployment there, with its
// statuses and times, and the loan it answered) went with it. The lender keeps them; the borrower's caller and log
// never reach it, before or after.
const CALLER = '07700 900913';
const LOG_TEXT = 'Caller Ada Lovelace says two men are fighting by the Crossways Arms';
const storages = twoForceServerStorages();

describe.each(storages)('erasing an incident another force lent a unit for, on $name', ({ start }) => {
  const room = twoForceRoom(start);
  const { workstation } = room;
  const unitOn = (c: ConsoleCore, id: string) => c.store.view.view('unit', id);
  const loanOn = (c: ConsoleCore, id: string) => c.store.view.view('loan', id);

  it('leaves the lender its unit’s deployment there and the loan it answered, on its workstations and any it starts later', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    const admin = workstation('WS-ADMIN', 'DMO');
    const nbr = workstation('WS-NBR', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'bob', password: 'demo' });
    await call(admin, 'session.signIn', { operator: 'admin', password: 'demo' });
    await call(nbr, 'session.signIn', { operator: 'omar', password: 'demo' });
    await eventually(() => unitOn(nbr, 'NB-101') !== undefined, 'NBR has its units', 15_000);
    await call(nbr, 'units.setDuty', { unitId: 'NB-101', duty: 'on_duty', unitVersion: unitOn(nbr, 'NB-101')!.version, until: new Date(Date.now() + 2 * 3600_000).toISOString() });
    await eventually(() => unitOn(nbr, 'NB-101')?.duty === 'on_duty' && !unitOn(nbr, 'NB-101')!.pending, 'NB-101 is on duty on the server', 15_000);

    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', { type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: LOG_TEXT, callerNumber: CALLER });
    await eventually(() => dmo.store.view.incident(incident.id)?.reference != null && !dmo.store.view.incident(incident.id)!.pending, 'the server has given the incident its reference', 15_000);
    const reference = dmo.store.view.incident(incident.id)!.reference!;
    const { loan } = await call<{ loan: LoanView }>(dmo, 'loans.request', { incidentId: incident.id, lender: 'NBR', ask: { callSign: 'NB-101' }, reason: 'No DMO car free within 20 minutes' });
    await eventually(() => loanOn(nbr, loan.id)?.status === 'requested', 'NBR sees the request', 15_000);
    await call(nbr, 'loans.accept', { loanId: loan.id, loanVersion: loanOn(nbr, loan.id)!.version, unitId: 'NB-101', unitVersion: unitOn(nbr, 'NB-101')!.version });
    await eventually(() => unitOn(dmo, 'NB-101')?.loan?.to === 'DMO', 'DMO holds the lent unit', 15_000);
    const { assignment } = await call<{ assignment: AssignmentView }>(dmo, 'units.assign', { unitId: 'NB-101', incidentId: incident.id, unitVersion: unitOn(dmo, 'NB-101')!.version });
    const deployment = () => dmo.store.view.view('assignment', assignment.id)!;
    await call(dmo, 'assignments.setStatus', { assignmentId: assignment.id, status: 'at_scene', assignmentVersion: deployment().version });
    await call(dmo, 'assignments.setStatus', { assignmentId: assignment.id, status: 'cleared', assignmentVersion: deployment().version });
    await eventually(() => unitOn(dmo, 'NB-101')?.commitment === null && !unitOn(dmo, 'NB-101')!.pending, 'the server has the unit cleared', 15_000);
    await call(dmo, 'loans.return', { loanId: loan.id });
    await eventually(() => loanOn(dmo, loan.id)?.status === 'returned' && !loanOn(dmo, loan.id)!.pending, 'the unit is returned', 15_000);
    await call(dmo, 'incidents.close', { incidentId: incident.id, closingCode: 'ADVICE', incidentVersion: dmo.store.view.incident(incident.id)!.version });
    await eventually(() => admin.store.view.incident(incident.id)?.status === 'closed', 'the administrator’s desk has it closed', 15_000);
    await eventually(() => nbr.store.view.view('assignment', assignment.id)?.status === 'cleared' && loanOn(nbr, loan.id)?.status === 'returned', 'NBR has its unit’s deployment cleared and the loan returned', 15_000);

    const loanBefore = loanOn(nbr, loan.id)!.version;
    // The administrator is told, before confirming, that the lender's part leaves DMO's desks too (kept by NBR).
    const preview = await call<{ goes: string[] }>(admin, 'admin.erasePreview', { kind: 'incident', record: reference });
    expect(preview.goes).toContain("1 deployment and 1 unit loan kept by NBR (its unit's record of where its officers went); they leave this force's desks too");
    const { done } = await call<{ done: string }>(admin, 'admin.erase', { kind: 'incident', record: reference, reason: 'Retention period ended' });
    expect(done).toMatch(/^erased the incident and \d+ records with it/);

    // DMO holds nothing of it any more: not the incident, not the deployment or the loan.
    for (const w of [dmo, admin]) {
      await eventually(() => w.store.view.incident(incident.id) === undefined && w.store.view.view('assignment', assignment.id) === undefined && loanOn(w, loan.id) === undefined, 'the incident, the deployment and the loan are gone from DMO’s workstation', 15_000);
    }
    // NBR keeps its account of where its officers went: the deployment with its times and statuses, the loan with
    // the incident's reference and summary; never the caller or the log.
    const kept = async (w: ConsoleCore, what: string) => {
      await eventually(() => w.store.view.view('assignment', assignment.id) !== undefined && loanOn(w, loan.id) !== undefined && w.sync.status().pending === 0, what, 15_000);
      expect(w.store.view.view('assignment', assignment.id)).toMatchObject({ unitId: 'NB-101', unitForce: 'NBR', incidentId: incident.id, status: 'cleared', assignedAt: assignment.assignedAt });
      expect(loanOn(w, loan.id)).toMatchObject({ lender: 'NBR', status: 'returned', callSign: 'NB-101', incident: { reference, type: 'Assault', commonPriority: 1, location: 'Crossways Road' } });
    };
    // The erasure's change reaches NBR's desk: the loan now NBR's own record (a new version), not a withdrawal.
    await eventually(() => (loanOn(nbr, loan.id)?.version ?? 0) > loanBefore || loanOn(nbr, loan.id) === undefined, 'the erasure has reached NBR’s desk', 15_000);
    await kept(nbr, 'NBR still holds its deployment and the loan');
    expect(nbr.store.view.incident(incident.id)).toBeUndefined();
    for (const trace of [CALLER, 'Ada Lovelace']) expect(room.fileBytes('WS-NBR')).not.toContain(trace);

    // A workstation of each force started now: NBR's pulls them, DMO's nothing of them.
    const later = workstation('WS-NBR-LATER', 'NBR');
    await call(later, 'session.signIn', { operator: 'omar', password: 'demo' });
    await kept(later, 'the later NBR workstation has pulled its deployment and the loan');
    const dmoLater = workstation('WS-DMO-LATER', 'DMO');
    await call(dmoLater, 'session.signIn', { operator: 'bob', password: 'demo' });
    await eventually(() => dmoLater.sync.status().connection === 'online' && dmoLater.sync.status().pending === 0 && unitOn(dmoLater, 'DM-11') !== undefined, 'the later DMO workstation has caught up', 15_000);
    expect(dmoLater.store.view.view('assignment', assignment.id)).toBeUndefined();
    expect(loanOn(dmoLater, loan.id)).toBeUndefined();
  }, 180_000);
});
