import { join } from 'node:path';
import type { ForceConfig } from '../../shared/domain/force-config';
import type { RecordKey } from '../../shared/domain/records';
import { ManualClock } from '../../shared/domain/time';
import { WorkstationStore } from '../../main/store/workstation-store';
import { issueCommand } from '../../main/sync/issue-command';
import { SyncClient } from '../../main/sync/sync-client';
import type { InProcessLink } from './in-process-link';
import type { SyncStatus } from '../../shared/contract/views';
import { demoConfig } from './fixtures';
import { ManualScheduler } from './manual-scheduler';

export const T0 = Date.parse('2026-11-29T10:00:00.000Z');

/** One workstation's store and sync client on a manual clock, for tests of the command path. */
export class WorkstationHarness {
  readonly store: WorkstationStore;
  readonly scheduler = new ManualScheduler();
  readonly clock = new ManualClock(T0);
  readonly sync: SyncClient;
  readonly changed: RecordKey[][] = [];
  readonly statuses: SyncStatus[] = [];
  private readonly statusListeners: ((status: SyncStatus) => void)[] = [];

  constructor(
    dir: string,
    readonly name: string,
    readonly link: InProcessLink,
    readonly config: ForceConfig = demoConfig,
    options: { pullPageSize?: number; maxHeldChanges?: number } = {},
  ) {
    this.store = WorkstationStore.open(join(dir, `${name}.sqlite`));
    // As signing in would leave it: the operator's record (registered on the server by the test) already here.
    const profile = { kind: 'operator' as const, id: this.operator, doc: { id: this.operator, force: 'DMO', displayName: this.operator, roles: ['call_handler' as const, 'dispatcher' as const, 'supervisor' as const], active: true, version: 1 } };
    this.store.transaction(() => {
      this.store.server.put(profile, 0);
      this.store.view.write(profile);
    });
    this.sync = new SyncClient({
      store: this.store,
      link,
      config,
      clock: this.clock,
      scheduler: this.scheduler,
      random: () => 0.5,
      onRecordsChanged: (keys) => this.changed.push(keys),
      onStatusChanged: (status) => {
        this.statuses.push(status);
        for (const listener of this.statusListeners) listener(status);
      },
      ...options,
    });
  }

  get operator(): string {
    return `op-${this.name}`;
  }

  /** Issues a command as this workstation's operator (registered on the server by the test). */
  issue(name: string, args: unknown) {
    const who = { operator: this.operator, workstation: this.name, ticket: this.link.ticketFor(this.operator, this.store.clientId) };
    return issueCommand(this.store, this.config, who, name, args, new Date(this.clock.now()).toISOString());
  }

  onStatus(listener: (status: SyncStatus) => void): void {
    this.statusListeners.push(listener);
  }

  async syncNow(): Promise<void> {
    this.sync.kick();
    await this.sync.settled();
  }

  close(): void {
    this.sync.stop();
    this.store.close();
  }
}
