import { describe, expect, it } from 'vitest';
import type { ConsoleCore } from '../../main/core/console-core';
import type { DeadLetterView } from '../../shared/contract/channels';
import type { AccountView, ConflictView, IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { call } from '../fakes/fixtures';
import { inProcessRoom } from '../fakes/in-process-room';
import { postgresFactory, sqliteFactory } from '../fakes/storages';

// A conflict holds the losing command's content (what the caller said, as its author typed it). Every workstation
// of the force holds the force's conflicts (a supervisor resolves them from any desk), so who is shown which is the
// console core's to decide, for whoever is signed in: a call handler or dispatcher their own, a supervisor the
// room's, an auditor none, not even a count. So with a workstation's refused commands, which carry their arguments.
const cluster = postgresForThisFile();

const T0 = Date.parse('2026-12-02T09:00:00.000Z');
const SAID = 'Caller says her ex is outside with a knife';

describe.each([sqliteFactory, postgresFactory(() => cluster)])('who is shown a conflict, on $name', (factory) => {
  const room = inProcessRoom({
    open: () => factory.open(),
    startsAt: T0,
    operators: { alice: ['call_handler'], dan: ['call_handler', 'dispatcher'], carol: ['supervisor'], eve: ['auditor'], admin: ['admin'] },
    desks: ['WS-A', 'WS-B'],
  });
  const deskA = () => room.desk('WS-A');
  const deskB = () => room.desk('WS-B');
  const signIn = (core: ConsoleCore, operator: string) => call(core, 'session.signIn', { operator, password: 'shift-pw' });
  const listed = async (core: ConsoleCore) => (await call<{ conflicts: ConflictView[] }>(core, 'conflicts.list', {})).conflicts.map((c) => [c.operator, c.commandName]);

  /** alice, offline at WS-A, adds what the caller said to an incident dan closes meanwhile at WS-B: her change loses. */
  async function aliceLoses(): Promise<ConflictView> {
    await signIn(deskA(), 'alice');
    await signIn(deskB(), 'dan');
    const { incident } = await call<{ incident: IncidentView }>(deskA(), 'incidents.create', { type: 'DOMESTIC', location: unverifiedLocation('4 Quay Street'), grade: '2', firstLog: null });
    await room.sync(deskA(), deskB());
    room.link(deskA()).up = false;
    await call(deskA(), 'incidents.update', { incidentId: incident.id, fields: { description: SAID } });
    await call(deskB(), 'incidents.close', { incidentId: incident.id, closingCode: 'ADVICE', incidentVersion: deskB().store.view.incident(incident.id)!.version });
    await room.sync(deskB());
    room.link(deskA()).up = true;
    await room.sync(deskA(), deskB());
    const [conflict] = await call<{ conflicts: ConflictView[] }>(deskA(), 'conflicts.list', {}).then((r) => r.conflicts);
    expect(conflict).toMatchObject({ operator: 'alice', commandName: 'incident.update', args: expect.objectContaining({ fields: { description: SAID } }) });
    return conflict!;
  }

  it('a call handler is shown the conflicts of her own commands, and another operator at her desk is shown none of them', async () => {
    const conflict = await aliceLoses();
    expect(deskA().sync.status().conflicts).toBe(1);

    // dan signs in at WS-A, whose file holds alice's conflict: not listed, not counted, not resolvable by its id.
    await call(deskA(), 'session.signOut', {});
    await signIn(deskA(), 'dan');
    expect(await listed(deskA())).toEqual([]);
    expect(deskA().sync.status().conflicts).toBe(0);
    const resolve = await deskA().dispatch('conflicts.resolve', { conflictId: conflict.id, resolution: 'accept_theirs' });
    expect(resolve).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(JSON.stringify(resolve)).not.toContain(SAID);
  });

  it('the conflict reaches the whole force, and a dispatcher signed in elsewhere is not sent it as it arrives', async () => {
    const seenAtB: unknown[] = [];
    deskB().onEvent((event, payload) => {
      if (event === 'records.changed') seenAtB.push(...(payload as { conflicts: unknown[] }).conflicts);
      if (event === 'sync.status') seenAtB.push(payload);
    });
    await aliceLoses();
    // WS-B's file holds it (for a supervisor at that desk), and dan, signed in there, was shown nothing of it.
    expect(deskB().store.view.openConflicts()).toHaveLength(1);
    expect(JSON.stringify(seenAtB)).not.toContain(SAID);
    expect(seenAtB.filter((status) => (status as { conflicts?: number }).conflicts)).toEqual([]);
    expect(await listed(deskB())).toEqual([]);
  });

  it('a supervisor at any desk is shown the room’s, and resolves them; an auditor is shown none, nor their count', async () => {
    const conflict = await aliceLoses();
    await call(deskB(), 'session.signOut', {});
    await signIn(deskB(), 'eve');
    expect((await deskB().dispatch('conflicts.list', {})).ok).toBe(false);
    expect(deskB().sync.status().conflicts).toBe(0);

    await call(deskB(), 'session.signOut', {});
    await signIn(deskB(), 'carol');
    expect(await listed(deskB())).toEqual([['alice', 'incident.update']]);
    expect(deskB().sync.status().conflicts).toBe(1);
    await call(deskB(), 'conflicts.resolve', { conflictId: conflict.id, resolution: 'accept_theirs' });
    expect(await listed(deskB())).toEqual([]);
  });

  it('a command refused at a desk is listed and counted there for its operator and a supervisor, and for nobody else signed in there', async () => {
    // dan, offline at WS-A, takes charge of an incident; meanwhile an administrator takes his dispatcher role away.
    await signIn(deskA(), 'dan');
    await signIn(deskB(), 'admin');
    const { incident } = await call<{ incident: IncidentView }>(deskA(), 'incidents.create', { type: 'DOMESTIC', location: unverifiedLocation('4 Quay Street'), grade: '2', firstLog: null });
    await room.sync(deskA(), deskB());
    room.link(deskA()).up = false;
    await call(deskA(), 'incidents.takeOwnership', { incidentId: incident.id, incidentVersion: deskA().store.view.incident(incident.id)!.version });
    const dan = (await call<{ accounts: AccountView[] }>(deskB(), 'admin.accounts', {})).accounts.find((a) => a.id === 'dan')!;
    await call(deskB(), 'admin.setRoles', { name: 'dan', roles: ['call_handler'], operatorVersion: dan.version });
    await room.sync(deskB());
    room.link(deskA()).up = true;
    await room.sync(deskA());
    const refused = async () => (await call<{ deadLetters: DeadLetterView[] }>(deskA(), 'sync.deadLetters', {})).deadLetters.map((d) => [d.operator, d.name]);
    expect(await refused()).toEqual([['dan', 'incident.takeOwnership']]);
    expect(deskA().sync.status().deadLetters).toBe(1);

    // alice at the same desk: not hers, so neither listed nor counted.
    await call(deskA(), 'session.signOut', {});
    await signIn(deskA(), 'alice');
    expect(await refused()).toEqual([]);
    expect(deskA().sync.status().deadLetters).toBe(0);
    // A supervisor there is shown it, to redo or dismiss.
    await call(deskA(), 'session.signOut', {});
    await signIn(deskA(), 'carol');
    expect(await refused()).toEqual([['dan', 'incident.takeOwnership']]);
    expect(deskA().sync.status().deadLetters).toBe(1);
  });
});
