import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TICKET_SECRET } from '../../server/access/access-routes';
import type { ServerRules } from '../../server/commands/plan-command';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { unverifiedLocation } from '../../shared/domain/location';
import { registerTestOperators } from '../fakes/access';
import { demoConfig, eventually } from '../fakes/fixtures';
import { InProcessLink } from '../fakes/in-process-link';
import { makeTempDir } from '../fakes/temp-dir';
import { T0, WorkstationHarness } from '../fakes/workstation-harness';

/**
 * A workstation whose live channel dropped with the network shows itself online again at its first good push or
 * pull; from then on it must hear of other desks' changes at once, not when its live channel's own backoff ends
 * (up to half a minute of a stale queue on a desk that says it is online).
 */
let dir: ReturnType<typeof makeTempDir>;
let server: SqliteStorage;
let links: InProcessLink[];
let a: WorkstationHarness;
let b: WorkstationHarness;

beforeEach(async () => {
  dir = makeTempDir();
  server = SqliteStorage.open(':memory:');
  const rules: ServerRules = { config: demoConfig, now: () => T0 };
  const secret = await server.secret(TICKET_SECRET);
  await registerTestOperators(server, rules, ['op-WS-A', 'op-WS-B']);
  // The server pokes every live channel when a command writes, as the live hub does.
  const pokeAll = (head: number) => links.forEach((link) => link.poke(head));
  links = [new InProcessLink(server, rules, secret, pokeAll), new InProcessLink(server, rules, secret, pokeAll)];
  a = new WorkstationHarness(dir.path, 'WS-A', links[0]!);
  b = new WorkstationHarness(dir.path, 'WS-B', links[1]!);
});
afterEach(async () => {
  a.close();
  b.close();
  await server.close();
  dir.remove();
});

describe('the live channel after the network returns', () => {
  it('opens again with the first exchange that succeeds, so another desk’s incident reaches this desk at once', async () => {
    const linkB = links[1]!;
    b.sync.start();
    await eventually(() => b.sync.status().connection === 'online' && linkB.liveChannels === 1, 'WS-B is online and listening');

    linkB.cut();
    await eventually(() => b.sync.status().connection === 'offline', 'WS-B sees the network go');
    // The network returns; WS-B's next retry gets through (its live channel is still waiting out its backoff).
    linkB.up = true;
    await b.syncNow();
    expect(b.sync.status().connection).toBe('online');

    // No timer fires from here on: only a poke can tell WS-B of WS-A's new incident.
    const incidentId = randomUUID();
    a.issue('incident.create', { incidentId, provisionalReference: 'WS-A-P0001', type: 'ASSAULT', location: unverifiedLocation('Bargate'), grade: '1', firstLog: null });
    await a.syncNow();
    await eventually(() => b.store.server.get({ kind: 'incident', id: incidentId }) !== undefined, 'WS-A’s incident is at WS-B');
    expect(linkB.liveChannels).toBe(1);
  });
});
