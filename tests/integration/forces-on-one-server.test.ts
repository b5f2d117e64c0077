import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { ConsoleCore } from '../../main/core/console-core';
import type { IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { SCHEMA_VERSION, type CommandEnvelope, type LiveMessage, type PullResponse } from '../../shared/sync/protocol';
import { call, eventually } from '../fakes/fixtures';
import { HttpWorkstation } from '../fakes/http-workstation';
import { twoForceRoom, twoForceServerStorages } from '../fakes/two-force-servers';

// Two forces on one central server (its own default: the two demonstration forces), on each storage: what one force
// keeps private never reaches the other's workstation file, pull or pokes, and the other cannot act on it.

/** What makes the private incident recognisable wherever it might leak: its reference, its caller's number, its log. */
const CALLER = '07700 900461';
const LOG_TEXT = 'Caller reports a man with a crowbar at the back door of number 27';

const storages = twoForceServerStorages();

describe.each(storages)('two forces on one central server on $name', ({ start }) => {
  const room = twoForceRoom(start);
  const { workstation, fileBytes } = room;
  const sockets: WebSocket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.terminate();
  });

  /** Makes DMO's private incident at its workstation, and waits for the server's reference. */
  const privateIncident = async (dmo: ConsoleCore): Promise<IncidentView & { reference: string }> => {
    const { incident } = await call<{ incident: IncidentView }>(dmo, 'incidents.create', {
      type: 'BURGLARY',
      location: unverifiedLocation('27 Wren Close'),
      grade: '1',
      firstLog: LOG_TEXT,
      callerNumber: CALLER,
    });
    await eventually(() => dmo.store.view.incident(incident.id)?.reference != null, 'the server has given the incident its reference');
    return { ...incident, reference: dmo.store.view.incident(incident.id)!.reference! };
  };

  /** A command as a modified console of `force` could send it, by hand. */
  const envelope = (w: HttpWorkstation, clientSeq: number, operator: string, name: string, args: unknown): CommandEnvelope => ({
    commandId: randomUUID(),
    clientId: w.clientId,
    clientSeq,
    name,
    args,
    issuedAt: new Date().toISOString(),
    operator,
    ticket: '',
    workstation: 'WS-HTTP',
    schemaVersion: SCHEMA_VERSION,
  });

  /** A workstation's pull from the start, as this build's workstation asks it (refusal records included). */
  const pullAsOfNow = async (w: HttpWorkstation): Promise<PullResponse> =>
    (await (await fetch(`${room.server.url}/v1/pull?since=0&clientId=${w.clientId}&afterClientSeq=0&schemaVersion=${SCHEMA_VERSION}`, { headers: w.headers })).json()) as PullResponse;

  it('keeps a private incident out of the other force’s workstation file and pulls, while its own force has it all', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    const nbr = workstation('WS-NBR', 'NBR');
    await call(dmo, 'session.signIn', { operator: 'alice', password: 'demo' });
    await call(nbr, 'session.signIn', { operator: 'quinn', password: 'demo' });

    const secret = await privateIncident(dmo);
    expect(secret.reference).toMatch(/^DMO-\d{8}-0001$/);
    // NBR's own incident comes after DMO's in the server's order: once NBR holds it, it has pulled past DMO's.
    const { incident: theirs } = await call<{ incident: IncidentView }>(nbr, 'incidents.create', { type: 'HOUSEBREAK', location: unverifiedLocation('2 Mill Lane'), grade: '2', firstLog: 'Shed broken into overnight' });
    await eventually(() => nbr.store.view.incident(theirs.id)?.reference != null, 'NBR has its own incident back from the server');
    expect(nbr.store.view.incident(theirs.id)!.reference).toMatch(/^NBR-\d{8}-0001$/); // each force numbers its own

    expect(nbr.store.view.incident(secret.id)).toBeUndefined();
    const listed = await call<{ incidents: IncidentView[] }>(nbr, 'incidents.list', {});
    expect(listed.incidents.map((i) => i.id)).toEqual([theirs.id]);
    const found = await call<{ incidents: IncidentView[] }>(nbr, 'incidents.find', { reference: secret.reference });
    expect(found.incidents).toEqual([]);

    // Nothing of it in NBR's file, byte for byte; all of it in DMO's (so the search would find it if it were there).
    const theirFile = fileBytes('WS-NBR');
    const ownFile = fileBytes('WS-DMO');
    for (const trace of [secret.reference, CALLER, LOG_TEXT, secret.id]) {
      expect(ownFile, `DMO's file holds ${trace}`).toContain(trace);
      expect(theirFile, `NBR's file holds ${trace}`).not.toContain(trace);
    }
    // No DMO unit or operator either: each force sees its own.
    expect(nbr.store.view.units().map((u) => u.callSign).every((callSign) => callSign.startsWith('NB-'))).toBe(true);
    expect(theirFile).not.toContain('Alice Adams');

    // Its pull from the start, by hand: none of DMO's records, in any form.
    const byHand = await (await HttpWorkstation.enrol(room.server.url, randomUUID(), undefined, 'NBR')).signIn('quinn');
    const page = await pullAsOfNow(byHand);
    const text = JSON.stringify(page);
    for (const trace of [secret.reference, CALLER, LOG_TEXT, secret.id, 'Alice Adams']) expect(text).not.toContain(trace);
    expect(page.changes.length).toBeGreaterThan(0);
    expect(page.changes.every((c) => (c.doc as { force: string }).force === 'NBR')).toBe(true);
    const dmoPage = await pullAsOfNow(await HttpWorkstation.enrol(room.server.url, randomUUID(), undefined, 'DMO'));
    expect(JSON.stringify(dmoPage)).toContain(LOG_TEXT);
  });

  it('refuses, with the reason, a command of one force on another force’s record, and an operator signing in at the other force’s workstation', async () => {
    const dmo = workstation('WS-DMO', 'DMO');
    await call(dmo, 'session.signIn', { operator: 'alice', password: 'demo' });
    const secret = await privateIncident(dmo);

    const modified = await (await HttpWorkstation.enrol(room.server.url, randomUUID(), undefined, 'NBR')).signIn('quinn');
    const { outcomes } = await modified.pushed([envelope(modified, 1, 'quinn', 'incident.addLog', { incidentId: secret.id, entryId: randomUUID(), text: 'Written by another force' })]);
    // Refused as for an id the server never had (words, code, the conflict it leaves NBR's room): never shared with
    // NBR, DMO's incident is not NBR's to learn of, not even that its id is one.
    const another = await (await HttpWorkstation.enrol(room.server.url, randomUUID(), undefined, 'NBR')).signIn('quinn');
    const never = await another.pushed([envelope(another, 1, 'quinn', 'incident.addLog', { incidentId: randomUUID(), entryId: randomUUID(), text: 'Written by another force' })]);
    const unknown = 'the incident does not exist (if it was made offline, the command that made it was refused)';
    expect(outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'conflict', reason: unknown })]);
    expect(never.outcomes).toEqual([expect.objectContaining({ status: 'rejected', code: 'conflict', reason: unknown })]);
    // The conflict is NBR's to see, not DMO's, and carries nothing of DMO's incident; DMO's incident is untouched.
    const refusals = (await pullAsOfNow(modified)).changes.filter((c) => c.kind === 'conflict');
    expect(refusals).toEqual([0, 1].map(() => expect.objectContaining({ doc: expect.objectContaining({ force: 'NBR', reason: unknown, theirs: null }) })));
    // DMO is not poked about NBR's refusal: a change of its own brings its pull past it.
    await call(dmo, 'incidents.addLog', { incidentId: secret.id, text: 'Dog handler requested' });
    await eventually(() => dmo.store.pullCursor > refusals[0]!.seq, 'DMO has pulled past the refusal');
    expect(dmo.store.view.logOf(secret.id).map((e) => e.text)).not.toContain('Written by another force');
    expect((await call<{ refusals: unknown[] }>(dmo, 'refusals.list', {})).refusals).toEqual([]);

    // An operator of DMO cannot sign in at NBR's workstation, right password or not; nor act there with a ticket.
    const nbr = workstation('WS-NBR', 'NBR');
    const reply = await nbr.dispatch('session.signIn', { operator: 'alice', password: 'demo' });
    expect(reply).toMatchObject({ ok: false, error: { message: "Alice is an operator of force DMO, and this workstation is force NBR's: sign in at a workstation of your own force." } });
    const asAlice = await modified.pushed([envelope(modified, 2, 'alice', 'incident.addLog', { incidentId: secret.id, entryId: randomUUID(), text: 'As alice' })]);
    expect(asAlice.outcomes[0]).toMatchObject({ status: 'rejected' });
  });

  it('pokes only the workstations of the force whose records changed', async () => {
    const dmoByHand = await (await HttpWorkstation.enrol(room.server.url, randomUUID(), undefined, 'DMO')).signIn('alice');
    const nbrByHand = await (await HttpWorkstation.enrol(room.server.url, randomUUID(), undefined, 'NBR')).signIn('quinn');
    const heard = { DMO: [] as LiveMessage[], NBR: [] as LiveMessage[] };
    for (const [force, w] of [['DMO', dmoByHand], ['NBR', nbrByHand]] as const) {
      const socket = w.live();
      sockets.push(socket);
      socket.on('message', (data: Buffer) => heard[force].push(JSON.parse(data.toString()) as LiveMessage));
    }
    await eventually(() => heard.DMO.length > 0 && heard.NBR.length > 0, 'both live channels have said hello');

    const created = await dmoByHand.pushed([envelope(dmoByHand, 1, 'alice', 'incident.addLog', { incidentId: randomUUID(), entryId: randomUUID(), text: 'x' })]);
    // A log line on an incident that does not exist: refused, and its refusal record (DMO's) is the change.
    expect(created.outcomes[0]).toMatchObject({ status: 'rejected' });
    await eventually(() => heard.DMO.some((m) => m.type === 'poke'), 'DMO is poked about its change');
    const dmoHead = (heard.DMO.find((m) => m.type === 'poke') as { head: number }).head;

    const nbrChange = await nbrByHand.pushed([envelope(nbrByHand, 1, 'quinn', 'incident.addLog', { incidentId: randomUUID(), entryId: randomUUID(), text: 'y' })]);
    expect(nbrChange.outcomes[0]).toMatchObject({ status: 'rejected' });
    await eventually(() => heard.NBR.some((m) => m.type === 'poke'), 'NBR is poked about its own change');
    // NBR's first poke is about its own change, past DMO's: it was never told DMO's head moved.
    expect(heard.NBR.filter((m) => m.type === 'poke').every((m) => m.head > dmoHead)).toBe(true);
  });
});
