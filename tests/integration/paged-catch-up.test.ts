import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerRules } from '../../server/commands/plan-command';
import { TICKET_SECRET } from '../../server/access/access-routes';
import { LinkError } from '../../main/sync/server-link';
import { issueCommand } from '../../main/sync/issue-command';
import { issueTicket } from '../../server/access/tickets';
import { resendHeld } from '../../main/sync/held-commands';
import { unverifiedLocation } from '../../shared/domain/location';
import { demoConfig } from '../fakes/fixtures';
import { InProcessLink } from '../fakes/in-process-link';
import { registerTestOperators } from '../fakes/access';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { postgresFactory, sqliteFactory, type OpenedStorage } from '../fakes/storages';
import { makeTempDir } from '../fakes/temp-dir';
import { T0, WorkstationHarness } from '../fakes/workstation-harness';

/**
 * A workstation far behind (back after an outage) catches up in pages, and has a command of its own to send: the
 * server applies it at the head, so its effects come in the last page. Until that page is here the command stays
 * in the outbox, shown on the screen and counted as not yet on the server, whatever happens between pages.
 */
const cluster = postgresForThisFile();

/** Small pages: the catch-up below takes several. */
const PAGE = 3;

describe.each([sqliteFactory, postgresFactory(() => cluster)])('a paged catch-up with a command of its own to send, on $name', (factory) => {
  let opened: OpenedStorage;
  let dir: ReturnType<typeof makeTempDir>;
  const open: WorkstationHarness[] = [];
  const rules: ServerRules = { config: demoConfig, now: () => T0 };

  afterEach(async () => {
    for (const w of open.splice(0)) w.close();
    await opened?.close();
    dir?.remove();
  });

  /** WS-A (whole pulls) and WS-B (pulls of PAGE changes) on a fresh server, both operators known to it. */
  async function twoDesks() {
    opened = await factory.open();
    dir = makeTempDir();
    const { storage } = opened;
    await registerTestOperators(storage, rules, ['op-WS-A', 'op-WS-B']);
    const secret = await storage.secret(TICKET_SECRET);
    const a = new WorkstationHarness(dir.path, 'WS-A', new InProcessLink(storage, rules, secret));
    const b = new WorkstationHarness(dir.path, 'WS-B', new InProcessLink(storage, rules, secret), demoConfig, { pullPageSize: PAGE });
    open.push(a, b);
    return { storage, secret, a, b };
  }

  /** Two desks holding one incident WS-A created. */
  async function twoDesksWithAnIncident() {
    const desks = await twoDesks();
    const { a, b } = desks;
    const incidentId = randomUUID();
    a.issue('incident.create', { incidentId, provisionalReference: 'WS-A-P0001', type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: null });
    await a.syncNow();
    await b.syncNow();
    return { ...desks, incidentId };
  }

  /** WS-B's network goes after `pages` pulls have been answered; returns the working pull, to put back. */
  function pullsFailAfter(b: WorkstationHarness, pages: number) {
    const pull = b.link.pull.bind(b.link);
    let pulls = 0;
    b.link.pull = async (query) => {
      pulls += 1;
      if (pulls > pages) throw new LinkError('cannot reach the server: network down', true);
      return pull(query);
    };
    return pull;
  }

  /**
   * WS-A and WS-B hold one incident; WS-B loses the network while WS-A writes nine lines on it, and writes one of its
   * own meanwhile. Returns WS-B still cut off, its line, and the server's head before WS-B's line reaches it.
   */
  async function behindWithALine() {
    const { storage, a, b, incidentId } = await twoDesksWithAnIncident();
    expect(b.store.view.incident(incidentId)).toBeDefined();

    b.link.cut();
    for (let i = 1; i <= 9; i++) a.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: `line ${i} from A` });
    await a.syncNow();
    const entryId = randomUUID();
    b.issue('incident.addLog', { incidentId, entryId, text: 'B saw a man run off' });
    expect(b.store.view.logEntry(entryId)).toBeDefined();
    const headBefore = await storage.head();
    expect(headBefore - b.store.pullCursor).toBeGreaterThan(2 * PAGE);
    return { b, entryId, headBefore };
  }

  it('shows its line, and counts it as not yet on the server, after every page until the page that brings it', async () => {
    const { b, entryId, headBefore } = await behindWithALine();
    const seen: { cursor: number; onScreen: boolean; pending: number }[] = [];
    b.onStatus((status) => seen.push({ cursor: b.store.pullCursor, onScreen: b.store.view.logEntry(entryId) !== undefined, pending: status.pending }));

    b.link.up = true;
    await b.syncNow();

    // Several pages were applied, each telling the screen.
    expect(new Set(seen.map((s) => s.cursor)).size).toBeGreaterThan(2);
    // Its own line never left the screen; before its effects (after the old head) arrived, it was still pending.
    expect(seen.filter((s) => !s.onScreen)).toEqual([]);
    expect(seen.filter((s) => s.cursor <= headBefore && s.pending === 0)).toEqual([]);
    // And once caught up it is the server's, and out of the outbox.
    expect(b.store.pullCursor).toBe(await opened.storage.head());
    expect(b.store.outbox.pendingCount()).toBe(0);
    expect(b.store.view.logEntry(entryId)?.text).toBe('B saw a man run off');
  });

  it('keeps its new incident on screen through a catch-up in which another desk has changed it since, and through a push answered in the middle of it', async () => {
    const { storage, a, b } = await twoDesks();
    await b.syncNow();

    // WS-B's new incident reaches the server, but the answer does not reach WS-B, and then its network goes.
    const incidentId = randomUUID();
    b.issue('incident.create', { incidentId, provisionalReference: 'WS-B-P0001', type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: { entryId: randomUUID(), text: 'Shed broken into' } });
    const push = b.link.push.bind(b.link);
    b.link.push = async (request) => {
      await push(request);
      throw new LinkError('cannot reach the server: connection reset', true);
    };
    await b.syncNow();
    b.link.push = push;
    b.link.cut();
    expect(b.sync.status().pending).toBe(1);

    // Meanwhile WS-A writes nine lines on it, then corrects it: the incident's record now lies after all the lines.
    await a.syncNow();
    for (let i = 1; i <= 9; i++) a.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: `line ${i} from A` });
    a.issue('incident.update', { incidentId, changeId: randomUUID(), fields: { description: 'Garden shed, padlock cut' } });
    await a.syncNow();
    const moved = await storage.changes(b.store.pullCursor, 100);
    expect(moved.changes.findIndex((c) => c.kind === 'incident' && c.id === incidentId)).toBeGreaterThan(2 * PAGE);

    const seen: { cursor: number; onScreen: boolean; pending: number }[] = [];
    b.onStatus((status) => seen.push({ cursor: b.store.pullCursor, onScreen: b.store.view.incident(incidentId) !== undefined, pending: status.pending }));
    // Back: the push is answered (applied before), then the catch-up fails after its second page.
    b.link.up = true;
    const pull = pullsFailAfter(b, 2);
    await b.syncNow();
    expect(b.sync.status().connection).toBe('offline');
    expect(b.store.pullCursor).toBeLessThan(await storage.head());
    expect(b.store.view.incident(incidentId)).toBeDefined();

    // Back again: it writes a line on its incident, whose answer comes before the rest of the catch-up.
    b.link.pull = pull;
    const entryId = randomUUID();
    b.issue('incident.addLog', { incidentId, entryId, text: 'B: neighbour saw a van' });
    await b.syncNow();

    expect(seen.filter((s) => !s.onScreen)).toEqual([]);
    expect(b.store.pullCursor).toBe(await storage.head());
    expect(b.store.outbox.pendingCount()).toBe(0);
    expect(b.store.view.incident(incidentId)?.description).toBe('Garden shed, padlock cut');
    expect(b.store.view.logEntry(entryId)?.text).toBe('B: neighbour saw a van');
  });

  it('goes on showing a command held for its sign-in, redone at another desk, until the page that brings the redo, though the refusal comes pages before', async () => {
    const { storage, secret, a, b, incidentId } = await twoDesksWithAnIncident();

    // WS-B's operator corrects the description, with a sign-in lapsed an hour ago: refused, and held on its screen.
    const lapsed = issueTicket(secret, { operator: 'op-WS-B', clientId: b.store.clientId, expiresAt: T0 - 3_600_000 });
    const correction = { incidentId, changeId: randomUUID(), fields: { description: 'Padlock cut' } };
    const { envelope } = issueCommand(b.store, demoConfig, { operator: 'op-WS-B', workstation: 'WS-B', ticket: lapsed }, 'incident.update', correction, new Date(T0).toISOString());
    await b.syncNow();
    expect(b.store.refusals.heldCounts()).toMatchObject([{ operator: 'op-WS-B', commands: 1 }]);
    expect(b.store.view.incident(incidentId)?.description).toBe('Padlock cut');
    b.link.cut();

    // WS-A's supervisor redoes it at once, then writes nine lines and a caller's name: the incident's record now lies
    // pages after the refusal's, which says it was redone.
    await a.syncNow();
    const at = new Date(T0).toISOString();
    issueCommand(a.store, demoConfig, { operator: 'op-WS-A', workstation: 'WS-A', ticket: a.link.ticketFor('op-WS-A', a.store.clientId) }, 'incident.update', { ...correction, changeId: randomUUID() }, at, undefined, { refusalId: envelope.commandId, action: 'redone', at });
    for (let i = 1; i <= 9; i++) a.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: `line ${i} from A` });
    a.issue('incident.update', { incidentId, changeId: randomUUID(), fields: { callerName: 'Mr Jones' } });
    await a.syncNow();
    expect(a.store.outbox.pendingCount()).toBe(0);
    const since = await storage.changes(b.store.pullCursor, 100);
    const refusalAt = since.changes.findIndex((c) => c.kind === 'refusal');
    expect(since.changes.findIndex((c) => c.kind === 'incident') - refusalAt).toBeGreaterThan(2 * PAGE);

    const shown: (string | undefined)[] = [];
    b.onStatus(() => shown.push(b.store.view.incident(incidentId)?.description));
    b.link.up = true;
    await b.syncNow();

    expect(shown.length).toBeGreaterThan(3);
    expect(shown.filter((d) => d !== 'Padlock cut')).toEqual([]);
    expect(b.store.refusals.heldCounts()).toEqual([]);
    expect(b.store.view.incident(incidentId)).toMatchObject({ description: 'Padlock cut', callerName: 'Mr Jones' });
  });

  it('a command held for its sign-in and dismissed at another desk, sent again here in the middle of a catch-up, ends as the room says: dismissed', async () => {
    const { storage, secret, a, b, incidentId } = await twoDesksWithAnIncident();

    const lapsed = issueTicket(secret, { operator: 'op-WS-B', clientId: b.store.clientId, expiresAt: T0 - 3_600_000 });
    const { envelope } = issueCommand(b.store, demoConfig, { operator: 'op-WS-B', workstation: 'WS-B', ticket: lapsed }, 'incident.update', { incidentId, changeId: randomUUID(), fields: { description: 'Padlock cut' } }, new Date(T0).toISOString());
    await b.syncNow();
    expect(b.store.refusals.heldCounts()).toMatchObject([{ operator: 'op-WS-B', commands: 1 }]);
    b.link.cut();

    // WS-A's supervisor dismisses it, then nine lines follow: the refusal's record comes in WS-B's first pages.
    await a.syncNow();
    a.issue('refusal.handle', { commandId: envelope.commandId, commandName: 'incident.update', issuedBy: 'op-WS-B', action: 'dismissed', reason: 'already corrected by phone', redoneAs: null });
    for (let i = 1; i <= 9; i++) a.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: `line ${i} from A` });
    await a.syncNow();
    expect(a.store.outbox.pendingCount()).toBe(0);

    // WS-B is back, and its catch-up fails after two pages, the dismissal among them.
    b.link.up = true;
    const pull = pullsFailAfter(b, 2);
    await b.syncNow();
    expect(b.store.pullCursor).toBeLessThan(await storage.head());
    expect(b.store.server.get({ kind: 'refusal', id: envelope.commandId })?.doc).toMatchObject({ status: 'handled', action: 'dismissed' });

    // Its operator signs in again meanwhile: the command goes again, and then the catch-up finishes.
    resendHeld(b.store, demoConfig, 'op-WS-B', b.link.ticketFor('op-WS-B', b.store.clientId), new Date(T0).toISOString());
    b.link.pull = pull;
    await b.syncNow();
    await b.syncNow();

    expect(b.store.pullCursor).toBe(await storage.head());
    expect(b.store.refusals.handled().find((r) => r.envelope.commandId === envelope.commandId)?.handling).toMatchObject({ action: 'dismissed', by: 'op-WS-A' });
  });

  it('when the network fails after the first page, still shows its line as not yet on the server, and finishes when back', async () => {
    const { b, entryId } = await behindWithALine();
    b.link.up = true;
    // The first page arrives; the network goes before the second does.
    pullsFailAfter(b, 1);
    await b.syncNow();
    expect(b.sync.status().connection).toBe('offline');
    expect(b.store.pullCursor).toBeGreaterThan(0);

    expect(b.store.view.logEntry(entryId)?.text).toBe('B saw a man run off');
    expect(b.sync.status().pending).toBe(1);

    // A crash now, and a start again: still there, still pending.
    b.close();
    const again = new WorkstationHarness(dir.path, 'WS-B', new InProcessLink(opened.storage, rules, b.link.ticketSecret), demoConfig, { pullPageSize: PAGE });
    open.splice(open.indexOf(b), 1, again);
    expect(again.store.view.logEntry(entryId)?.text).toBe('B saw a man run off');
    expect(again.store.outbox.pendingCount()).toBe(1);

    await again.syncNow();
    expect(again.store.pullCursor).toBe(await opened.storage.head());
    expect(again.store.outbox.pendingCount()).toBe(0);
    expect(again.store.view.logEntry(entryId)?.text).toBe('B saw a man run off');
  });
});
