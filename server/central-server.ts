import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import type { Logger } from 'pino';
import { describeIssues } from '../shared/validation';
import { PROTOCOL_PATHS, SignInRequest, SCHEMA_VERSION, MIN_CLIENT_SCHEMA_VERSION, LIVE_ENCODINGS, type CommandEnvelope, type LiveMessage, type ServerMode } from '../shared/sync/protocol';
import type { ExerciseClock } from '../shared/domain/exercise-clock';
import { modeRefusal } from './access/server-mode';
import { AccessRefused, HttpError, readJsonBody } from './http/read-body';
import { LiveHub } from './live-hub';
import { handlePush } from './push';
import { TicketRevocations } from './access/ticket-revocations';
import { EnrolledDevices } from './access/enrolled-devices';
import { pageForClient } from './outcome-for-client';
import { PullCoalescer } from './pull-coalescer';
import { messageJson } from './change-json';
import { PushAdmission, type PushAdmissionOptions } from './push-admission';
import { rulesOfForce, servedForces, type ServerRules } from './commands/plan-command';
import { DeviceWithdrawn, type EnrolledDevice, type ServerStorage } from './storage/storage';
import { registerForceUnits } from './commands/system-commands';
import { RoomDelivery } from './shares/room-delivery';
import { authenticateDevice, type DeviceRefusal } from './access/device-tokens';
import { handleEnrol, handleSignIn, TICKET_SECRET, type EnrolRefusal } from './access/access-routes';
import { lockoutRulesOf } from './access/sign-in-lockout';
import { RefusalTally } from './access/refusal-tally';
import { handleAdmin } from './access/admin-routes';
import { StorageUnavailableError } from './storage/storage-unavailable';
import { SYSTEM_DOWN, type ExerciseOutages } from '../shared/training/exercise-outages';
import { onServerTime } from './commands/exercise-time';
import type { ExerciseRoom } from '../shared/training/exercise-room';
import { StartProblem } from '../node-common/start-problem';
import { AUDIT_PATHS } from '../shared/sync/audit-protocol';
import { handleAuditExport, handleAuditQuery } from './audit/audit-routes';
import { MEASURES_PATH } from '../shared/sync/measures-protocol';
import { handleMeasures, MeasuresCache } from './measures/measures-routes';
import { REVIEW_PATH } from '../shared/sync/review-protocol';
import type { Scenario } from '../shared/training/scenario';
import { handleReview } from './training/review-route';
import { putStartingState, type StartingStatePut } from './training/starting-state';

const PullQuery = z.object({
  since: z.coerce.number().int().nonnegative(),
  clientId: z.uuid(),
  afterClientSeq: z.coerce.number().int().nonnegative(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  /** The asking workstation's schema version, for how its refusals are told (absent before version 2). */
  schemaVersion: z.coerce.number().int().positive().default(1),
});

const LiveQuery = z.object({ schemaVersion: z.coerce.number().int().positive().max(1000) });
/** Read apart from the schema version: an encoding this server does not know is not an error, only text (as HTTP's Accept-Encoding). */
const LiveEncodingQuery = z.object({ encoding: z.enum(LIVE_ENCODINGS) });

export interface CentralServerOptions {
  storage: ServerStorage;
  rules: ServerRules;
  log: Logger;
  port: number;
  host: string;
  /** What a workstation must present to enrol. */
  enrolmentKey: string;
  /** The server's certificate (with any intermediates) and private key, PEM: HTTPS and WSS instead of HTTP and WS. */
  tls?: { cert: string; key: string };
  /** How often open live channels are checked for workstations an administrator revoked meanwhile (ms; default 5 s). */
  revocationCheckMs?: number;
  /**
   * How often the storage's head is read while workstations listen (ms; default 2 s), besides its notifications: a
   * change committed through another instance reaches this one's workstations within it, even if its notification
   * was lost.
   */
  headPollMs?: number;
  /** How pushes are admitted when many arrive at once (server/push-admission.ts); default as there. */
  pushAdmission?: PushAdmissionOptions;
  /**
   * The least time between the starts of two live batches (ms; default 0: paced by their cost alone, live-hub.ts).
   * Tests set it to gather several commits in one batch, as a busy room does.
   */
  liveMinIntervalMs?: number;
  /** How often every live channel is pinged, and one heard nothing from since the last ping ended (ms; default LIVE_HEARTBEAT_MS). */
  liveHeartbeatMs?: number;
  /**
   * A training server: it takes training workstations only, and tells them the exercise clock (which `rules.now` must
   * read) in its hello and whenever it changes. Default: a live server, which refuses training workstations.
   */
  training?: { clock: ExerciseClock; scenario?: Scenario; outages?: ExerciseOutages; room?: ExerciseRoom };
}

export interface CentralServer {
  url: string;
  port: number;
  /**
   * A training server with a scenario: puts the scenario's starting incidents and warning markers in place as its own
   * records (server/training/starting-state.ts), once however often it is asked; the exercise's runner asks as the
   * exercise starts. Absent on a live server.
   */
  putStartingState?(): Promise<StartingStatePut>;
  close(): Promise<void>;
}

/**
 * The central server: HTTP for push and pull, a WebSocket for pokes, one storage behind both; HTTPS and WSS when
 * given a certificate. Whether plain HTTP may be served where it listens is its launcher's check (link-security.ts).
 */
export async function startCentralServer(options: CentralServerOptions): Promise<CentralServer> {
  const { storage, rules, log } = options;
  const served = servedForces(rules).map((config) => config.force.code);
  if (new Set(served).size !== served.length) throw new StartProblem(`two force configurations have the same force code (${served.join(', ')}): each force needs its own`);
  for (const force of served) {
    const unitsRegistered = await registerForceUnits(storage, rulesOfForce(rules, force)!);
    if (unitsRegistered > 0) log.info({ force, unitsRegistered }, 'units of the force configuration brought into service');
  }
  const ticketSecret = await storage.secret(TICKET_SECRET);
  // The shares between the forces, and what each pull page and live batch carries because of them.
  const delivery = new RoomDelivery(storage, rules);
  const heartbeatMs = options.liveHeartbeatMs ?? LIVE_HEARTBEAT_MS;
  /** At most how long a dead live channel is kept: it is heard nothing at one ping, and ended at the next. */
  const silentWithinSeconds = Math.ceil((2 * heartbeatMs) / 1000);
  const hub = new LiveHub(await storage.head(), {
    readChanges: (since, limit) => storage.changes(since, limit),
    deliveryOf: (page) => delivery.forBatch(page),
    minIntervalMs: options.liveMinIntervalMs,
    heartbeatMs,
    onSilent: (clientId) => log.info({ workstation: liveChannels.get(clientId)?.workstation }, 'ended a live channel that answered nothing since the last ping'),
    onReadFailed: (error) => log.warn({ reason: (error as Error).message }, 'could not read changes for the live channels; they were poked to pull'),
    forces: served,
  });
  const stopListening = storage.onExternalChange((head) => hub.headMoved(head));
  // Notifications are only a poke, and one can be lost (the listening connection down, or the instance deaf for a
  // moment): the head is read now and then too, so no change committed elsewhere waits for the next one to be seen.
  const headPoll = setInterval(() => {
    if (hub.size > 0) storage.head().then((head) => hub.headMoved(head), () => undefined);
  }, options.headPollMs ?? 2_000);
  headPoll.unref();
  // A room pulling from the same cursor at once (back after a restart, or told of the same change) costs one read.
  const pulls = new PullCoalescer(storage);
  const admission = new PushAdmission(options.pushAdmission);
  // Each operator's latest ticket revocation, kept across pushes; each push's transaction checks it (see TicketRevocations).
  const ticketRevocations = new TicketRevocations(storage);
  // The enrolled workstations, kept for admitting pushes; each push's transaction checks its device (see EnrolledDevices).
  const enrolledDevices = new EnrolledDevices(storage);
  /** The rules of the force a workstation was enrolled for; refused in words when it has none this server serves. */
  const rulesOfDevice = (device: EnrolledDevice): ServerRules => {
    const own = rulesOfForce(rules, device.force);
    if (own) return own;
    throw new AccessRefused(null, 'force not served', device.force ? `this server does not serve force ${device.force}, which this workstation was enrolled for` : 'this workstation belongs to no force, so it may do nothing: enrol it again for its force');
  };
  const lockoutOf = (device: EnrolledDevice) => lockoutRulesOf(rulesOfDevice(device).config);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const measuresCache = new MeasuresCache();
  const mode: ServerMode = options.training ? 'training' : 'live';
  const exerciseClock = options.training?.clock;
  // Every trainee's desk keeps the one exercise time: each start, pause or change of speed is told at once.
  // An exercise's outages (shared/training/exercise-outages.ts): a workstation cut off, or the whole system down.
  const outages = options.training?.outages;
  /**
   * The workstations with live channels open, by client id: which workstation it is (to cut the channels an outage
   * reaches) and how many it holds open (MAX_LIVE_CHANNELS_PER_WORKSTATION).
   */
  const liveChannels = new Map<string, { workstation: string; open: number }>();
  // The trainees as they join, sign in and keep a live channel open: the trainer's desk shows them.
  const room = options.training?.room;
  const exerciseNow = () => new Date(rules.now()).toISOString();
  const outageOf = (device: EnrolledDevice) => outages?.outageOf(device.workstation, rules.now()) ?? null;
  const stopCutting = outages?.onChange(() => {
    for (const [clientId, { workstation }] of liveChannels) {
      const outage = outages.outageOf(workstation, rules.now());
      if (outage) hub.dropClient(clientId, outage.kind === 'system' ? SYSTEM_DOWN : undefined);
    }
  });
  const stopAnnouncing = exerciseClock?.onChange((exercise) => {
    storage.head().then(
      (head) => hub.broadcast({ type: 'exercise', head, exercise }),
      () => log.warn('could not announce the exercise clock: storage unavailable'),
    );
  });

  // Refusals at the door, before anyone has proved who they are, are audited tallied (server/access/refusal-tally.ts).
  const tally = new RefusalTally(storage, () => rules.now(), log);
  /**
   * Audits a request refused at the device check. A revoked workstation's goes in its own force's log under its
   * name, and is tallied by its client id; one with no token, or one this server does not know or cannot read,
   * says nothing vouched for of who sent it, so it is tallied by the address it came from and goes in the log of
   * every force this server serves: a stranger at the door of a shared server is every one of its forces' concern,
   * and no force's auditor could otherwise read it. A sign-in's entry names the name typed (never the password);
   * it counts toward no lockout, as no password was checked: counting it would let whoever holds a revoked laptop
   * lock real operators out by typing their names.
   */
  const auditDeviceRefusal = (request: IncomingMessage, url: URL) => async (refusal: DeviceRefusal) => {
    const signingIn = request.method === 'POST' && url.pathname === PROTOCOL_PATHS.signIn;
    const typed = signingIn ? SignInRequest.safeParse(await readJsonBody(request, 16 * 1024).catch(() => null)).data?.operator : undefined;
    const address = request.socket.remoteAddress ?? 'an unknown address';
    const asked = requestWords(url);
    const details = { source: address, ...(asked === OTHER_REQUEST ? { path: `${request.method ?? ''} ${url.pathname.slice(0, 100)}` } : {}) };
    if (refusal.reason === 'revoked') {
      const { workstation, force, subject: clientId, revokedAt } = refusal.revoked;
      await tally.note({ kind: 'access-refused', action: 'access.device', source: clientId, reason: 'revoked', request: asked, by: `workstation ${workstation}`, ...(typed ? { typed } : {}), subject: { kind: 'workstation', id: workstation }, workstation, clientId, forces: [force], details: { ...details, revokedAt } });
      return;
    }
    await tally.note({ kind: 'access-refused', action: 'access.device', source: address, reason: refusal.reason, request: asked, by: 'unknown workstation', ...(typed ? { typed } : {}), subject: { kind: 'workstation', id: 'unknown' }, workstation: 'unknown', clientId: '', forces: served, details });
  };
  /**
   * Audits a refused enrolment: one that showed the right key in the log of the force it named (every served
   * force's when it named none this server serves), tallied by its client id; one with the wrong key, or unreadable,
   * vouches for nothing it says, so as a stranger's at the device check: by address, in every served force's log,
   * with what it claimed beside.
   */
  const auditEnrolRefusal = (request: IncomingMessage) => async (refusal: EnrolRefusal) => {
    const address = request.socket.remoteAddress ?? 'an unknown address';
    const { claimed, keyRight } = refusal;
    const claim = claimed ? `workstation ${claimed.workstation}, client id ${claimed.clientId}, force ${claimed.force ?? '(none)'}` : null;
    const details = { source: address, ...(claim ? { claimed: claim } : {}) };
    if (keyRight && claimed) {
      const force = claimed.force !== null && served.includes(claimed.force) ? [claimed.force] : served;
      await tally.note({ kind: 'enrolment-refused', action: 'access.enrol', source: claimed.clientId, reason: refusal.reason, request: null, by: `workstation ${claimed.workstation}`, subject: { kind: 'workstation', id: claimed.workstation }, workstation: claimed.workstation, clientId: claimed.clientId, forces: force, details });
      return;
    }
    await tally.note({ kind: 'enrolment-refused', action: 'access.enrol', source: address, reason: refusal.reason, request: null, by: 'unknown workstation', subject: { kind: 'workstation', id: 'unknown' }, workstation: 'unknown', clientId: '', forces: served, details });
  };

  /**
   * Audits a refusal past the device check (AccessRefused): an operator refused at an asking route (the audit log,
   * measures, administration, the review), naming the operator the request gave, or an enrolled workstation refused
   * what is not its own (a push or pull as another, a workstation of no force or one not served). In the
   * workstation's force's log (every served force's for one of no force), tallied by its client id.
   */
  const auditRefusalPastTheDoor = async (refused: AccessRefused, device: EnrolledDevice, url: URL): Promise<void> => {
    const { workstation, clientId, force } = device;
    const forces = force !== null && served.includes(force) ? [force] : served;
    const action = refused.operator === null ? 'access.device' : 'access.ask';
    await tally.note({ kind: 'access-refused', action, source: clientId, reason: refused.code, request: requestWords(url), by: `workstation ${workstation}`, ...(refused.operator !== null ? { typed: refused.operator } : {}), subject: { kind: 'workstation', id: workstation }, workstation, clientId, forces, details: { said: refused.message } });
  };

  const routes = async (request: IncomingMessage, url: URL): Promise<unknown> => {
    if (request.method === 'GET' && url.pathname === PROTOCOL_PATHS.health) {
      return {
        ok: true,
        storage: storage.kind,
        head: await storage.head(),
        schemaVersions: { min: MIN_CLIENT_SCHEMA_VERSION, max: SCHEMA_VERSION },
        liveClients: hub.size,
        mode,
        /** Live batches read and sent, messages they made, pokes sent: since the server started. */
        live: hub.sent,
        /** Pulls answered, and the reads of changes they took (a burst from one cursor shares one): since start. */
        pulls: pulls.counts,
        /** Pushes turned away with a Retry-After since start (the server was busy taking others). */
        pushesTurnedAway: admission.turnedAway,
      };
    }
    // Before anything else a workstation asks: a live workstation never enrols with, signs in to, or sends to an
    // exercise, and a training one never touches live data.
    const refusal = modeRefusal(mode, request.headers);
    if (refusal) {
      // A live workstation at an exercise's server, or a trainee's at a live one: refused before any token is read,
      // so audited as a stranger's (by address, in every served force's log), tallied.
      const address = request.socket.remoteAddress ?? 'an unknown address';
      await tally.note({ kind: 'access-refused', action: 'access.device', source: address, reason: 'wrong server mode', request: requestWords(url), by: 'unknown workstation', subject: { kind: 'workstation', id: 'unknown' }, workstation: 'unknown', clientId: '', forces: served, details: { source: address, said: refusal.message } });
      throw refusal;
    }
    if (request.method === 'POST' && url.pathname === PROTOCOL_PATHS.enrol) {
      // In an exercise a workstation name is one trainee's desk: a second under it is refused (see handleEnrol).
      const result = await handleEnrol(await readJsonBody(request, 16 * 1024), storage, options.enrolmentKey, rules.now(), served, { namesUnique: mode === 'training', onRefused: auditEnrolRefusal(request) });
      log.info({ path: url.pathname }, 'workstation enrolled');
      return result;
    }
    // A push may be admitted on the server's copy of its device: its transaction checks it (see EnrolledDevices).
    const isPush = request.method === 'POST' && url.pathname === PROTOCOL_PATHS.push;
    const device = await authenticateDevice(request, storage, auditDeviceRefusal(request, url), isPush ? (hash) => enrolledDevices.byTokenHash(hash) : undefined);
    try {
      return await enrolledRoutes(request, url, device);
    } catch (error) {
      // An enrolled workstation refused past the device check, or an operator refused at an asking route: audited.
      if (error instanceof AccessRefused) await auditRefusalPastTheDoor(error, device, url);
      throw error;
    }
  };

  /**
   * A push admitted on the server's copy of its device, whose transaction found the token no longer admits it (revoked,
   * or enrolled again, since the copy was made): the copy is forgotten and the storage asked, which refuses the request
   * as any other from that token, with its reason and its audit entry.
   */
  const withdrawnAfresh = async <T>(request: IncomingMessage, url: URL, device: EnrolledDevice, pushed: Promise<T>): Promise<T> => {
    try {
      return await pushed;
    } catch (error) {
      if (!(error instanceof DeviceWithdrawn)) throw error;
      enrolledDevices.forget(device.tokenHash);
      await authenticateDevice(request, storage, auditDeviceRefusal(request, url));
      // Admitted again between the transaction and this question (enrolled once more): the workstation sends again.
      throw new HttpError(503, 'this workstation was enrolled again while its push was taken; send it again');
    }
  };

  /** The routes of an enrolled workstation, its device token checked. */
  const enrolledRoutes = async (request: IncomingMessage, url: URL, device: EnrolledDevice): Promise<unknown> => {
    const outage = outageOf(device);
    // A workstation cut off from the network gets no answer at all, as it would live; with the system down, the
    // server's answer says so, for the desk to show.
    if (outage?.kind === 'network') {
      request.socket.destroy();
      throw new HttpError(503, 'no network (training exercise)');
    }
    if (outage?.kind === 'system') throw new HttpError(503, SYSTEM_DOWN);
    if (request.method === 'POST' && url.pathname === PROTOCOL_PATHS.signIn) {
      try {
        const result = await handleSignIn(await readJsonBody(request, 16 * 1024), device, storage, rules.now(), lockoutOf(device));
        room?.signedIn(device.workstation, result.operator.id, result.operator.roles, exerciseNow());
        log.info({ operator: result.operator.id, workstation: device.workstation }, 'operator signed in');
        return result;
      } catch (error) {
        if (error instanceof HttpError && error.status === 403) log.warn({ workstation: device.workstation }, 'failed sign-in');
        throw error;
      }
    }
    if (request.method === 'POST' && url.pathname === PROTOCOL_PATHS.admin) {
      const body = await readJsonBody(request, 64 * 1024);
      const result = await handleAdmin(body, device, { storage, ticketSecret, now: rules.now(), lockout: lockoutOf(device), onErased: (head) => hub.headMoved(head) });
      log.info({ workstation: device.workstation, done: result.done }, 'administrator request');
      return result;
    }
    if (request.method === 'POST' && url.pathname === PROTOCOL_PATHS.push) {
      const body = await readJsonBody(request, 8 * 1024 * 1024);
      // Decided by the rules of the workstation's own force: its grades, types and codes, and its partition.
      // In its turn (server/push-admission.ts): a room's outboxes arriving at once wait briefly, or are told when to come back.
      return admission.admit(() =>
        withdrawnAfresh(request, url, device, handlePush(body, {
          storage,
          rules: rulesOfDevice(device),
          log,
          device,
          deviceFromCopy: true,
          ticketSecret,
          ticketRevocations,
          onApplied: (head) => hub.headMoved(head),
          // What each trainee does, for the trainer's desk.
          // At the exercise clock's time where the desk's was ahead of it, as the records were (server/commands/exercise-time.ts).
          ...(room ? { onCommandApplied: (command: CommandEnvelope) => room.commandApplied(device.workstation, onServerTime(command, rules).envelope) } : {}),
        })),
      );
    }
    if (request.method === 'POST' && (url.pathname === AUDIT_PATHS.query || url.pathname === AUDIT_PATHS.export)) {
      const body = await readJsonBody(request, 16 * 1024);
      const deps = { storage, rules: rulesOfDevice(device), log, device, ticketSecret };
      return url.pathname === AUDIT_PATHS.query ? handleAuditQuery(body, deps) : handleAuditExport(body, deps);
    }
    if (request.method === 'POST' && url.pathname === MEASURES_PATH) {
      const body = await readJsonBody(request, 16 * 1024);
      return handleMeasures(body, { storage, rules: rulesOfDevice(device), log, device, ticketSecret, cache: measuresCache });
    }
    if (request.method === 'POST' && url.pathname === REVIEW_PATH && options.training) {
      // A training server's own: the exercise's after-action review, for its trainer.
      const body = await readJsonBody(request, 16 * 1024);
      const scenario = options.training.scenario ?? null;
      return handleReview(body, { storage, rules: rulesOfDevice(device), log, device, ticketSecret, scenario });
    }
    if (request.method === 'GET' && url.pathname === PROTOCOL_PATHS.pull) {
      const query = PullQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success) throw new HttpError(400, `pull: ${describeIssues(query.error)}`);
      if (query.data.clientId !== device.clientId) throw new AccessRefused(null, 'as another workstation', 'a workstation may pull only as itself');
      const { schemaVersion, ...pull } = query.data;
      // Only what the workstation's force may see (server/changes-for.ts); the cursor still moves past the rest.
      const page = await pulls.pull(pull);
      return messageJson(pageForClient(page, { clientId: device.clientId, schemaVersion, force: device.force }, await delivery.forPull(page)));
    }
    throw new HttpError(404, `no route for ${request.method} ${url.pathname}`);
  };

  /**
   * How a request's or a live handshake's failure is answered: an HttpError as it says; the storage out of reach as
   * 503 with Retry-After (retryable: the workstation keeps its commands and sends them again a second or so later,
   * with jitter), logged as a warning; anything else as 500 "internal error", logged as `failed` with its stack.
   */
  function failureAnswer(error: unknown, path: string, failed: string): { status: number; error: string; details: Record<string, unknown>; retryAfterSeconds?: number } {
    if (error instanceof HttpError) return { status: error.status, error: error.message, details: error.details, ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }) };
    if (error instanceof StorageUnavailableError) {
      log.warn({ path, reason: error.message }, 'storage unavailable');
      return { status: 503, error: 'storage unavailable; try again', details: {}, retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS };
    }
    log.error({ err: error, path }, failed);
    return { status: 500, error: 'internal error', details: {} };
  }

  const handle: RequestListener = (request, response) => {
    const started = performance.now();
    const url = requestUrl(request);
    if (!url) return send(response, 400, { error: "the request's URL cannot be read, or its path has a '.' or '..' segment" });
    routes(request, url)
      .then((body) => send(response, 200, body))
      .catch((error: unknown) => {
        const answer = failureAnswer(error, url.pathname, 'request failed');
        send(response, answer.status, { ...answer.details, error: answer.error }, answer.retryAfterSeconds);
      })
      .finally(() => {
        log.debug({ method: request.method, path: url.pathname, status: response.statusCode, ms: Math.round(performance.now() - started) }, 'request');
      });
  };
  const server: Server = options.tls ? tlsServer(options.tls, handle) : createServer(handle);
  // A workstation that does not trust the certificate hangs up in the handshake: worth a line, not a stack.
  server.on('tlsClientError', (error: Error & { code?: string }, socket: { remoteAddress?: string }) =>
    log.warn({ reason: error.code ?? error.message, remote: socket.remoteAddress }, 'TLS handshake failed'),
  );

  // A request Node cannot parse (a broken request line, conflicting lengths) is answered with a reason, not bare.
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    refuseRaw(socket, status, status === 408 ? 'the request took too long to arrive' : `the request is not well-formed HTTP (${error.code ?? 'unreadable'})`);
  });

  server.on('upgrade', (request, socket, head) => {
    // Until ws takes the socket (after the workstation is authenticated, a wait), nothing else hears its errors: a
    // workstation that resets the connection meanwhile would otherwise throw ECONNRESET and take the server down.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(request);
    if (!url) return refuseRaw(socket, 400, "the request's URL cannot be read, or its path has a '.' or '..' segment");
    if (url.pathname !== PROTOCOL_PATHS.live) return refuseRaw(socket, 404, `no live channel at ${url.pathname}; it is at ${PROTOCOL_PATHS.live}`);
    if (request.method !== 'GET') return refuseRaw(socket, 405, `the live channel is opened with GET, not ${request.method}`);
    const refusal = modeRefusal(mode, request.headers);
    if (refusal) return refuseRaw(socket, refusal.status, refusal.message, refusal.details);
    // The schema version the workstation speaks decides what it is sent (changes from 6, pokes before; absent: before 6).
    const schemaVersion = LiveQuery.safeParse(Object.fromEntries(url.searchParams)).data?.schemaVersion ?? 1;
    const encoding = LiveEncodingQuery.safeParse(Object.fromEntries(url.searchParams)).data?.encoding ?? null;
    authenticateDevice(request, storage, auditDeviceRefusal(request, url)).then(
      (device) => {
        const outage = outageOf(device);
        if (outage?.kind === 'network') return void socket.destroy();
        if (outage?.kind === 'system') return refuseRaw(socket, 503, SYSTEM_DOWN);
        const open = liveChannels.get(device.clientId)?.open ?? 0;
        if (open >= MAX_LIVE_CHANNELS_PER_WORKSTATION) {
          log.warn({ workstation: device.workstation, open }, 'refused a live channel: the workstation has as many open as it may');
          return refuseRaw(socket, 429, `this workstation has ${open} live channels open already, the most it may; one closes when its connection is seen gone, within ${silentWithinSeconds} s of its last word`);
        }
        // Counted as it opens (ws completes the upgrade in this turn), so two opening at once cannot both pass the count.
        wss.handleUpgrade(request, socket, head, (ws) => {
          liveChannels.set(device.clientId, { workstation: device.workstation, open: (liveChannels.get(device.clientId)?.open ?? 0) + 1 });
          room?.channel(device.workstation, true, exerciseNow());
          // A frame the protocol refuses (over maxPayload, text that is not UTF-8, a bad opcode) is an 'error' on the
          // socket; without a listener it would be thrown and take the server, and every room on it, down.
          ws.on('error', (error) => {
            log.warn({ workstation: device.workstation, reason: error.message }, 'closed a live channel that sent a frame the protocol refuses');
            ws.terminate();
          });
          ws.on('close', () => {
            const left = (liveChannels.get(device.clientId)?.open ?? 1) - 1;
            if (left > 0) liveChannels.set(device.clientId, { workstation: device.workstation, open: left });
            else liveChannels.delete(device.clientId);
            room?.channel(device.workstation, false, exerciseNow());
          });
          storage.head().then(
            (current) => hub.add(ws, helloFor(current), { clientId: device.clientId, schemaVersion, force: device.force }, encoding),
            // The storage is unreachable: the workstation reconnects later, and pulls then.
            () => ws.close(1013, 'storage unavailable'),
          );
        });
      },
      (error: unknown) => {
        // As an HTTP request's failure is answered (handle): the same statuses, reasons and waits.
        const answer = failureAnswer(error, url.pathname, 'live channel handshake failed');
        refuseRaw(socket, answer.status, answer.error, answer.details, answer.retryAfterSeconds);
      },
    );
  });

  function helloFor(head: number): LiveMessage {
    const hello: LiveMessage = { type: 'hello', head, serverTime: new Date(rules.now()).toISOString() };
    return exerciseClock ? { ...hello, mode, exercise: exerciseClock.state() } : hello;
  }

  // A workstation revoked by an administrator loses its live channel within one check, even though the revocation
  // was written into the storage by another process (npm run revoke): its requests are refused from then on anyway,
  // but an open channel would go on telling it when the room changes. Polled rather than notified, so that it works
  // alike on the SQLite file (which has no notifications) and PostgreSQL: one read per check for all open channels.
  let checkingRevocations = false;
  const revocationCheck = setInterval(() => {
    if (checkingRevocations || hub.size === 0) return;
    checkingRevocations = true;
    closeRevokedChannels(hub, storage)
      .catch((error: unknown) => log.warn({ reason: (error as Error).message }, 'could not check live channels for revocations'))
      .finally(() => (checkingRevocations = false));
  }, options.revocationCheckMs ?? 5_000);
  revocationCheck.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  log.info({ url, storage: storage.kind }, 'central server listening');

  const scenario = options.training?.scenario;
  const scenarioRules = scenario && rulesOfForce(rules, scenario.force);
  return {
    url,
    port,
    ...(scenario && scenarioRules
      ? {
          async putStartingState() {
            const put = await putStartingState(storage, scenarioRules, scenario);
            // Written by the server itself, not through a push: the desks listening are told as for any change.
            hub.headMoved(await storage.head());
            log.info(put, "the exercise's starting state is in place");
            return put;
          },
        }
      : {}),
    async close() {
      clearInterval(revocationCheck);
      clearInterval(headPoll);
      tally.stop();
      stopListening();
      stopAnnouncing?.();
      stopCutting?.();
      hub.closeAll();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // The door's refusals counted but not yet written go in the log before it closes.
      await tally.flush(true);
      await storage.close();
    },
  };
}

/** An HTTPS server; a certificate and key that do not belong together, or cannot be read, said in one line. */
function tlsServer(tls: { cert: string; key: string }, handle: RequestListener): Server {
  try {
    return createTlsServer({ cert: tls.cert, key: tls.key }, handle);
  } catch (error) {
    throw new StartProblem(`the TLS certificate and key cannot be used (${(error as Error).message}): check --tls-cert and --tls-key`, { cause: error });
  }
}

const OTHER_REQUEST = 'another request';

/** What a request refused at the device check was for, in words from a short list (a tally counts by it), for its audit entry. */
function requestWords(url: URL): string {
  const known: Record<string, string> = {
    [PROTOCOL_PATHS.signIn]: 'sign-in',
    [PROTOCOL_PATHS.push]: 'sending commands',
    [PROTOCOL_PATHS.pull]: 'fetching changes',
    [PROTOCOL_PATHS.live]: 'opening the live channel',
    [PROTOCOL_PATHS.admin]: 'administration',
    [AUDIT_PATHS.query]: 'a question to the audit log',
    [AUDIT_PATHS.export]: 'an export of the audit log',
    [MEASURES_PATH]: 'the room’s measures',
    [REVIEW_PATH]: 'the exercise review',
  };
  return known[url.pathname] ?? OTHER_REQUEST;
}

/** Closes the live channels of workstations revoked since they opened them. */
async function closeRevokedChannels(hub: LiveHub, storage: ServerStorage): Promise<void> {
  for (const clientId of await storage.revokedAmong('device', hub.clients())) hub.closeClient(clientId, "an administrator withdrew this workstation's access");
}

/**
 * The request's URL, or null when it cannot be parsed (an absolute URL with a broken host: `GET http://[ HTTP/1.1`)
 * or its path is not in its plain form: a `.` or `..` segment, written or percent-encoded (`/v1/%2e%2e/healthz`),
 * which the URL parser would resolve to another route than the one the request names. No workstation sends one.
 */
function requestUrl(request: IncomingMessage): URL | null {
  const raw = request.url ?? '/';
  const path = raw.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? '';
  if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(path)) return null;
  try {
    return new URL(raw, 'http://server');
  } catch {
    return null;
  }
}

/**
 * An answer written straight onto a socket (an upgrade refused, a request Node could not parse), then closed: `status`
 * and `error` (JSON, with `details`); `retryAfterSeconds` is sent as Retry-After, as an HTTP answer's is (send).
 */
function refuseRaw(socket: Duplex, status: number, error: string, details: Record<string, unknown> = {}, retryAfterSeconds?: number): void {
  const body = JSON.stringify({ ...details, error });
  const retryAfter = retryAfterSeconds === undefined ? '' : `Retry-After: ${retryAfterSeconds}\r\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n${retryAfter}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** How long a workstation is asked to wait before trying again when the storage could not answer (seconds). */
const STORAGE_RETRY_AFTER_SECONDS = 1;

/**
 * How often the server pings every live channel (ms): one that answered nothing since the last ping is ended (LiveHub),
 * so a connection that died without a word (a NAT that forgot it) frees its workstation's slot within two of these.
 * A ping is a few bytes: 400 channels cost the server next to nothing.
 */
const LIVE_HEARTBEAT_MS = 15_000;

/**
 * The most live channels one workstation may hold open. It needs one; the rest cover a reconnect whose old channel
 * the server has not yet seen die (its heartbeat, LIVE_HEARTBEAT_MS, ends it within two pings). Every channel costs
 * the server a write per batch, so one workstation opening hundreds (a fault, or hostile) took every other desk's
 * share of the server: 500 of one raised another's p95 from 20 to 61 ms (tryout15a).
 */
const MAX_LIVE_CHANNELS_PER_WORKSTATION = 4;

/**
 * `body`: as JSON, or already JSON as UTF-8 bytes (a pull page: messageJson). `retryAfterSeconds`: sent as Retry-After
 * (a 503's: when to try again).
 */
function send(response: ServerResponse, status: number, body: unknown, retryAfterSeconds?: number): void {
  // As bytes, encoded once: a string would be measured for its length, then encoded again as it is written.
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': bytes.length,
    'cache-control': 'no-store',
    ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
  });
  response.end(bytes);
}
