import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { AUDIT_PATHS } from '../../shared/sync/audit-protocol';
import { MEASURES_PATH } from '../../shared/sync/measures-protocol';
import { TICKET_SECRET } from '../../server/access/access-routes';
import { HttpError } from '../../server/http/read-body';
import { handleReview } from '../../server/training/review-route';
import { PROTOCOL_PATHS } from '../../shared/sync/protocol';
import { deviceOf, registerTestOperators, ticketFor } from '../fakes/access';
import { silentLog } from '../fakes/fixtures';
import { postgresForThisFile } from '../fakes/postgres-for-file';
import { fixedRules, postgresFactory, sqliteFactory, type OpenedStorage } from '../fakes/storages';

// The server's asking routes (the audit log, the room's measures, an administrator's requests, the exercise review),
// on both storages: who asks is checked before what is asked is read, so an operator whose role a route refuses gets
// 403 whatever they send, never a 400 that describes what the route takes; the right role still hears what was wrong.
const cluster = postgresForThisFile();

const ENROLMENT_KEY = 'asker-first-key';

/** Each route, the role it is for, and a request to it that is malformed past its operator and ticket. */
const ROUTES: { path: string; for: string; malformed: Record<string, unknown> }[] = [
  { path: AUDIT_PATHS.query, for: 'carol', malformed: { question: { about: 'everything' }, reason: '' } },
  { path: AUDIT_PATHS.export, for: 'carol', malformed: { question: { about: 'disclosures' }, purpose: 42 } },
  { path: MEASURES_PATH, for: 'carol', malformed: { issuedAt: 'yesterday', window: { kind: 'forever' } } },
  { path: PROTOCOL_PATHS.admin, for: 'admin', malformed: { action: 'erase', record: { kind: 'everything' } } },
];

describe.each([sqliteFactory, postgresFactory(() => cluster)])('asking routes on $name', (factory) => {
  let opened: OpenedStorage;
  let server: CentralServer;
  const client = randomUUID();
  let deviceToken: string;

  beforeEach(async () => {
    opened = await factory.open();
    await registerTestOperators(opened.storage, fixedRules, ['alice'], ['call_handler']);
    await registerTestOperators(opened.storage, fixedRules, ['carol'], ['supervisor']);
    await registerTestOperators(opened.storage, fixedRules, ['tina'], ['trainer']);
    await registerTestOperators(opened.storage, fixedRules, ['admin'], ['admin']);
    server = await startCentralServer({ storage: opened.storage, rules: fixedRules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: ENROLMENT_KEY });
    const enrolled = await post('/v1/enrol', { clientId: client, workstation: 'WS-ASK', enrolmentKey: ENROLMENT_KEY }, null);
    expect(enrolled.status).toBe(200);
    deviceToken = (enrolled.body as { deviceToken: string }).deviceToken;
  });
  afterEach(async () => {
    await server.close();
    await opened.close();
  });

  async function post(path: string, body: unknown, token: string | null = deviceToken): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(new URL(path, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('refuses a role a route is not for with 403 whatever it sends, before reading it; the right role hears what was wrong (400)', async () => {
    const before = await opened.count('audit_log');
    const refusalsAudited = async () => (await opened.storage.auditEntries(before, 100_000)).map((e) => [e.kind, e.operator, JSON.parse(e.after!).reason]);
    for (const route of ROUTES) {
      const asAlice = await post(route.path, { operator: 'alice', ticket: await ticketFor(opened.storage, 'alice', client), ...route.malformed });
      expect(asAlice.status, `${route.path} as alice: ${JSON.stringify(asAlice.body)}`).toBe(403);
      expect(String(asAlice.body.error), route.path).toMatch(/^alice/);
      const forged = await post(route.path, { operator: route.for, ticket: 'forged.ticket', ...route.malformed });
      expect(forged.status, `${route.path} with a forged ticket`).toBe(403);
      const rightRole = await post(route.path, { operator: route.for, ticket: await ticketFor(opened.storage, route.for, client), ...route.malformed });
      expect(rightRole.status, `${route.path} as ${route.for}: ${JSON.stringify(rightRole.body)}`).toBe(400);
    }
    // The exercise review is served by a training server only: its handler, as that server calls it.
    const review = async (operator: string, ticket: string) => {
      const deps = { storage: opened.storage, rules: fixedRules, log: silentLog, device: deviceOf(client, 'WS-ASK'), ticketSecret: await opened.storage.secret(TICKET_SECRET), scenario: null };
      return handleReview({ operator, ticket, issuedAt: 'later', extra: true }, deps).then(
        () => 200,
        (error: unknown) => (error instanceof HttpError ? error.status : 500),
      );
    };
    expect(await review('alice', await ticketFor(opened.storage, 'alice', client))).toBe(403);
    expect(await review('tina', 'forged.ticket')).toBe(403);
    expect(await review('tina', await ticketFor(opened.storage, 'tina', client))).toBe(400);
    // Nothing asked was answered, so nothing was written but the server's own entry of each refusal over the link
    // (the operator refused a route, a ticket not good: server/central-server.ts), the right role's 400 none.
    expect(await refusalsAudited()).toEqual(ROUTES.flatMap((route) => [['access-refused', 'alice', 'role'], ['access-refused', route.for, 'sign-in not good']]));
  });
});
