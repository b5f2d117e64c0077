import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { PROTOCOL_PATHS, SCHEMA_VERSION, type CommandEnvelope } from '../../shared/sync/protocol';
import { unverifiedLocation } from '../../shared/domain/location';
import { send, sendRaw, upgrade, type Answer } from './raw-http';

/**
 * Requests an attacker, a broken workstation or a confused tool could send to the central server, as fast-check
 * generators, for tests/integration/endpoint-fuzz.test.ts. Each says what the server must do with it:
 * `refused`: a 4xx with a reason in words, and nothing stored; `refused_in_place`: the batch is taken (200) but each
 * of its commands is refused with a reason and logged in its place, so the workstation's queue moves on, and nothing
 * is applied (a forged ticket, a malformed command from an enrolled workstation: the protocol's refusal, which its
 * operator and the room see); `same_answer`: a legitimate retry, answered as the first time and applied once.
 */
export type Expectation = 'refused' | 'refused_in_place' | 'same_answer';

export interface Attack {
  label: string;
  expect: Expectation;
  run(world: World): Promise<Answer>;
}

/** A workstation enrolled with the server under test: its client id, device token and alice's ticket there. */
export interface Enrolled {
  clientId: string;
  workstation: string;
  token: string;
  ticket: string;
}

/** What the attacks need to know of the server under test and the workstations around it. */
export interface World {
  base: string;
  port: number;
  enrolmentKey: string;
  /** The workstation whose requests are forged or replayed; `nextSeq` is its next unused clientSeq. */
  legit: Enrolled;
  nextSeq(): Promise<number>;
  /** Another enrolled workstation. */
  other: Enrolled;
  /** A workstation enrolled and then revoked by an administrator. */
  revoked: { clientId: string; token: string };
  /** Tickets that must not pass at `legit`: signed with another key, alice's at `other`, expired, carol's revoked. */
  badTickets: Record<'anotherKey' | 'anotherWorkstation' | 'expired' | 'revokedOperator' | 'garbage', string>;
  /** A command of `legit` the server applied, and what it answered then; one of `other`'s. */
  applied: { envelope: CommandEnvelope; answer: unknown };
  otherApplied: CommandEnvelope;
}

/** An incident.create by alice at `legit`, as a workstation would send it. */
export function legitCommand(world: World, clientSeq: number, overrides: Partial<CommandEnvelope> = {}): CommandEnvelope {
  return {
    commandId: randomUUID(),
    clientId: world.legit.clientId,
    clientSeq,
    name: 'incident.create',
    args: { incidentId: randomUUID(), provisionalReference: `WS-F${clientSeq}`, type: 'ASB', location: unverifiedLocation('Market Square'), grade: '3', firstLog: null },
    issuedAt: new Date().toISOString(),
    operator: 'alice',
    ticket: world.legit.ticket,
    workstation: world.legit.workstation,
    schemaVersion: SCHEMA_VERSION,
    ...overrides,
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const JSON_TYPE = { 'content-type': 'application/json' };
const pushBody = (world: World, commands: unknown[], clientId = world.legit.clientId) => JSON.stringify({ clientId, schemaVersion: SCHEMA_VERSION, commands });

type Endpoint = 'push' | 'enrol' | 'signIn';
const endpoint = fc.constantFrom<Endpoint>('push', 'enrol', 'signIn');

/** A valid body for the endpoint: what a mutation starts from. Enrolment under a fresh client id, so valid would enrol. */
function validBody(world: World, to: Endpoint, seq: number): Record<string, unknown> {
  if (to === 'enrol') return { clientId: randomUUID(), workstation: 'WS-FUZZ', enrolmentKey: world.enrolmentKey };
  if (to === 'signIn') return { operator: 'alice', password: 'correct horse' };
  return { clientId: world.legit.clientId, schemaVersion: SCHEMA_VERSION, commands: [legitCommand(world, seq)] };
}

function post(world: World, to: Endpoint, body: string | Buffer, headers: Record<string, string> = bearer(world.legit.token)): Promise<Answer> {
  return send(world.base, 'POST', PROTOCOL_PATHS[to], { body, headers });
}

/** JSON values of types no field of the protocol takes where they are put (a field's wrong type). */
const wrongValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(-1, 0, 1e300, Number.MAX_SAFE_INTEGER + 2, 'NaN', '', '\u0000', '../../etc/passwd', "'; DROP TABLE records; --"),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
);

/** Text that is not JSON: random, or a valid body cut short. */
const notJson = fc.oneof(
  fc.string({ maxLength: 200 }).filter((text) => !parses(text)),
  fc.constantFrom('{', '{"clientId":', '[1,2', 'nul', '{"a":1}}', '\u0000', '\uFEFF{}x', "{'single':'quotes'}", '{"a":1,}', 'NaN'),
);

const malformedJson: fc.Arbitrary<Attack> = fc.record({ to: endpoint, text: notJson }).map(({ to, text }) => ({
  label: `malformed JSON to ${to}: ${JSON.stringify(text).slice(0, 60)}`,
  expect: 'refused',
  run: (world) => post(world, to, text),
}));

/** A valid request with one field taken away or given a value of the wrong type, sometimes with an unknown field too. */
const wrongShape: fc.Arbitrary<Attack> = fc
  .record({ to: endpoint, field: fc.nat(), missing: fc.boolean(), value: wrongValue, extra: fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), wrongValue)) })
  .map(({ to, field, missing, value, extra }) => ({
    label: `${to} with a field ${missing ? 'missing' : `set to ${JSON.stringify(value)?.slice(0, 40)}`}${extra ? ' and an unknown field' : ''} (field #${field})`,
    expect: 'refused' as const,
    async run(world: World) {
      const body = validBody(world, to, await world.nextSeq());
      const keys = Object.keys(body);
      const key = keys[field % keys.length]!;
      if (missing) delete body[key];
      else body[key] = value;
      if (extra && !(extra[0] in body)) body[extra[0]] = extra[1];
      // A value that happens to fit (a string where a string goes) is not a wrong type: pair it with a missing field.
      if (!missing && typeof value === 'string' && typeof validBody(world, to, 1)[key] === 'string') delete body[keys[(field + 1) % keys.length]!];
      if (key === 'schemaVersion' && typeof body[key] === 'number' && Number.isInteger(body[key]) && (body[key] as number) >= 1 && (body[key] as number) <= SCHEMA_VERSION) body[key] = 0;
      return post(world, to, JSON.stringify(body));
    },
  }));

/** A batch whose commands the server cannot identify, after one it could take: nothing of it may be applied. */
const unidentifiableBatch: fc.Arbitrary<Attack> = fc.record({ bad: wrongValue, first: fc.boolean() }).map(({ bad, first }) => ({
  label: `a push whose ${first ? 'first' : 'second'} command has no usable commandId and clientSeq (${JSON.stringify(bad)?.slice(0, 40)})`,
  expect: 'refused',
  async run(world) {
    const good = legitCommand(world, await world.nextSeq());
    return post(world, 'push', pushBody(world, first ? [bad, good] : [good, bad]));
  },
}));

/** Bodies over the endpoint's limit (8 MiB for a push, 16 KiB otherwise), and fields far over their own limits. */
const oversized: fc.Arbitrary<Attack> = fc.oneof(
  fc.record({ to: fc.constantFrom<Endpoint>('enrol', 'signIn'), bytes: fc.integer({ min: 16 * 1024 + 1, max: 512 * 1024 }) }).map(({ to, bytes }) => ({
    label: `a ${bytes}-byte body to ${to}`,
    expect: 'refused' as const,
    run: (world: World) => post(world, to, JSON.stringify({ operator: 'alice', password: 'p'.repeat(bytes) })),
  })),
  fc.record({ extra: fc.integer({ min: 1, max: 64 * 1024 }) }).map(({ extra }) => ({
    label: `a push of 8 MiB + ${extra} bytes`,
    expect: 'refused' as const,
    async run(world: World) {
      const command = legitCommand(world, await world.nextSeq());
      const filler = 'x'.repeat(8 * 1024 * 1024 + extra);
      return post(world, 'push', pushBody(world, [{ ...command, args: { ...(command.args as object), firstLog: filler } }]));
    },
  })),
  fc.record({ field: fc.constantFrom('workstation', 'enrolmentKey', 'operator', 'password'), length: fc.integer({ min: 201, max: 15_000 }) }).map(({ field, length }) => ({
    label: `a ${length}-character ${field}`,
    expect: 'refused' as const,
    run: (world: World) =>
      field === 'workstation' || field === 'enrolmentKey'
        ? post(world, 'enrol', JSON.stringify({ ...validBody(world, 'enrol', 1), [field]: 'W'.repeat(length) }))
        : post(world, 'signIn', JSON.stringify({ ...validBody(world, 'signIn', 1), [field]: 'a'.repeat(length) })),
  })),
);

/** A command from the enrolled workstation with a field far over its limit, or nested beyond any reason. */
const oversizedInPlace: fc.Arbitrary<Attack> = fc
  .record({ what: fc.constantFrom('name', 'ticket', 'operator', 'deep args', 'deep array args'), size: fc.integer({ min: 2_001, max: 400_000 }) })
  .map(({ what, size }) => ({
    label: `a command with ${what} of size ${size}`,
    expect: 'refused_in_place' as const,
    async run(world: World) {
      const command = legitCommand(world, await world.nextSeq());
      const body =
        what === 'deep args' || what === 'deep array args'
          ? // Built as text: a value this deep cannot be made by JSON.stringify itself.
            pushBody(world, [{ ...command, args: '__ARGS__' }]).replace('"__ARGS__"', what === 'deep args' ? `${'{"a":'.repeat(size)}1${'}'.repeat(size)}` : `${'['.repeat(size)}${']'.repeat(size)}`)
          : pushBody(world, [{ ...command, [what]: 'Z'.repeat(size) }]);
      return post(world, 'push', body);
    },
  }));

/** Content types other than JSON (a form, as a browser page or `curl -d` sends), on an otherwise valid request. */
const wrongContentType: fc.Arbitrary<Attack> = fc
  .record({ to: endpoint, type: fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html', 'application/xml', 'image/png') })
  .map(({ to, type }) => ({
    label: `a valid ${to} sent as ${type}`,
    expect: 'refused' as const,
    async run(world: World) {
      return post(world, to, JSON.stringify(validBody(world, to, await world.nextSeq())), { ...bearer(world.legit.token), 'content-type': type });
    },
  }));

type TokenForgery = 'none' | 'random' | 'revoked' | 'altered' | 'basic' | 'short' | 'spaces';
function forgedAuthorization(world: World, how: TokenForgery, random: string): Record<string, string> {
  switch (how) {
    case 'none':
      return {};
    case 'random':
      return { authorization: `Bearer ${random}` };
    case 'revoked':
      return { authorization: `Bearer ${world.revoked.token}` };
    case 'altered': {
      const last = world.legit.token.at(-1) === 'A' ? 'B' : 'A';
      return { authorization: `Bearer ${world.legit.token.slice(0, -1)}${last}` };
    }
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`alice:${random}`).toString('base64')}` };
    case 'short':
      return { authorization: 'Bearer abc' };
    case 'spaces':
      return { authorization: `Bearer  ${world.legit.token} ` };
  }
}

const tokenForgery = fc.constantFrom<TokenForgery>('none', 'random', 'revoked', 'altered', 'basic', 'short', 'spaces');
const randomToken = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 20, maxLength: 200 });

/** Push, pull, sign-in and the live channel with no device token, a made-up one, a revoked workstation's… */
const forgedDevice: fc.Arbitrary<Attack> = fc
  .record({ to: fc.constantFrom('push', 'pull', 'signIn', 'live'), how: tokenForgery, random: randomToken })
  .map(({ to, how, random }) => ({
    label: `${to} with a forged device token (${how})`,
    expect: 'refused' as const,
    async run(world: World) {
      const auth = forgedAuthorization(world, how, random);
      const clientId = how === 'revoked' ? world.revoked.clientId : world.legit.clientId;
      if (to === 'live') return upgrade(world.base, PROTOCOL_PATHS.live, auth);
      if (to === 'pull') return send(world.base, 'GET', `${PROTOCOL_PATHS.pull}?since=0&clientId=${clientId}&afterClientSeq=0`, { headers: auth });
      const body = to === 'push' ? pushBody(world, [legitCommand(world, await world.nextSeq(), { clientId })], clientId) : JSON.stringify(validBody(world, 'signIn', 1));
      return post(world, to, body, { ...auth, ...JSON_TYPE });
    },
  }));

/** The enrolled workstation speaking as another: pushing or pulling with the other's client id. */
const asAnotherWorkstation: fc.Arbitrary<Attack> = fc.constantFrom('push', 'pull', 'push-command-only').map((to) => ({
  label: `${to} as another workstation`,
  expect: (to === 'push-command-only' ? 'refused_in_place' : 'refused') as Expectation,
  async run(world: World) {
    const seq = await world.nextSeq();
    if (to === 'pull') return send(world.base, 'GET', `${PROTOCOL_PATHS.pull}?since=0&clientId=${world.other.clientId}&afterClientSeq=0`, { headers: bearer(world.legit.token) });
    // The batch is this workstation's, one command in it names the other: refused in its place.
    if (to === 'push-command-only') return post(world, 'push', pushBody(world, [legitCommand(world, seq, { clientId: world.other.clientId })]));
    return post(world, 'push', pushBody(world, [legitCommand(world, seq, { clientId: world.other.clientId })], world.other.clientId));
  },
}));

/** A command whose sign-in ticket is forged: signed with another key, another workstation's, expired, revoked. */
const forgedTicket: fc.Arbitrary<Attack> = fc
  .record({ which: fc.constantFrom<keyof World['badTickets']>('anotherKey', 'anotherWorkstation', 'expired', 'revokedOperator', 'garbage'), count: fc.integer({ min: 1, max: 3 }) })
  .map(({ which, count }) => ({
    label: `${count} command(s) with a ticket ${which}`,
    expect: 'refused_in_place' as const,
    async run(world: World) {
      const seq = await world.nextSeq();
      const operator = which === 'revokedOperator' ? 'carol' : 'alice';
      const commands = Array.from({ length: count }, (_, i) => legitCommand(world, seq + i, { ticket: world.badTickets[which], operator }));
      return post(world, 'push', pushBody(world, commands));
    },
  }));

/** Replays: a retried push (legitimate), the same command id with other content, an id or a place used before. */
const replayed: fc.Arbitrary<Attack> = fc
  .constantFrom('retry', 'same id other args', 'same id other operator', 'same id other time', 'same id other name', 'other id same place', 'used id new place', 'other workstation’s id', 'revoked re-enrols', 'wrong key')
  .map((how) => ({
    label: `replay: ${how}`,
    expect: (how === 'retry' ? 'same_answer' : 'refused') as Expectation,
    async run(world: World) {
      const first = world.applied.envelope;
      const again = (overrides: Partial<CommandEnvelope>) => post(world, 'push', pushBody(world, [{ ...first, ...overrides }]));
      switch (how) {
        case 'retry':
          return again({});
        case 'same id other args':
          return again({ args: { ...(first.args as object), incidentId: randomUUID() } });
        case 'same id other operator':
          return again({ operator: 'bob' });
        case 'same id other time':
          return again({ issuedAt: new Date(Date.parse(first.issuedAt) + 60_000).toISOString() });
        case 'same id other name':
          return again({ name: 'incident.addLog' });
        case 'other id same place':
          return again({ commandId: randomUUID() });
        case 'used id new place':
          return again({ clientSeq: await world.nextSeq() });
        case 'other workstation’s id':
          return again({ commandId: world.otherApplied.commandId, clientSeq: await world.nextSeq() });
        case 'revoked re-enrols':
          return post(world, 'enrol', JSON.stringify({ clientId: world.revoked.clientId, workstation: 'WS-R', enrolmentKey: world.enrolmentKey }), JSON_TYPE);
        default:
          return post(world, 'enrol', JSON.stringify({ clientId: randomUUID(), workstation: 'WS-X', enrolmentKey: `${world.enrolmentKey}x` }), JSON_TYPE);
      }
    },
  }));

const PATHS = Object.values(PROTOCOL_PATHS);
/** Methods and paths that are not a route, or a route asked the wrong way: 4xx, with the legitimate token. */
const pathOrMethod: fc.Arbitrary<Attack> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
    path: fc.oneof(
      fc.constantFrom(...PATHS),
      fc.constantFrom(...PATHS).map((p) => `${p}/`),
      fc.constantFrom(...PATHS).map((p) => p.toUpperCase()),
      fc.constantFrom('/v1//push', '/v1/push/../pull', '/v1/push%00', '/v1/%2e%2e/healthz', '/', '/v2/push', '/v1', '/favicon.ico', '/v1/live/x'),
      fc.webPath().map((p) => `/${p.replace(/^\/+/, '')}`),
    ),
    token: fc.boolean(),
  })
  .filter(({ method, path }) => !(method === 'GET' && path === PROTOCOL_PATHS.health))
  .map(({ method, path, token }) => ({
    label: `${method} ${path}${token ? ' with a device token' : ''}`,
    expect: 'refused' as const,
    run: (world: World) =>
      send(world.base, method, path, { headers: token ? bearer(world.legit.token) : JSON_TYPE, ...(method === 'GET' || method === 'OPTIONS' ? {} : { body: '{}' }) }),
  }));

/** Values no pull parameter takes, by parameter (a numeral past 2^53 or PostgreSQL's bigint is one). */
const BAD_PULL_VALUES: Record<string, string[]> = {
  since: ['-1', '1.5', 'abc', '1e400', 'Infinity', '99999999999999999999', '%00'],
  afterClientSeq: ['-1', '1.5', 'abc', '1e400', 'Infinity', '99999999999999999999', '%00'],
  limit: ['0', '5001', '-1', '1.5', 'abc', 'none'],
  schemaVersion: ['0', '-1', '1.5', 'abc', 'Infinity', 'none'],
  clientId: ['abc', '0', '%00', '00000000-0000-0000-0000-00000000000g'],
};

/** Pull queries with a parameter missing, of the wrong type, or out of range. */
const badPull: fc.Arbitrary<Attack> = fc
  .constantFrom(...Object.keys(BAD_PULL_VALUES))
  .chain((field) => fc.record({ field: fc.constant(field), value: fc.option(fc.constantFrom(...BAD_PULL_VALUES[field]!), { nil: undefined }) }))
  .map(({ field, value }) => ({
    label: `pull with ${field} ${value === undefined ? 'missing' : `= ${value}`}`,
    expect: 'refused' as const,
    run(world: World) {
      const query: Record<string, string> = { since: '0', clientId: world.legit.clientId, afterClientSeq: '0', limit: '10', schemaVersion: String(SCHEMA_VERSION) };
      // limit and schemaVersion may be left out (they have defaults): for them, "missing" is garbage instead.
      if (value === undefined) {
        if (field === 'limit' || field === 'schemaVersion') query[field] = 'none';
        else delete query[field];
      } else query[field] = value;
      return send(world.base, 'GET', `${PROTOCOL_PATHS.pull}?${new URLSearchParams(query).toString()}`, { headers: bearer(world.legit.token) });
    },
  }));

/** Requests fetch will not make: a broken request line, a URL no parser takes, conflicting lengths. */
const rawRequest: fc.Arbitrary<Attack> = fc
  .constantFrom(
    'GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET //[ HTTP/1.1\r\nHost: x\r\n\r\n',
    'POST http://%zz/v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}',
    'GET /v1/live HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
    'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    'POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'POST /v1/enrol HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}',
    'GARBAGE\r\n\r\n',
    'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
  )
  .map((bytes) => ({
    label: `raw request ${JSON.stringify(bytes.split('\r\n')[0])}`,
    expect: 'refused' as const,
    run: (world: World) => sendRaw(world.port, bytes),
  }));

/** The live channel asked for at the wrong path, with the wrong method, or for another workstation's. */
const badUpgrade: fc.Arbitrary<Attack> = fc
  .record({ path: fc.constantFrom('/v1/live/', '/v1/push', '/live', '/v1/LIVE', '/'), method: fc.constantFrom('GET', 'POST') })
  .map(({ path, method }) => ({
    label: `a WebSocket upgrade by ${method} to ${path}`,
    expect: 'refused' as const,
    run: (world: World) => upgrade(world.base, path, { authorization: `Bearer ${world.legit.token}` }, method),
  }));

/** Every kind of attack, the costly ones (megabytes) rarer. */
export const attacks: fc.Arbitrary<Attack> = fc.oneof(
  { arbitrary: malformedJson, weight: 3 },
  { arbitrary: wrongShape, weight: 5 },
  { arbitrary: unidentifiableBatch, weight: 2 },
  { arbitrary: oversized, weight: 1 },
  { arbitrary: oversizedInPlace, weight: 2 },
  { arbitrary: wrongContentType, weight: 2 },
  { arbitrary: forgedDevice, weight: 4 },
  { arbitrary: asAnotherWorkstation, weight: 2 },
  { arbitrary: forgedTicket, weight: 3 },
  { arbitrary: replayed, weight: 4 },
  { arbitrary: pathOrMethod, weight: 3 },
  { arbitrary: badPull, weight: 3 },
  { arbitrary: rawRequest, weight: 2 },
  { arbitrary: badUpgrade, weight: 1 },
);

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
