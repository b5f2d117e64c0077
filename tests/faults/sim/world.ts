import type { SyncStatus } from '../../../shared/contract/views';
import { integrityCheck } from '../../../node-common/sqlite';
import { keyString } from '../../../shared/domain/records';
import { WorkstationStore } from '../../../main/store/workstation-store';
import type { ForceCode } from '../../../shared/domain/force';
import type { ForceConfig } from '../../../shared/domain/force-config';
import { ownerOf } from '../../../shared/domain/partition';
import { demonstrationForces, loadForceConfig } from '../../../node-common/force-config-file';
import { RoomDelivery } from '../../../server/shares/room-delivery';
import { changesFor } from '../../../server/changes-for';
import { CommandRefused, issueCommand } from '../../../main/sync/issue-command';
import { resendHeld } from '../../../main/sync/held-commands';
import type { RedoOf, Refusal } from '../../../shared/domain/refusal';
import { relayAuthor, type Relay } from '../../../shared/domain/relay';
import { SyncClient } from '../../../main/sync/sync-client';
import { registerForceUnits } from '../../../server/commands/system-commands';
import { rulesOfForce, servedForces, type ServerRules } from '../../../server/commands/plan-command';
import { HttpError } from '../../../server/http/read-body';
import { handlePush } from '../../../server/push';
import { pageForClient } from '../../../server/outcome-for-client';
import { PullCoalescer } from '../../../server/pull-coalescer';
import { SCHEMA_VERSION } from '../../../shared/sync/protocol';
import { SqliteStorage } from '../../../server/storage/sqlite/sqlite-storage';
import { describeVerdict, verifyChain } from '../../../server/audit/verify-chain';
import { LinkError } from '../../../main/sync/server-link';
import { demoConfig, silentLog } from '../../fakes/fixtures';
import { SimNetwork, type ServerEndpoint } from './network';
import { Random } from './random';
import { VirtualTime, skewedClock } from './virtual-time';
import { chooseAction, ownOpenIncidents, shareAction, type Confirmed, type Forces } from './actions';
import { deviceOf, registerTestOperators } from '../../fakes/access';
import { bookOnForceUnits } from '../../fakes/units';
import { issueTicket } from '../../../server/access/tickets';
import { TICKET_SECRET } from '../../../server/access/access-routes';

export const SIM_START = Date.parse('2026-11-29T08:00:00.000Z');

/** The neighbouring demonstration force, whose workstations half the runs add to the first force's. */
const NEIGHBOUR_CONFIG = loadForceConfig(demonstrationForces()[1]!.configFile);

export interface RunFigures {
  seed: number;
  simulatedMs: number;
  confirmed: number;
  applied: number;
  conflicts: number;
  deadLettered: number;
  /** Refused, then redone, dismissed or sent again: by its own desk or another. */
  refusalsHandled: number;
  lost: number;
  duplicated: number;
  divergent: number;
  convergeMs: number;
  faults: SimNetwork['faults'];
  /** Live messages that reached a workstation, by type; batches taken without a pull, and of those begun before the cursor. */
  live: SimNetwork['liveDelivered'] & { taken: number; overlapping: number; commandsDone: number };
  /** The most changes in one pull page this run (Infinity: as asked), and the pages answered short of the head. */
  pages: { limit: number; shortOfHead: number };
  /**
   * In a run of two forces (else null): the commands applied that move what the other force sees, by name
   * (share.create, share.revoke, transfer.accept, ...), and the other force's records each force's workstations
   * held at the end.
   */
  crossForce: { applied: Record<string, number>; heldOfOtherForce: number } | null;
  problems: string[];
}

/**
 * The commands that arrive together are committed together, once the code running now has run (not after a real
 * turn of the event loop, which the simulation's clock would not wait for: its next timer could be a timeout).
 */
const SIM_STORAGE = { deferCommit: (commit: () => void) => queueMicrotask(commit) };

class SimServer implements ServerEndpoint {
  epoch = 0;
  storage: SqliteStorage;
  ticketSecret = '';
  /** The force each workstation was enrolled for (by client id): what it may do and is sent is its force's. */
  private readonly forceOf = new Map<string, ForceCode>();

  constructor(
    private readonly rules: ServerRules,
    private readonly onChange: (head: number) => void,
    private readonly time: VirtualTime,
  ) {
    this.storage = SqliteStorage.open(':memory:', SIM_STORAGE);
    this.pulls = this.coalescer();
    this.delivery = new RoomDelivery(this.storage, this.rules);
  }

  /** A workstation enrolled for a force. */
  enrol(clientId: string, force: ForceCode): void {
    this.forceOf.set(clientId, force);
  }

  private force(clientId: string): ForceCode {
    const force = this.forceOf.get(clientId);
    if (!force) throw new Error(`workstation ${clientId} was never enrolled`);
    return force;
  }

  /** The share book and what each page carries because of the shares, as the real server keeps them (one per storage). */
  private delivery: RoomDelivery;

  /** On the simulation's clock, as the hub's batches are. */
  private coalescer(): PullCoalescer {
    return new PullCoalescer(this.storage, (read) => this.time.setTimeout(read, 0));
  }

  /** Pulls as the real server serves them: a burst from one cursor shares one read (server/pull-coalescer.ts). */
  pulls: PullCoalescer;

  async push(request: Parameters<ServerEndpoint['push']>[0]) {
    try {
      const force = this.force(request.clientId);
      return await handlePush(request, {
        storage: this.storage,
        rules: rulesOfForce(this.rules, force)!,
        log: silentLog,
        device: deviceOf(request.clientId, 'WS-SIM', force),
        ticketSecret: this.ticketSecret,
        onApplied: this.onChange,
      });
    } catch (error) {
      if (error instanceof HttpError) throw new LinkError(error.message, error.status >= 500, error.status);
      throw error;
    }
  }

  /** As the real server answers a pull: what this workstation receives is changesFor's to say, as for a live batch. */
  async pull(query: Parameters<ServerEndpoint['pull']>[0]) {
    const page = await this.pulls.pull(query);
    return pageForClient(page, { clientId: query.clientId, schemaVersion: query.schemaVersion ?? SCHEMA_VERSION, force: this.force(query.clientId) }, await this.delivery.forPull(page));
  }

  forBatch(page: Parameters<ServerEndpoint['forBatch']>[0]) {
    return this.delivery.forBatch(page);
  }

  head() {
    return this.storage.head();
  }

  changes(since: number, limit: number) {
    return this.storage.changes(since, limit);
  }

  /** kill -9 and start again: what was committed survives, everything in flight is gone. */
  restart(): void {
    const image = this.storage.database.serialize();
    void this.storage.close();
    this.storage = SqliteStorage.open(image, SIM_STORAGE);
    this.pulls = this.coalescer();
    this.delivery = new RoomDelivery(this.storage, this.rules);
    this.epoch += 1;
  }
}

class SimWorkstation {
  store: WorkstationStore;
  sync!: SyncClient;
  readonly confirmed: Confirmed[] = [];
  lastCursor = 0;
  status: SyncStatus | null = null;
  /** Whether the operator's sign-in has lapsed: what they do meanwhile is held until they sign in again. */
  signInLapsed = false;

  constructor(
    readonly name: string,
    private readonly world: SimWorld,
    readonly skewMs: number,
    /** The force's configuration the workstation was installed with: its force, grades, types and units. */
    readonly config: ForceConfig,
  ) {
    this.store = WorkstationStore.open(':memory:');
    world.server.enrol(this.store.clientId, this.force);
    this.startSync();
  }

  get force(): ForceCode {
    return this.config.force.code;
  }

  get clock() {
    return skewedClock(this.world.time, this.skewMs);
  }

  private startSync(): void {
    this.sync = new SyncClient({
      store: this.store,
      link: this.world.network.link(this.name, this.force),
      config: this.config,
      clock: this.clock,
      scheduler: this.world.time,
      random: () => this.world.random.next(),
      onRecordsChanged: () => this.world.checkOwnWrites(this),
      onStatusChanged: (status) => {
        this.status = status;
        this.world.checkDelivery(this);
      },
    });
    // A change applied at or before the cursor it stands at is a change repeated (the cursor moves after the changes).
    const put = this.store.server.put.bind(this.store.server);
    const store = this.store;
    this.store.server.put = (record, seq) => {
      if (seq <= store.pullCursor) this.world.problems.push(`${this.name}: change ${seq} (${record.kind}:${record.id}) applied again at cursor ${store.pullCursor}`);
      put(record, seq);
    };
    this.checkedCursor = this.store.pullCursor;
    this.pendingIds = pendingCommands(this.store);
    this.sync.start();
  }

  /** The cursor the last delivery check stood at, and the commands pending then (see SimWorld.checkDelivery). */
  checkedCursor = 0;
  pendingIds = new Set<string>();

  get operator(): string {
    return `op-${this.name}`;
  }

  /** The operator's ticket: good for the run, or lapsed an hour before it began. */
  private ticket(): string {
    const expiresAt = this.signInLapsed ? SIM_START - 3_600_000 : SIM_START + 86_400_000;
    return issueTicket(this.world.server.ticketSecret, { operator: this.operator, clientId: this.store.clientId, expiresAt });
  }

  /** Issues a command as the operator would (or relays a terminal's); true if the console said it was done. */
  issue(name: string, args: unknown, confirmed: Omit<Confirmed, 'commandId' | 'name'>, redoOf?: RedoOf, relay?: Relay): boolean {
    const at = new Date(this.clock.now()).toISOString();
    const who = relay ? { operator: relayAuthor(relay), workstation: this.name, ticket: '', relay } : { operator: this.operator, workstation: this.name, ticket: this.ticket() };
    try {
      const { envelope } = issueCommand(this.store, this.config, who, name, args, at, undefined, redoOf);
      this.confirmed.push({ ...confirmed, commandId: envelope.commandId, name });
      this.sync.send();
      return true;
    } catch (error) {
      if (error instanceof CommandRefused) return false;
      throw error;
    }
  }

  /** The operator signs in with the server again: what was held for their sign-in goes again, as theirs. */
  signInAgain(): void {
    this.signInLapsed = false;
    const { resent } = resendHeld(this.store, this.config, this.operator, this.ticket(), new Date(this.clock.now()).toISOString());
    if (resent > 0) this.sync.send();
  }

  /** Live batches this workstation took without a pull, across its restarts. */
  liveTaken(): number {
    return this.takenBefore + this.sync.liveBatchesTaken;
  }

  /** Of those, batches that began before its cursor, taken from it. */
  liveOverlapping(): number {
    return this.overlappingBefore + this.sync.liveBatchesOverlapping;
  }

  /** Its own applied commands a live batch took out of its outbox, with their effects, without a pull. */
  liveCommandsDone(): number {
    return this.doneBefore + this.sync.commandsDoneByLive;
  }

  private takenBefore = 0;
  private overlappingBefore = 0;
  private doneBefore = 0;

  restart(): void {
    this.takenBefore += this.sync.liveBatchesTaken;
    this.overlappingBefore += this.sync.liveBatchesOverlapping;
    this.doneBefore += this.sync.commandsDoneByLive;
    this.sync.stop();
    const image = this.store.db.serialize();
    this.store.close();
    this.store = WorkstationStore.open(image);
    this.startSync();
  }
}

/**
 * One seeded run: a server and several workstations over the simulated network. Workstations act as operators
 * would while faults are injected; then the network heals and the run checks that nothing was lost, duplicated or
 * left divergent.
 */
export class SimWorld {
  readonly random: Random;
  readonly time = new VirtualTime(SIM_START);
  readonly network: SimNetwork;
  readonly server: SimServer;
  readonly workstations: SimWorkstation[] = [];
  readonly problems: string[] = [];
  private readonly rules: ServerRules;
  private readonly twoForces: boolean;

  constructor(readonly seed: number) {
    this.random = new Random(seed);
    // Half the runs are of two forces on the one server: the neighbour's workstations join the first force's, and
    // incidents are shared and offered between them (what each force's workstations are sent is cut to it).
    this.twoForces = this.random.chance(0.5);
    this.rules = { config: demoConfig, ...(this.twoForces ? { alsoServes: [NEIGHBOUR_CONFIG] } : {}), now: () => this.time.now() };
    this.server = new SimServer(this.rules, (head) => this.network.headMoved(head), this.time);
    this.network = new SimNetwork(this.time, this.random, () => this.server, servedForces(this.rules).map((config) => config.force.code));
  }

  async run(): Promise<RunFigures> {
    const count = 2 + this.random.int(3);
    // The neighbour's one or two workstations, after the first force's.
    const configs = [...Array.from({ length: count }, () => demoConfig), ...(this.twoForces ? Array.from({ length: 1 + this.random.int(2) }, () => NEIGHBOUR_CONFIG) : [])];
    for (const config of servedForces(this.rules)) {
      const rules = rulesOfForce(this.rules, config.force.code)!;
      await registerForceUnits(this.server.storage, rules);
      // Booked on for longer than the run, whatever their shifts: the run is about sync, not rotas.
      await bookOnForceUnits(this.server.storage, rules, SIM_START + 12 * 3_600_000);
      const operators = configs.flatMap((c, i) => (c === config ? [`op-WS-${i + 1}`] : []));
      await registerTestOperators(this.server.storage, rules, operators);
    }
    this.server.ticketSecret = await this.server.storage.secret(TICKET_SECRET);
    this.network.serverStarted(await this.server.storage.head());
    for (const [i, config] of configs.entries()) {
      // Up to ten minutes either way: wall clocks are for display only and must not matter.
      this.workstations.push(new SimWorkstation(`WS-${i + 1}`, this, Math.round(this.random.between(-600_000, 600_000)), config));
    }
    this.network.lossRate = this.random.between(0, 0.3);
    this.network.duplicateRate = this.random.between(0, 0.15);
    // Half the runs catch up in small pages: a command applied at the head has its effects pages after the first.
    this.network.pageLimit = this.random.chance(0.5) ? 1 + this.random.int(5) : Number.POSITIVE_INFINITY;

    const faultPhaseEnd = SIM_START + 120_000;
    while (this.time.now() < faultPhaseEnd) {
      await this.step();
      await this.time.runUntil(this.time.now() + Math.round(this.random.between(200, 3000)));
    }

    const healedAt = this.time.now();
    this.network.lossRate = 0;
    this.network.duplicateRate = 0;
    for (const w of this.workstations) {
      this.network.heal(w.name);
      if (w.signInLapsed && this.random.next() < 0.5) w.signInAgain();
    }
    const convergedAt = await this.waitForConvergence(healedAt + 15 * 60_000);
    return this.figures(healedAt, convergedAt);
  }

  /** Something happens: usually an operator acts; sometimes the network or a machine fails. */
  private async step(): Promise<void> {
    const roll = this.random.next();
    const workstation = this.random.pick(this.workstations)!;
    if (roll < 0.06) {
      this.network.partition(workstation.name);
      const healAfter = Math.round(this.random.between(2_000, 60_000));
      this.time.setTimeout(() => this.network.heal(workstation.name), healAfter);
    } else if (roll < 0.08) {
      this.network.faults.clientRestarts += 1;
      workstation.restart();
    } else if (roll < 0.09) {
      this.network.faults.serverRestarts += 1;
      this.server.restart();
      this.network.closeAllLive('server restarted');
      this.network.serverStarted(await this.server.storage.head());
    } else if (roll < 0.095) {
      // One of the two server instances fails: its workstations move to the other, and catch up there.
      this.network.instanceFailed(this.random.int(2));
    } else if (roll < 0.105) {
      // A sign-in lapses (commands are refused and held), or the operator signs in again (they are sent again).
      if (workstation.signInLapsed) workstation.signInAgain();
      else workstation.signInLapsed = true;
    } else if (this.twoForces && roll < 0.115) {
      this.lineThenShare(workstation);
    } else {
      const forces: Forces = { own: workstation.force, other: this.otherForce(workstation) };
      const action = chooseAction(workstation.store, this.random, workstation.clock.now(), forces);
      if (action) workstation.issue(action.name, action.args, action.confirmed, action.redoOf, action.relay);
    }
  }

  /** In a run of two forces, the force other than the workstation's (null in a run of one). */
  private otherForce(workstation: SimWorkstation): ForceCode | null {
    return this.twoForces ? servedForces(this.rules).find((c) => c.force.code !== workstation.force)!.force.code : null;
  }

  /**
   * A dispatcher writes on an incident why it is being shared, and shares it a moment later, while the other
   * force's desks sync now: a pull between the line and the share, both then in one live batch, is the race in which
   * a workstation once skipped the line for good (tryout15a: a share in a batch handed over only what preceded the
   * batch's start, and the line, in the batch at its own place below the workstation's cursor, was dropped as held).
   */
  private lineThenShare(workstation: SimWorkstation): void {
    const other = this.otherForce(workstation)!;
    const incident = this.random.pick(ownOpenIncidents(workstation.store, workstation.force));
    if (!incident) return;
    const entryId = this.random.uuid();
    workstation.issue('incident.addLog', { incidentId: incident.id, entryId, text: `sharing ${entryId}` }, { logEntryId: entryId, incidentId: incident.id });
    const theirs = this.workstations.filter((w) => w.force === other);
    this.time.setTimeout(() => theirs.forEach((w) => w.sync.kick()), Math.round(this.random.between(20, 400)));
    this.time.setTimeout(() => {
      const share = shareAction(workstation.store, this.random, incident.id, workstation.force, other);
      workstation.issue(share.name, share.args, share.confirmed);
    }, Math.round(this.random.between(300, 900)));
  }

  private async waitForConvergence(deadline: number): Promise<number | null> {
    while (this.time.now() < deadline) {
      await this.time.runUntil(this.time.now() + 1000);
      if (await this.converged()) return this.time.now();
    }
    return null;
  }

  private async converged(): Promise<boolean> {
    const head = await this.server.storage.head();
    return this.workstations.every((w) => w.store.outbox.pendingCount() === 0 && w.store.pullCursor === head && w.store.outbox.conflictsInTransit() === 0);
  }

  /**
   * After anything the link applies: no change skipped (every record the server holds at a seq the cursor passed since
   * the last check is here at that seq; a repeat is caught as it is applied, above), no command of its own gone from
   * the outbox before its effects (its server seq is at or before the cursor), and none lingering there once they
   * are (an applied command the workstation was answered for, and whose effects it holds, is out of the outbox).
   */
  checkDelivery(workstation: SimWorkstation): void {
    const { store } = workstation;
    if (!store.db.open) return;
    const cursor = store.pullCursor;
    const db = this.server.storage.database;
    if (cursor > workstation.checkedCursor) {
      const passed = db.prepare(`SELECT kind, id, seq, doc FROM records WHERE seq > ? AND seq <= ?`).all(workstation.checkedCursor, cursor) as { kind: string; id: string; seq: number; doc: string | null }[];
      const held = store.db.prepare(`SELECT seq FROM server_records WHERE kind = ? AND id = ?`);
      for (const change of passed) {
        // Its own force's records, which it sees whatever is shared. Another force's it may see or not as shares
        // stand at its cursor, which the server keeps no history of: those are checked once all is in step (figures).
        if (ownerOfStored(change.doc) !== workstation.force) continue;
        const here = held.get(change.kind, change.id) as { seq: number } | undefined;
        // At its own place, or later: a share or transfer sends its force's conflicts again, cut to what it now shows.
        if (here === undefined || here.seq < change.seq) this.problems.push(`${workstation.name}: skipped change ${change.seq} (${change.kind}:${change.id}) on its way from ${workstation.checkedCursor} to ${cursor}, holding ${here ? `seq ${here.seq}` : 'nothing'}`);
      }
    }
    workstation.checkedCursor = cursor;
    const pending = pendingCommands(store);
    const logged = db.prepare(`SELECT status, seq FROM command_log WHERE command_id = ?`);
    // Whether the cursor stands where a page or batch given to this workstation reached the head it was read at (the
    // server's records there are all of one moment), or where one ended short of it (the middle of a catch-up).
    const standing = this.network.standing(workstation.name, cursor);
    for (const commandId of workstation.pendingIds) {
      if (pending.has(commandId)) continue;
      const outcome = logged.get(commandId) as { status: string; seq: number | null } | undefined;
      if (outcome?.status !== 'applied' || refusedHere(store).has(commandId)) continue;
      if ((outcome.seq ?? 0) > cursor) {
        this.problems.push(`${workstation.name}: command ${commandId} left the outbox at cursor ${cursor}, before its effects at ${outcome.seq} arrived`);
      } else if (standing === 'short') {
        // Its records may have changed again since, and lie pages on: the server keeps only each one's newest version.
        this.problems.push(`${workstation.name}: command ${commandId} left the outbox at cursor ${cursor}, in the middle of a catch-up, before a page reached the head`);
      }
    }
    workstation.pendingIds = pending;
    for (const effect of workstation.sync.awaitingEffects()) {
      if (effect.seq <= cursor && standing === 'whole') this.problems.push(`${workstation.name}: command ${effect.clientSeq} lingers in the outbox though its effects (${effect.seq}) are here at ${cursor}`);
    }
  }

  /** No workstation ever shows less than it has written itself, and its cursor never goes back. */
  checkOwnWrites(workstation: SimWorkstation): void {
    const cursor = workstation.store.pullCursor;
    if (cursor < workstation.lastCursor) this.problems.push(`${workstation.name}: cursor went back from ${workstation.lastCursor} to ${cursor}`);
    workstation.lastCursor = cursor;
    const refused = refusedHere(workstation.store);
    // Incidents this desk made that the server refused: what was written on them goes with them (refused in turn).
    const gone = new Set(workstation.confirmed.filter((c) => c.name === 'incident.create' && refused.has(c.commandId)).map((c) => c.incidentId));
    const followed = this.followedOnServer();
    const owners = this.server.storage.database.prepare(`SELECT doc FROM records WHERE kind = 'logEntry' AND id = ?`);
    for (const command of workstation.confirmed) {
      // Refused ones (and those that lost a race) left the screen visibly: in the refused list or the conflict inbox,
      // one of their own or, refused only because an earlier one lost, in that one's list of what followed from it.
      if (!command.logEntryId || refused.has(command.commandId) || workstation.store.view.get('conflict', command.commandId) || followed.has(command.commandId)) continue;
      if (gone.has(command.incidentId) && !workstation.store.view.incident(command.incidentId!)) continue;
      // A line on another force's incident goes with the share that let it be written (revoked, or cut to view).
      const onServer = owners.get(command.logEntryId) as { doc: string | null } | undefined;
      if (onServer?.doc && ownerOfStored(onServer.doc) !== workstation.force) continue;
      if (!workstation.store.view.logEntry(command.logEntryId)) {
        this.problems.push(`${workstation.name}: its own log entry ${command.logEntryId} (${command.name}) is not on its screen`);
      }
    }
  }

  /**
   * The commands the server kept in a conflict's or a refusal's list of what followed from it (shared/domain/conflict.ts
   * followedOn, shared/domain/refusal.ts refusalFollowedOn): shown there, in the inbox or the refused list.
   */
  private followedOnServer(): Set<string> {
    const rows = this.server.storage.database.prepare(`SELECT doc FROM records WHERE kind IN ('conflict', 'refusal')`).all() as { doc: string }[];
    return new Set(rows.flatMap((r) => ((JSON.parse(r.doc) as { followedBy?: { commandId: string }[] } | null)?.followedBy ?? []).map((f) => f.commandId)));
  }

  private async figures(healedAt: number, convergedAt: number | null): Promise<RunFigures> {
    const db = this.server.storage.database;
    if (convergedAt === null) this.problems.push('did not converge within 15 simulated minutes of healing');
    const logged = new Map<string, { status: string; code: string | null }>();
    for (const row of db.prepare(`SELECT command_id, status, code FROM command_log`).all() as { command_id: string; status: string; code: string | null }[]) {
      logged.set(row.command_id, { status: row.status, code: row.code });
    }
    const conflictIds = new Set((db.prepare(`SELECT id FROM records WHERE kind = 'conflict'`).all() as { id: string }[]).map((r) => r.id));
    // A command refused only because an earlier one of its workstation lost is shown in that one's conflict, among
    // what followed from it, not as a conflict of its own.
    const followed = this.followedOnServer();

    const refusals = new Map((db.prepare(`SELECT id, doc FROM records WHERE kind = 'refusal'`).all() as { id: string; doc: string }[]).map((r) => [r.id, JSON.parse(r.doc) as Refusal]));

    let confirmed = 0;
    let applied = 0;
    let conflicts = 0;
    let deadLettered = 0;
    let refusalsHandled = 0;
    let lost = 0;
    for (const w of this.workstations) {
      const dead = new Map(w.store.outbox.deadLetters().map((d) => [d.envelope.commandId, d]));
      for (const command of w.confirmed) {
        confirmed += 1;
        const outcome = logged.get(command.commandId);
        const refusal = refusals.get(command.commandId);
        if (outcome?.status === 'applied') applied += 1;
        else if (outcome?.code === 'conflict' && (conflictIds.has(command.commandId) || followed.has(command.commandId))) conflicts += 1;
        else if (outcome?.status === 'rejected' && dead.has(command.commandId) && refusal?.status === 'waiting') deadLettered += 1;
        else if (outcome?.status === 'rejected' && refusal?.status === 'handled') refusalsHandled += 1;
        else {
          lost += 1;
          this.problems.push(`${w.name}: confirmed ${command.name} ${command.commandId} is ${outcome ? `${outcome.status} (${outcome.code}), ${refusal ? `its refusal ${refusal.status}` : 'with no refusal record'}, but not shown` : 'not on the server'}`);
        }
      }
      this.problems.push(...followsTheRoom(w, refusals));
    }
    // Every refusal but a lost race (which has its conflict record) is a record the whole room receives.
    for (const row of db.prepare(`SELECT command_id, code FROM command_log WHERE status = 'rejected' AND code <> 'conflict'`).all() as { command_id: string; code: string }[]) {
      if (refusals.get(row.command_id)?.code !== row.code) this.problems.push(`refused command ${row.command_id} (${row.code}) has no refusal record saying so`);
    }

    // Each note's text is unique to its command: seen twice would mean applied twice.
    const notes = db.prepare(`SELECT json_extract(doc, '$.text') AS text, count(*) AS n FROM records WHERE kind = 'logEntry' AND json_extract(doc, '$.kind') = 'note' GROUP BY text HAVING n > 1`).all();
    const duplicated = notes.length;
    if (duplicated) this.problems.push(`notes recorded twice: ${JSON.stringify(notes)}`);

    const expected = new Map<ForceCode, Map<string, string>>();
    for (const config of servedForces(this.rules)) expected.set(config.force.code, await this.freshView(config.force.code));
    let divergent = 0;
    for (const w of this.workstations) {
      const serverRecords = expected.get(w.force)!;
      const mine = viewRecords(w.store);
      // Commands held for a sign-in still show, marked not yet on the server, until their operator signs in again.
      const held = new Set(w.store.outbox.touchedByPending().map(keyString));
      const differ = [...new Set([...serverRecords.keys(), ...mine.keys()])].filter((key) => !held.has(key) && serverRecords.get(key) !== mine.get(key));
      if (differ.length) {
        divergent += 1;
        this.problems.push(`${w.name} differs from the server on ${differ.length} records, e.g. ${differ.slice(0, 3).join(', ')}`);
      }
      const integrity = integrityCheck(w.store.db);
      if (integrity !== 'ok') this.problems.push(`${w.name} integrity_check: ${integrity}`);
    }
    if (integrityCheck(db) !== 'ok') this.problems.push('server integrity_check failed');
    // Through crashes and restarts of the server, the audit chain stays whole, and holds applied commands only. The
    // chain is verified as stored (auditChain: values sealed, as `npm run audit -- verify` reads them), not opened.
    const audit = await this.server.storage.auditChain(0, Number.MAX_SAFE_INTEGER);
    const chain = verifyChain(audit);
    if (!chain.intact) this.problems.push(`server ${describeVerdict(chain)}`);
    // Besides: the server's own entry of a command it refused for its sign-in (access-refused), once per command
    // however often its workstation sent it again.
    const refusedAccess = (entry: (typeof audit)[number]) => entry.kind === 'access-refused' && logged.get(entry.commandId)?.status === 'rejected';
    const unapplied = audit.filter((entry) => logged.get(entry.commandId)?.status !== 'applied' && !refusedAccess(entry));
    if (unapplied.length) this.problems.push(`audit entries for commands not applied: ${unapplied.slice(0, 3).map((e) => `${e.seq} (${e.command}, ${e.kind})`).join(', ')}`);
    const refusedTwice = audit.filter(refusedAccess).filter((entry, i, all) => all.findIndex((other) => other.commandId === entry.commandId) !== i);
    if (refusedTwice.length) this.problems.push(`a refused command's access-refused entry written twice: ${refusedTwice.slice(0, 3).map((e) => `${e.seq} (${e.command})`).join(', ')}`);
    this.problems.push(...doubleCommitments(db));

    return {
      seed: this.seed,
      simulatedMs: this.time.now() - SIM_START,
      confirmed,
      applied,
      conflicts,
      deadLettered,
      refusalsHandled,
      lost,
      duplicated,
      divergent,
      convergeMs: convergedAt === null ? Number.NaN : convergedAt - healedAt,
      faults: this.network.faults,
      live: { ...this.network.liveDelivered, taken: this.workstations.reduce((n, w) => n + w.liveTaken(), 0), overlapping: this.workstations.reduce((n, w) => n + w.liveOverlapping(), 0), commandsDone: this.workstations.reduce((n, w) => n + w.liveCommandsDone(), 0) },
      pages: { limit: this.network.pageLimit, shortOfHead: this.network.pagesShortOfHead },
      crossForce: this.twoForces ? this.crossForceFigures(expected) : null,
      problems: this.problems,
    };
  }

  private crossForceFigures(expected: Map<ForceCode, Map<string, string>>): NonNullable<RunFigures['crossForce']> {
    const rows = this.server.storage.database
      .prepare(`SELECT name, count(*) AS n FROM command_log WHERE status = 'applied' AND (name LIKE 'share.%' OR name LIKE 'transfer.%') GROUP BY name`)
      .all() as { name: string; n: number }[];
    let heldOfOtherForce = 0;
    for (const [force, view] of expected) heldOfOtherForce += [...view.values()].filter((doc) => ownerOfStored(doc) !== force).length;
    return { applied: Object.fromEntries(rows.map((r) => [r.name, r.n])), heldOfOtherForce };
  }

  /**
   * What a workstation of `force` holds once in step: what one newly enrolled would be given by a pull of everything
   * (the partition and the shares as they stand now), applied in order. A workstation that has been there all along,
   * through every share, revocation and transfer, must hold exactly this.
   */
  private async freshView(force: ForceCode): Promise<Map<string, string>> {
    const page = await this.server.storage.changes(0, Number.MAX_SAFE_INTEGER);
    const delivery = await new RoomDelivery(this.server.storage, this.rules).forPull(page);
    const view = new Map<string, string>();
    for (const change of changesFor({ clientId: 'fresh', schemaVersion: SCHEMA_VERSION, force }, page.changes, delivery)) {
      if (change.doc === null) view.delete(`${change.kind}:${change.id}`);
      else view.set(`${change.kind}:${change.id}`, canonical(JSON.stringify(change.doc)));
    }
    return view;
  }

  close(): void {
    for (const w of this.workstations) {
      w.sync.stop();
      w.store.close();
    }
    void this.server.storage.close();
  }
}

/** Every record in a workstation's view, as the server would store its document. */
function viewRecords(store: WorkstationStore): Map<string, string> {
  const out = new Map<string, string>();
  const tables: [string, string][] = [['incident', 'incidents'], ['logEntry', 'incident_log'], ['unit', 'units'], ['assignment', 'assignments'], ['conflict', 'conflicts'], ['operator', 'operators'], ['contact', 'contacts'], ['task', 'tasks'], ['marker', 'markers'], ['refusal', 'refusals'], ['loan', 'loans'], ['share', 'shares'], ['arrangement', 'arrangements'], ['transfer', 'transfers']];
  for (const [kind, table] of tables) {
    for (const row of store.db.prepare(`SELECT id, doc FROM ${table}`).all() as { id: string; doc: string }[]) out.set(`${kind}:${row.id}`, canonical(row.doc));
  }
  return out;
}

/**
 * A unit may be committed to one active incident at most (a reservation commits nothing), and no assignment is
 * live on a closed incident, nor a reservation missing from its incident's list: checked on the server's records.
 */
function doubleCommitments(db: SqliteStorage['database']): string[] {
  const active = db.prepare(`
    SELECT json_extract(doc, '$.unitId') AS unit, count(*) AS n FROM records
    WHERE kind = 'assignment' AND json_extract(doc, '$.status') NOT IN ('cleared', 'reserved') GROUP BY unit HAVING n > 1`).all();
  const onClosed = db.prepare(`
    SELECT a.id, json_extract(a.doc, '$.status') AS status FROM records a
    JOIN records i ON i.kind = 'incident' AND i.id = json_extract(a.doc, '$.incidentId')
    WHERE a.kind = 'assignment' AND json_extract(a.doc, '$.status') != 'cleared' AND json_extract(i.doc, '$.status') = 'closed'`).all();
  const unlisted = db.prepare(`
    SELECT a.id FROM records a
    JOIN records i ON i.kind = 'incident' AND i.id = json_extract(a.doc, '$.incidentId')
    WHERE a.kind = 'assignment' AND json_extract(a.doc, '$.status') = 'reserved'
      AND NOT EXISTS (SELECT 1 FROM json_each(i.doc, '$.reservations') r WHERE r.value = a.id)`).all();
  return [
    ...(active.length ? [`units on two active assignments: ${JSON.stringify(active)}`] : []),
    ...(onClosed.length ? [`assignments live on closed incidents: ${JSON.stringify(onClosed)}`] : []),
    ...(unlisted.length ? [`reservations missing from their incident's list: ${JSON.stringify(unlisted)}`] : []),
  ];
}

/** The force that owns a record, from its document as stored (JSON; null for a withdrawal): shared/domain/partition.ts ownerOf. */
function ownerOfStored(doc: string | null): ForceCode | null {
  return ownerOf({ doc: doc === null ? null : JSON.parse(doc) });
}

/** JSON with keys sorted, so two copies of a document compare equal whatever order their keys were written in. */
function canonical(json: string): string {
  const sort = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sort)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sort(v)]))
        : value;
  return JSON.stringify(sort(JSON.parse(json)));
}

/** The commands in a workstation's outbox waiting for the server (their effects shown as its own). */
function pendingCommands(store: WorkstationStore): Set<string> {
  return new Set((store.db.prepare(`SELECT command_id FROM outbox WHERE state = 'pending'`).all() as { command_id: string }[]).map((r) => r.command_id));
}

/** Every command this workstation issued that the server refused, handled since or not (conflicts apart). */
function refusedHere(store: WorkstationStore): Set<string> {
  return new Set((store.db.prepare(`SELECT command_id FROM outbox WHERE state = 'dead'`).all() as { command_id: string }[]).map((r) => r.command_id));
}

/**
 * A workstation's own refused commands agree with the room's records once all is in step: one waits here exactly
 * while its record waits, and one handled (here or at another desk) says what the record says was done, and by whom.
 */
function followsTheRoom(w: { name: string; store: WorkstationStore }, refusals: Map<string, Refusal>): string[] {
  const rows = w.store.db
    .prepare(`SELECT command_id, reject_code, handled_action, handled_by FROM outbox WHERE state = 'dead' AND reject_code <> 'conflict'`)
    .all() as { command_id: string; reject_code: string; handled_action: string | null; handled_by: string | null }[];
  const problems: string[] = [];
  for (const row of rows) {
    const refusal = refusals.get(row.command_id);
    if (!refusal) problems.push(`${w.name}: refused ${row.command_id} has no refusal record on the server`);
    else if ((row.handled_action === null) !== (refusal.status === 'waiting')) {
      problems.push(`${w.name}: refused ${row.command_id} is ${row.handled_action ?? 'waiting'} here but ${refusal.action ?? 'waiting'} on the server`);
    } else if (row.handled_action !== null && (row.handled_action !== refusal.action || row.handled_by !== refusal.handledBy)) {
      problems.push(`${w.name}: refused ${row.command_id} is ${row.handled_action} by ${row.handled_by} here but ${refusal.action} by ${refusal.handledBy} on the server`);
    }
  }
  return problems;
}
