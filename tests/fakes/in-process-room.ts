import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { hashPassword } from '../../node-common/passwords';
import { TICKET_SECRET } from '../../server/access/access-routes';
import type { ServerRules } from '../../server/commands/plan-command';
import { registerForceUnits } from '../../server/commands/system-commands';
import type { ServerStorage } from '../../server/storage/storage';
import type { Role } from '../../shared/domain/operator';
import { ManualClock } from '../../shared/domain/time';
import { registerTestOperators } from './access';
import { call, demoConfig, silentLog } from './fixtures';
import { InProcessLink } from './in-process-link';
import { ManualScheduler } from './manual-scheduler';
import { makeTempDir } from './temp-dir';

/** The password every operator of an in-process room has unless told otherwise. */
export const ROOM_PASSWORD = 'shift-pw';

/** The server's storage as a room opens it: the storage, and how to close it (storage.close() when not given). */
export interface RoomServer {
  storage: ServerStorage;
  close?(): Promise<void>;
}

/** An operator of the room: the roles registered on the server, and a password (ROOM_PASSWORD) unless `password: null`. */
export type RoomOperator = Role[] | { roles: Role[]; password: string | null };

/** A workstation of the room: its name, and the operator signed in there (with the operator's password) before each test, if any. */
export type RoomDesk = string | { workstation: string; signedIn: string };

export interface InProcessRoomOptions<S extends RoomServer> {
  /**
   * Opens the server's storage for one test, given the test's folder (for a storage kept in a file there):
   * `() => factory.open()` for a factory of tests/fakes/storages.ts.
   */
  open(dir: string): Promise<S>;
  /** Where the room's one manual clock starts, in milliseconds since the epoch. */
  startsAt: number;
  /** Operators by name, registered in this order (after the force's units, where `forceUnits`). */
  operators: Record<string, RoomOperator>;
  /** The workstations, started in this order; each with its own in-process link, and signed in where said. */
  desks: RoomDesk[];
  /** The server's rules are a training server's (default false). */
  training?: boolean;
  /** Registers the demonstration force's units on the server first (default false). */
  forceUnits?: boolean;
}

/** What a test in an in-process room reaches for; valid inside a test only (made afresh for each). */
export interface InProcessRoom<S extends RoomServer> {
  /** The test's own folder: each workstation's data in dir/<workstation> (and the server's file, if `open` put it here). */
  readonly dir: string;
  /** What `open` gave: the storage and any look at it the opener adds. */
  readonly opened: S;
  readonly storage: S['storage'];
  /** The one manual clock of the server's rules and every workstation. */
  readonly clock: ManualClock;
  /** The server's rules: the demonstration force, the room's clock, training if asked. */
  readonly rules: ServerRules;
  /** Every workstation's console core, in the order started. */
  readonly cores: readonly ConsoleCore[];
  /** The console core of this workstation (an Error if the room has none by that name). */
  desk(workstation: string): ConsoleCore;
  /** The in-process link of this workstation (by name or core): the test cuts and restores the network with it. */
  link(desk: string | ConsoleCore): InProcessLink;
  /** Starts another workstation in the room during a test (closed with the others). */
  addDesk(desk: RoomDesk): Promise<ConsoleCore>;
  /** Kicks each desk's sync in turn and waits until it has settled (its outbox sent as far as it can be, the server's changes pulled). */
  sync(...desks: ConsoleCore[]): Promise<void>;
}

/**
 * Registers, for each test of the describe (or file) it is called in, an in-process room: a fresh folder, a real
 * server storage opened by `options.open` (SQLite or PostgreSQL, with the real push handling, pull and sign-in
 * through an InProcessLink per workstation), the operators registered with their passwords, and the workstations'
 * real console cores started on one ManualClock (`startsAt`) with manual schedulers, signed in as given. After each
 * test it stops every core, closes the storage and removes the folder. Returns the room, to be used inside tests.
 */
export function inProcessRoom<S extends RoomServer>(options: InProcessRoomOptions<S>): InProcessRoom<S> {
  let state: { dir: ReturnType<typeof makeTempDir>; opened: S; clock: ManualClock; rules: ServerRules; ticketSecret: string } | undefined;
  const desks: { workstation: string; core: ConsoleCore; link: InProcessLink }[] = [];
  const current = () => {
    if (!state) throw new Error('inProcessRoom: the room exists only inside a test');
    return state;
  };

  async function addDesk(desk: RoomDesk): Promise<ConsoleCore> {
    const { dir, opened, clock, rules, ticketSecret } = current();
    const workstation = typeof desk === 'string' ? desk : desk.workstation;
    const link = new InProcessLink(opened.storage, rules, ticketSecret);
    const core = createConsoleCore({ dataDir: join(dir.path, workstation), workstation, serverUrl: 'in-process', enrolmentKey: null, config: demoConfig, host: 'browser', clock, log: silentLog, link, scheduler: new ManualScheduler() });
    link.clientId = core.store.clientId;
    core.start();
    desks.push({ workstation, core, link });
    if (typeof desk !== 'string') await call(core, 'session.signIn', { operator: desk.signedIn, password: ROOM_PASSWORD });
    return core;
  }

  const room: InProcessRoom<S> = {
    get dir() {
      return current().dir.path;
    },
    get opened() {
      return current().opened;
    },
    get storage() {
      return current().opened.storage;
    },
    get clock() {
      return current().clock;
    },
    get rules() {
      return current().rules;
    },
    get cores() {
      return desks.map((d) => d.core);
    },
    desk(workstation) {
      const found = desks.find((d) => d.workstation === workstation);
      if (!found) throw new Error(`inProcessRoom: no workstation ${workstation} in the room`);
      return found.core;
    },
    link(desk) {
      const found = desks.find((d) => d.workstation === desk || d.core === desk);
      if (!found) throw new Error('inProcessRoom: no such workstation in the room');
      return found.link;
    },
    addDesk,
    async sync(...which) {
      for (const core of which) {
        core.sync.kick();
        await core.sync.settled();
      }
    },
  };

  beforeEach(async () => {
    const dir = makeTempDir();
    const clock = new ManualClock(options.startsAt);
    const rules: ServerRules = { config: demoConfig, now: () => clock.now(), ...(options.training ? { training: true } : {}) };
    let opened: S;
    try {
      opened = await options.open(dir.path);
    } catch (error) {
      dir.remove();
      throw error;
    }
    state = { dir, opened, clock, rules, ticketSecret: '' };
    const { storage } = opened;
    if (options.forceUnits) await registerForceUnits(storage, rules);
    for (const [name, operator] of Object.entries(options.operators)) {
      const { roles, password } = Array.isArray(operator) ? { roles: operator, password: ROOM_PASSWORD } : operator;
      await registerTestOperators(storage, rules, [name], roles);
      if (password !== null) await storage.setCredential(name, await hashPassword(password));
    }
    state.ticketSecret = await storage.secret(TICKET_SECRET);
    for (const desk of options.desks) await addDesk(desk);
  }, 60_000);
  afterEach(async () => {
    for (const { core } of desks.splice(0)) core.stop();
    const ending = state;
    state = undefined;
    if (!ending) return;
    try {
      await (ending.opened.close ? ending.opened.close() : ending.opened.storage.close());
    } finally {
      ending.dir.remove();
    }
  });
  return room;
}
