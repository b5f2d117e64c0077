import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect } from 'vitest';
import { startCentralServer, type CentralServer } from '../../server/central-server';
import { rulesOfForce, type ServerRules } from '../../server/commands/plan-command';
import { handlePush } from '../../server/push';
import { issueTicket } from '../../server/access/tickets';
import { TICKET_SECRET } from '../../server/access/access-routes';
import type { ServerStorage } from '../../server/storage/storage';
import { demonstrationForces, loadForceConfig } from '../../node-common/force-config-file';
import type { Role } from '../../shared/domain/operator';
import type { RedoOf } from '../../shared/domain/refusal';
import { AUDIT_PATHS, type AuditQueryResponse, type AuditQuestion } from '../../shared/sync/audit-protocol';
import type { AdminResponse } from '../../shared/sync/admin-protocol';
import { PROTOCOL_PATHS, SCHEMA_VERSION, type CommandEnvelope, type CommandOutcome } from '../../shared/sync/protocol';
import { deviceOf, registerTestOperators, ticketFor } from './access';
import { silentLog } from './fixtures';
import { fixedRules, serverAtStamps, type OpenedStorage, type StorageFactory } from './storages';

export type DemoForce = 'DMO' | 'NBR';

/** A server of both demonstration forces, on the fixed clock. */
export const twoForcesRules: ServerRules = { ...fixedRules, alsoServes: [loadForceConfig(demonstrationForces()[1]!.configFile)] };
export const rulesOf = (force: DemoForce): ServerRules => rulesOfForce(twoForcesRules, force)!;

/**
 * A command as a force's position sends it. `by: 'telephony'` is the switch's relay; `automatic` marks what the
 * workstation did on its own; `at` is the workstation's time (a fixed morning by default).
 */
export interface Step {
  name: string;
  args: unknown;
  by: string;
  at?: string;
  automatic?: true;
  /** The refused command this one does again (a supervisor's redo, or its issuer's resend). */
  redoOf?: RedoOf;
}

export interface TwoForcesServer {
  /** The storage under test, with its direct SQL (as a person with a database client). */
  readonly opened: OpenedStorage;
  readonly storage: ServerStorage;
  readonly server: CentralServer;
  /** Each force's position, whose commands `push` sends straight to the push handler (clientId, next clientSeq). */
  readonly positions: Record<DemoForce, string>;
  nextSeq(force: DemoForce): number;
  /** Each force's enrolled desk, for the HTTP routes (audit, admin). */
  readonly desks: Record<DemoForce, { clientId: string; token: string }>;
  /** Commands from one force's position, as its push route takes them: their outcomes and command ids. */
  push(force: DemoForce, steps: Step[]): Promise<{ outcomes: CommandOutcome[]; commandIds: string[] }>;
  /** The same, each expected to be applied. */
  happen(force: DemoForce, steps: Step[]): Promise<void>;
  /** POST to the server as a force's desk. */
  post(force: DemoForce, path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  /** An operator of a force asks its audit log (200 expected). */
  ask(force: DemoForce, operator: string, question: AuditQuestion): Promise<AuditQueryResponse>;
  /** A force administrator's request from that force's desk. */
  admin(force: DemoForce, operator: string, body: Record<string, unknown>): Promise<{ status: number; answer: AdminResponse & { error?: string } }>;
}

/**
 * Both demonstration forces on one central server over the given storage, fresh for each test of the calling
 * describe (its beforeEach and afterEach are registered here): the operators named, and a desk of each force enrolled
 * as `${deskPrefix}-DMO` and `${deskPrefix}-NBR`. Positions push as `WS-DMO` and `WS-NBR`.
 */
export function twoForcesOnOneServer(
  factory: StorageFactory,
  setUp: { enrolmentKey: string; operators: { force: DemoForce; names: string[]; roles: Role[] }[]; deskPrefix?: string },
): TwoForcesServer {
  let opened: OpenedStorage | undefined;
  let server: CentralServer | undefined;
  const positions = { DMO: randomUUID(), NBR: randomUUID() };
  const desks = { DMO: { clientId: randomUUID(), token: '' }, NBR: { clientId: randomUUID(), token: '' } };
  const seqs = { DMO: 1, NBR: 1 };
  const storage = (): ServerStorage => opened!.storage;
  const url = (path: string) => new URL(path, server!.url);

  beforeEach(async () => {
    opened = await factory.open();
    seqs.DMO = seqs.NBR = 1;
    for (const { force, names, roles } of setUp.operators) await registerTestOperators(storage(), rulesOf(force), names, roles);
    server = await startCentralServer({ storage: storage(), rules: twoForcesRules, log: silentLog, port: 0, host: '127.0.0.1', enrolmentKey: setUp.enrolmentKey });
    for (const force of ['DMO', 'NBR'] as const) {
      const response = await fetch(url('/v1/enrol'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: desks[force].clientId, workstation: `${setUp.deskPrefix ?? 'DESK'}-${force}`, enrolmentKey: setUp.enrolmentKey, force }),
      });
      expect(response.status).toBe(200);
      desks[force].token = ((await response.json()) as { deviceToken: string }).deviceToken;
    }
  });
  afterEach(async () => {
    await server?.close();
    await opened?.close();
  });

  const push = async (force: DemoForce, steps: Step[]) => {
    const clientId = positions[force];
    const ticketSecret = await storage().secret(TICKET_SECRET);
    const commands: CommandEnvelope[] = steps.map((step) => ({
      commandId: randomUUID(),
      clientId,
      clientSeq: seqs[force]++,
      name: step.name,
      args: step.args,
      issuedAt: step.at ?? '2026-11-29T09:58:00.000Z',
      operator: step.by,
      ticket: issueTicket(ticketSecret, { operator: step.by, clientId, expiresAt: Number.MAX_SAFE_INTEGER }),
      workstation: `WS-${force}`,
      schemaVersion: SCHEMA_VERSION,
      ...(step.by === 'telephony' ? { relay: { kind: 'telephony' as const } } : {}),
      ...(step.automatic ? { automatic: step.automatic } : {}),
      ...(step.redoOf ? { redoOf: step.redoOf } : {}),
    }));
    const device = { ...deviceOf(clientId, `WS-${force}`), force };
    const pushed = await handlePush({ clientId, schemaVersion: SCHEMA_VERSION, commands }, { storage: storage(), rules: serverAtStamps(rulesOf(force), commands), log: silentLog, device, ticketSecret, onApplied: () => {} });
    return { outcomes: pushed.outcomes, commandIds: commands.map((c) => c.commandId) };
  };

  const post = async (force: DemoForce, path: string, body: unknown) => {
    const response = await fetch(url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${desks[force].token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  return {
    get opened() {
      return opened!;
    },
    get storage() {
      return storage();
    },
    get server() {
      return server!;
    },
    positions,
    nextSeq: (force) => seqs[force]++,
    desks,
    push,
    async happen(force, steps) {
      const { outcomes } = await push(force, steps);
      expect(outcomes.map((o) => ('reason' in o ? o.reason : o.status))).toEqual(steps.map(() => 'applied'));
    },
    post,
    async ask(force, operator, question) {
      const ticket = await ticketFor(storage(), operator, desks[force].clientId);
      const response = await post(force, AUDIT_PATHS.query, { operator, ticket, issuedAt: '2026-11-29T10:00:00.000Z', question, reason: 'complaint review', limit: 500 });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as AuditQueryResponse;
    },
    async admin(force, operator, body) {
      const ticket = await ticketFor(storage(), operator, desks[force].clientId);
      const response = await post(force, PROTOCOL_PATHS.admin, { operator, ticket, ...body });
      return { status: response.status, answer: response.body as AdminResponse & { error?: string } };
    },
  };
}
