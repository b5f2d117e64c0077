import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IncidentView, ShareView } from '../../shared/contract/views';
import type { Conflict } from '../../shared/domain/conflict';
import { unverifiedLocation } from '../../shared/domain/location';
import { SCHEMA_VERSION, type CommandEnvelope, type PullResponse } from '../../shared/sync/protocol';
import { call, eventually } from '../fakes/fixtures';
import { HttpWorkstation } from '../fakes/http-workstation';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { startServerProcess, startServerProcessOnPostgres } from '../fakes/processes';
import { twoForceRoom } from '../fakes/two-force-servers';

// Issue 12: "Revoking removes the record from the other force's workstations at their next pull, offline ones included
// when they return." A conflict of the holding force keeps a copy of the record its command lost on (`theirs`): for
// the owner's incident, the incident as the share showed it (its location among the rest). That copy is the owner's
// record too: once the share is revoked, neither the server's changes for the holder nor the holder's workstation
// file hold it, and the conflict stays the holder's to resolve, its own command and reason as they were.
const cluster = postgresForThisFile();
const storages = [
  { name: 'SQLite', start: (dir: string) => startServerProcess(join(dir, 'central.sqlite'), 0, { forces: 'demonstration' }) },
  { name: 'PostgreSQL', start: async () => startServerProcessOnPostgres(await cluster.createDatabase(), 0, { forces: 'demonstration' }) },
];

const PLACE = 'Quarry Lane by the old lime kilns';
const CALLER = '07700 900618';
const CALLER_NAME = 'Rosalind Pettigrew';
const LOG_TEXT = 'Two men seen climbing the quarry fence with bolt cutters';

describe.each(storages)('a conflict of the holding force when a share is revoked, on $name', ({ start }) => {
  const room = twoForceRoom(start);
  const { workstation, fileBytes } = room;
  const envelope = (w: HttpWorkstation, clientSeq: number, name: string, args: unknown): CommandEnvelope => ({
    commandId: randomUUID(),
    clientId: w.clientId,
    clientSeq,
    name,
    args,
    issuedAt: new Date().toISOString(),
    operator: 'quinn',
    ticket: '',
    workstation: 'WS-NBR-HTTP',
    schemaVersion: SCHEMA_VERSION,
  });
  const pullFromStart = async (w: HttpWorkstation): Promise<PullResponse> =>
    (await (await fetch(`${room.server.url}/v1/pull?since=0&clientId=${w.clientId}&afterClientSeq=0&schemaVersion=${SCHEMA_VERSION}`, { headers: w.headers })).json()) as PullResponse;

  it('leaves NBR’s conflict with no copy of DMO’s incident, on the server’s pull and in NBR’s file, and NBR resolves it', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    const nbr = workstation('WS-NBR', 'NBR');
    let away = workstation('WS-NBR-2', 'NBR');
    await call(away, 'session.signIn', { operator: 'omar', password: 'demo' });
    await call(dmo, 'session.signIn', { operator: 'dan', password: 'demo' });
    await call(nbr, 'session.signIn', { operator: 'quinn', password: 'demo' });
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', {
      type: 'BURGLARY',
      location: unverifiedLocation(PLACE),
      grade: '1',
      firstLog: LOG_TEXT,
      callerNumber: CALLER,
      callerName: CALLER_NAME,
    });
    await eventually(() => dmo.store.view.incident(incident.id)?.reference != null, 'DMO’s incident is on the server');
    await call(nbr, 'units.setDuty', { unitId: 'NB-101', duty: 'on_duty', unitVersion: nbr.store.view.view('unit', 'NB-101')!.version, until: new Date(Date.now() + 2 * 3600_000).toISOString() });
    await eventually(() => nbr.store.view.view('unit', 'NB-101')?.duty === 'on_duty' && !nbr.store.view.view('unit', 'NB-101')!.pending, 'NB-101 is on duty on the server');
    const { share } = await call<{ share: ShareView }>(dmo, 'shares.create', { incidentId: incident.id, sharedWith: 'NBR', tier: 'assist', reason: 'NBR units are nearer' });
    await eventually(() => nbr.store.view.logOf(incident.id).some((e) => e.text === LOG_TEXT), 'NBR holds the incident and its log');

    // DMO closes it; NBR's deployment of its own unit meanwhile, not knowing, loses: a conflict for NBR's inbox,
    // holding the incident as NBR was shown it.
    await call(dmo, 'incidents.close', { incidentId: incident.id, closingCode: 'ADVICE', incidentVersion: dmo.store.view.incident(incident.id)!.version });
    await eventually(() => dmo.store.view.incident(incident.id)?.status === 'closed' && !dmo.store.view.incident(incident.id)!.pending, 'the close is on the server');
    const holder = await (await HttpWorkstation.enrol(room.server.url, randomUUID(), undefined, 'NBR')).signIn('quinn');
    const lost = envelope(holder, 1, 'unit.assign', { assignmentId: randomUUID(), unitId: 'NB-101', incidentId: incident.id, unitVersion: nbr.store.view.view('unit', 'NB-101')!.version });
    expect((await holder.pushed([lost])).outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'conflict' })]);
    const conflictAt = () => nbr.store.server.get({ kind: 'conflict', id: lost.commandId })?.doc as Conflict | undefined;
    await eventually(() => conflictAt() !== undefined, 'NBR’s workstation has the conflict');
    expect(conflictAt()!.theirs).toMatchObject({ id: incident.id, force: 'DMO', status: 'closed', location: { text: PLACE }, callerNumber: '' });
    // What the conflict holds of DMO's incident is what the share showed: the place, never the caller.
    expect(fileBytes('WS-NBR')).toContain(PLACE);
    // Another NBR workstation has it too, and goes away before the share is revoked.
    const awayConflict = () => away.store.server.get({ kind: 'conflict', id: lost.commandId })?.doc as Conflict | undefined;
    await eventually(() => (awayConflict()?.theirs as { id?: string } | null)?.id === incident.id, 'the other NBR workstation has the conflict');
    room.stopWorkstation(away);

    await call(dmo, 'shares.revoke', { shareId: share.id, reason: 'Closed: nothing more for NBR' });
    await eventually(() => nbr.store.view.incident(incident.id) === undefined && conflictAt()?.theirs === null, 'NBR’s workstation has deleted the incident and cleared the conflict’s copy');
    // The conflict is still NBR's, open, its own command and reason as they were.
    expect(conflictAt()).toMatchObject({ force: 'NBR', status: 'open', commandName: 'unit.assign', operator: 'quinn', target: { kind: 'incident', id: incident.id } });
    const inbox = await call<{ conflicts: { id: string }[] }>(nbr, 'conflicts.list', {});
    expect(inbox.conflicts.map((c) => c.id)).toContain(lost.commandId);
    for (const trace of [PLACE, CALLER, CALLER_NAME, LOG_TEXT]) expect(fileBytes('WS-NBR'), `NBR's file holds ${trace}`).not.toContain(trace);

    // The workstation that was away clears its copy at its first pull when it returns.
    away = workstation('WS-NBR-2', 'NBR');
    await eventually(() => away.store.view.incident(incident.id) === undefined && awayConflict()?.theirs === null, 'the returning NBR workstation has cleared the conflict’s copy');
    expect(awayConflict()).toMatchObject({ force: 'NBR', status: 'open' });
    for (const trace of [PLACE, CALLER, CALLER_NAME, LOG_TEXT]) expect(fileBytes('WS-NBR-2'), `the returning NBR file holds ${trace}`).not.toContain(trace);

    // The server's changes for NBR, from the start: the conflict, with no copy.
    const page = await pullFromStart(holder);
    expect(page.changes.find((c) => c.id === lost.commandId)?.doc).toMatchObject({ force: 'NBR', status: 'open', theirs: null });
    for (const trace of [PLACE, CALLER, CALLER_NAME, LOG_TEXT]) expect(JSON.stringify(page), `NBR's pull holds ${trace}`).not.toContain(trace);

    // NBR dismisses it (accepts how things stand): resolved, and still no copy, on its desk or in its pull.
    await call(nbr, 'conflicts.resolve', { conflictId: lost.commandId, resolution: 'accept_theirs' });
    await eventually(() => conflictAt()?.status === 'resolved', 'the resolution is on the server');
    expect(conflictAt()!.theirs).toBeNull();
    expect(JSON.stringify(await pullFromStart(holder))).not.toContain(PLACE);
    expect(fileBytes('WS-NBR')).not.toContain(PLACE);
  });
});
