import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unverifiedLocation } from '../../shared/domain/location';
import { byHandShareId } from '../../shared/domain/share';
import { derivedId } from '../../shared/domain/derived-id';
import { openDeadlines } from '../../shared/dispatch/deadlines';
import { receiptGrade } from '../../shared/dispatch/receipts';
import type { Assignment } from '../../shared/domain/assignment';
import type { Incident } from '../../shared/domain/incident';
import type { Unit } from '../../shared/domain/unit';
import { runSystemCommands } from '../../server/commands/system-commands';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { rulesOf, twoForcesOnOneServer, twoForcesRules } from '../fakes/two-forces-server';
import { postgresFactory, sqliteFactory } from '../fakes/storages';
import { anyOf, visibleTo } from '../../shared/domain/partition';
import { sharePolicyOf } from '../../shared/domain/share-policy';
import { loanPolicy } from '../../shared/domain/loan-policy';
import { commonPriorityIn } from '../../shared/domain/common-priority';
import type { Share } from '../../shared/domain/share';
import type { AnyRecord } from '../../shared/domain/records';
import { servedForces } from '../../server/commands/plan-command';

// Issue 12 (a try-out's finding): NBR's unit deployed by NBR on DMO's incident shared at assist, its crew silent:
// NBR's desk, which runs the deployment (deploymentRunBy), raised no receipt alarm. Its desk read the incident's
// grade, which a share withholds (and which is of DMO's scheme), and the server refused the claim at the assist tier.
const cluster = postgresForThisFile();

describe.each([sqliteFactory, postgresFactory(() => cluster)])('the receipt alarm of a force’s unit assisting on another force’s incident, on $name', (factory) => {
  const room = twoForcesOnOneServer(factory, {
    enrolmentKey: 'assisting-receipt-alarm-key',
    operators: [
      { force: 'DMO', names: ['alice'], roles: ['call_handler', 'dispatcher'] },
      { force: 'NBR', names: ['omar'], roles: ['dispatcher'] },
    ],
  });
  const { push, happen } = room;

  it('falls due at NBR’s desk by its own grade of the incident’s common priority, and the server raises it there, the log line DMO’s', async () => {
    const unitVersion = async () => ((await room.storage.record({ kind: 'unit', id: 'NB-102' })) as { version: number }).version;
    await runSystemCommands(room.storage, rulesOf('NBR'), [{ name: 'unit.setDuty', args: { unitId: 'NB-102', duty: 'on_duty', unitVersion: await unitVersion(), until: '2026-11-29T23:00:00.000Z' } }]);
    const incidentId = randomUUID();
    const assignmentId = randomUUID();
    await happen('DMO', [
      { name: 'incident.create', args: { incidentId, provisionalReference: 'P-DMO-1', type: 'ASSAULT', location: unverifiedLocation('Crossways Road'), grade: '1', firstLog: null }, by: 'alice' },
      { name: 'share.create', args: { shareId: byHandShareId(incidentId, 'NBR'), incidentId, sharedWith: 'NBR', tier: 'assist', reason: 'On the border' }, by: 'alice' },
    ]);
    await happen('NBR', [{ name: 'unit.assign', args: { assignmentId, incidentId, unitId: 'NB-102', unitVersion: await unitVersion() }, by: 'omar', at: '2026-11-29T10:00:00.000Z' }]);

    // NBR's desk, holding what the server sends it: the incident cut to the share, its own unit's deployment whole.
    const share = (await room.storage.record({ kind: 'share', id: byHandShareId(incidentId, 'NBR') })) as Share;
    const shares = anyOf(sharePolicyOf([share], (force, grade) => commonPriorityIn(servedForces(twoForcesRules), force, grade)), loanPolicy);
    const asNbr = async <T>(kind: 'incident' | 'assignment' | 'unit', id: string): Promise<T> => {
      const doc = await room.storage.record({ kind, id });
      return visibleTo('NBR', { kind, id, doc } as AnyRecord, shares)!.doc as T;
    };
    const incident = await asNbr<Incident>('incident', incidentId);
    expect(incident.grade).toBe('');
    const nbrConfig = rulesOf('NBR').config;
    expect(receiptGrade(nbrConfig, incident)).toBe('1');
    const deadlines = openDeadlines(nbrConfig, [await asNbr<Unit>('unit', 'NB-102')], [await asNbr<Assignment>('assignment', assignmentId)], () => receiptGrade(nbrConfig, incident));
    expect(deadlines.filter((d) => d.key.startsWith('receipt:'))).toEqual([expect.objectContaining({ key: `receipt:${assignmentId}`, dueMs: Date.parse('2026-11-29T10:00:45.000Z'), command: expect.objectContaining({ name: 'assignment.receiptOverdue' }) })]);

    // Its claim, past the time: applied; the alarm raised on NBR's deployment, the log line on DMO's incident DMO's.
    const claimed = await push('NBR', [{ name: 'assignment.receiptOverdue', args: { assignmentId, unitId: 'NB-102', incidentId }, by: 'omar', at: '2026-11-29T10:01:00.000Z', automatic: true }]);
    expect(claimed.outcomes).toEqual([expect.objectContaining({ status: 'applied' })]);
    expect(((await room.storage.record({ kind: 'assignment', id: assignmentId })) as Assignment).receiptAlarm).toMatchObject({ at: '2026-11-29T10:01:00.000Z' });
    expect(await room.storage.record({ kind: 'logEntry', id: derivedId(assignmentId, 'receipt-alarm') })).toMatchObject({ force: 'DMO', incidentId, text: expect.stringMatching(/^NB-102 has not accepted the deployment 45 s after it was sent/) });

    // Its dispatcher confirms it by radio: the line is on DMO's incident, DMO's record, as every line of it is (it was
    // NBR's, which DMO's desk could not see).
    const confirmed = await push('NBR', [{ name: 'assignment.confirmByRadio', args: { assignmentId, unitId: 'NB-102', incidentId }, by: 'omar', at: '2026-11-29T10:01:30.000Z' }]);
    expect(confirmed.outcomes).toEqual([expect.objectContaining({ status: 'applied' })]);
    expect(await room.storage.record({ kind: 'logEntry', id: derivedId(assignmentId, 'radio-confirmed') })).toMatchObject({ force: 'DMO', incidentId, text: 'NB-102 confirmed the deployment by radio' });
  });
});
