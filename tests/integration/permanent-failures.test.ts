import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OperatorSession } from '../../main/core/operator-session';
import { WorkstationStore } from '../../main/store/workstation-store';
import { issueCommand } from '../../main/sync/issue-command';
import { HttpServerLink } from '../../main/sync/server-link';
import { BLOCKED_CHECK_MS, SyncClient } from '../../main/sync/sync-client';
import { describeBlock, describeConnection, describeRefused } from '../../renderer/features/status/describe-link';
import { unverifiedLocation } from '../../shared/domain/location';
import { systemClock } from '../../shared/domain/time';
import { wallClock } from '../../shared/domain/wall-clock';
import { MIN_CLIENT_SCHEMA_VERSION, SCHEMA_VERSION } from '../../shared/sync/protocol';
import { BodyLimitProxy } from '../fakes/body-limit-proxy';
import { rememberSignIn } from '../fakes/access';
import { demoConfig, eventually } from '../fakes/fixtures';
import { ManualScheduler } from '../fakes/manual-scheduler';
import { startServerProcess, TEST_ENROLMENT_KEY, type RunningProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';

/**
 * A workstation reduced to its store, its HTTP link and its sync client, on timers the test moves by hand, so it
 * can be seen whether anything is retried on a timer; against a real server process.
 */
class Workstation {
  readonly store: WorkstationStore;
  readonly scheduler = new ManualScheduler();
  readonly link: HttpServerLink;
  readonly sync: SyncClient;
  readonly push: ReturnType<typeof vi.spyOn>;
  private ticket = '';

  constructor(
    dir: string,
    serverUrl: string,
    options: { enrolmentKey?: string | null; schemaVersion?: number; workstation?: string } = {},
    readonly name = options.workstation ?? 'WS-A',
  ) {
    this.store = WorkstationStore.open(join(dir, `ws-${randomUUID()}.sqlite`));
    const store = this.store;
    this.link = new HttpServerLink({
      baseUrl: serverUrl,
      device: {
        clientId: store.clientId,
        workstation: name,
        force: null,
        token: () => store.meta.get('device_token') || null,
        saveToken: (token) => store.transaction(() => store.meta.set('device_token', token ?? '')),
        enrolmentKey: options.enrolmentKey === undefined ? TEST_ENROLMENT_KEY : options.enrolmentKey,
      },
      heartbeatMs: 60_000,
    });
    this.push = vi.spyOn(this.link, 'push');
    this.sync = new SyncClient({
      store,
      link: this.link,
      config: demoConfig,
      clock: systemClock,
      scheduler: this.scheduler,
      random: () => 0.5,
      onRecordsChanged: () => undefined,
      onStatusChanged: () => undefined,
      ...(options.schemaVersion === undefined ? {} : { schemaVersion: options.schemaVersion }),
    });
  }

  /** Signs alice (a demonstration call handler) in with the server, which enrols the workstation first. */
  async signIn(): Promise<void> {
    const session = new OperatorSession(this.store, systemClock, (operator, password) => this.link.signIn(operator, password), { config: demoConfig, workstation: this.name });
    this.ticket = (await session.signIn('alice', 'demo')).ticket;
  }

  issue(name: string, args: unknown): void {
    issueCommand(this.store, demoConfig, { operator: 'alice', workstation: this.name, ticket: this.ticket }, name, args, new Date().toISOString());
  }

  createIncident(): string {
    const incidentId = randomUUID();
    this.issue('incident.create', { incidentId, provisionalReference: `${this.name}-P${incidentId.slice(0, 4)}`, type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: null });
    return incidentId;
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

let dir: ReturnType<typeof makeTempDir>;
const running: RunningProcess[] = [];
const workstations: Workstation[] = [];
const proxies: BodyLimitProxy[] = [];

async function server(file = 'central.sqlite', port = 0, enrolmentKey = TEST_ENROLMENT_KEY) {
  const started = await startServerProcess(join(dir.path, file), port, { enrolmentKey });
  running.push(started);
  return started;
}

/** `npm run revoke` as an administrator runs it, beside the running server: its exit status and what it said. */
function runRevoke(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'dist', 'node', 'revoke.mjs'), ...args], { encoding: 'utf8', timeout: 15_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function workstation(url: string, options: ConstructorParameters<typeof Workstation>[2] = {}): Workstation {
  const w = new Workstation(dir.path, url, options);
  workstations.push(w);
  return w;
}

beforeEach(() => {
  dir = makeTempDir();
});
afterEach(async () => {
  for (const w of workstations.splice(0)) w.close();
  for (const p of proxies.splice(0)) await p.close();
  for (const r of running.splice(0)) await r.stop();
  dir.remove();
});

describe('an answer from the server that retrying cannot change', () => {
  it('a server that needs a newer workstation: says so and what version, keeps every command, and looks again only on a long timer', async () => {
    const central = await server();
    const w = workstation(central.url, { schemaVersion: MIN_CLIENT_SCHEMA_VERSION - 1 });
    await w.signIn();
    w.createIncident();
    w.sync.start();
    await eventually(() => w.sync.status().connection === 'blocked', 'the link is blocked');

    const status = w.sync.status();
    expect(status.blocked).toMatchObject({ kind: 'upgrade_workstation', accepts: { min: MIN_CLIENT_SCHEMA_VERSION, max: SCHEMA_VERSION }, speaks: MIN_CLIENT_SCHEMA_VERSION - 1 });
    expect(describeConnection(status, true, null)).toEqual({
      state: 'blocked',
      text: `This workstation needs updating: the server requires version ≥ ${MIN_CLIENT_SCHEMA_VERSION} (this one is ${MIN_CLIENT_SCHEMA_VERSION - 1}) — 1 command kept until then`,
    });
    // No retry on a timer, no live channel to reopen: only the long check.
    expect(w.scheduler.pendingDelays()).toEqual([BLOCKED_CHECK_MS]);
    const asked = w.push.mock.calls.length;
    w.createIncident();
    await w.syncNow();
    expect(w.push.mock.calls.length).toBe(asked);
    expect(w.sync.status()).toMatchObject({ connection: 'blocked', pending: 2 });

    w.scheduler.advance(BLOCKED_CHECK_MS);
    await w.sync.settled();
    expect(w.push.mock.calls.length).toBe(asked + 1);
    expect(w.scheduler.pendingDelays()).toEqual([BLOCKED_CHECK_MS]);
  });

  it('a workstation newer than the server accepts: asks for the server to be updated', async () => {
    const central = await server();
    const w = workstation(central.url, { schemaVersion: SCHEMA_VERSION + 1 });
    await w.signIn();
    w.createIncident();
    await w.syncNow();
    const { blocked } = w.sync.status();
    expect(blocked?.kind).toBe('upgrade_server');
    expect(describeBlock(blocked!)).toBe(`The server needs updating: it accepts workstation versions up to ${SCHEMA_VERSION} (this one is ${SCHEMA_VERSION + 1}); tell your administrator`);
  });

  it('an enrolment revoked: says to ask for a new enrolment key, and stops asking the server', async () => {
    const first = await server('central.sqlite');
    const w = workstation(first.url);
    await w.signIn();
    w.createIncident();
    w.sync.start();
    await eventually(() => w.sync.status().connection === 'online' && w.sync.status().pending === 0, 'the first incident is on the server');

    // The administrator rebuilds the server with a new enrolment key: it no longer knows this workstation.
    await first.stop();
    await eventually(() => w.sync.status().connection === 'offline', 'the workstation sees the server go');
    await server('rebuilt.sqlite', first.port, 'a-new-enrolment-key');
    w.createIncident();
    await w.syncNow();

    const status = w.sync.status();
    expect(status).toMatchObject({ connection: 'blocked', pending: 1, blocked: { kind: 'enrolment_revoked' } });
    expect(describeConnection(status, true, null).text).toBe('Enrolment revoked: ask your administrator for a new enrolment key — 1 command kept until then');
    expect(w.scheduler.pendingDelays()).toEqual([BLOCKED_CHECK_MS]);
    const asked = w.push.mock.calls.length;
    await w.syncNow();
    expect(w.push.mock.calls.length).toBe(asked);
  });

  it('a workstation its administrator revoked (npm run revoke): refused at its next request though it still holds the key, told in words that its access was withdrawn, when and why, not to find a new key; every command kept; the others go on', async () => {
    const central = await server('central.sqlite');
    const w = workstation(central.url);
    const other = workstation(central.url, { workstation: 'WS-B' });
    for (const each of [w, other]) {
      await each.signIn();
      each.createIncident();
      await each.syncNow();
      expect(each.sync.status()).toMatchObject({ connection: 'online', pending: 0 });
    }

    const revoked = runRevoke(['--data', join(dir.path, 'central.sqlite'), '--workstation', 'WS-A', '--reason', 'laptop reported stolen']);
    expect(revoked).toEqual({ status: 0, output: 'revoked workstation WS-A: refused from its next request, and it may not enrol again\n' });

    // The server is still running: the very next request is refused, and enrolling again with the key is refused too.
    w.createIncident();
    await w.syncNow();
    const status = w.sync.status();
    expect(status).toMatchObject({ connection: 'blocked', pending: 1, blocked: { kind: 'access_withdrawn', withdrawn: { reason: 'laptop reported stolen' } } });
    expect(status.blocked?.detail).toContain("an administrator withdrew this workstation's access");
    const wall = wallClock(demoConfig.force.timeZone);
    // In the force's time with its zone: read later, perhaps elsewhere, it must not be taken for the reader's.
    const at = wall.dateTimeZoned(status.blocked!.withdrawn!.at);
    expect(at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d (GMT|BST)$/);
    expect(describeConnection(status, true, wall).text).toBe(
      `An administrator withdrew this workstation’s access at ${at} (laptop reported stolen): it can no longer reach the server, and no enrolment key will restore it. Carry on at another workstation and tell your supervisor — 1 command kept on this workstation`,
    );
    expect(w.scheduler.pendingDelays()).toEqual([BLOCKED_CHECK_MS]);
    // Signing in there is refused in the same words and the force's time, not the server's UTC instant.
    await expect(w.signIn()).rejects.toThrow(`An administrator withdrew this workstation’s access at ${at} (laptop reported stolen): nobody can sign in here. Sign in at another workstation and tell your supervisor.`);

    other.createIncident();
    await other.syncNow();
    expect(other.sync.status()).toMatchObject({ connection: 'online', pending: 0 });
  });

  it('a workstation revoked while it listens on its live channel: the server closes the channel, and the workstation shows its access withdrawn at once, without waiting for a timer', async () => {
    const central = await server('central.sqlite');
    const w = workstation(central.url);
    await w.signIn();
    w.sync.start();
    await eventually(async () => w.sync.status().connection === 'online' && ((await (await fetch(`${central.url}/healthz`)).json()) as { liveClients: number }).liveClients === 1, 'the workstation listens');

    expect(runRevoke(['--data', join(dir.path, 'central.sqlite'), '--workstation', 'WS-A', '--reason', 'laptop reported stolen']).status).toBe(0);
    // The server looks for revocations every 5 s; the workstation's own timers are held still by the test.
    await eventually(() => w.sync.status().blocked?.kind === 'access_withdrawn', 'the workstation shows its access withdrawn', 15_000);
    expect(((await (await fetch(`${central.url}/healthz`)).json()) as { liveClients: number }).liveClients).toBe(0);
  }, 40_000);

  it('revoking a workstation the server has never seen is refused in one line, so a typing slip is not taken for a revocation', async () => {
    await server('central.sqlite');
    const refused = runRevoke(['--data', join(dir.path, 'central.sqlite'), '--workstation', 'WS-Z', '--reason', 'typo']);
    expect(refused).toEqual({ status: 1, output: 'no workstation named WS-Z has enrolled with this server\n' });
  });

  it('a workstation never enrolled and given no key: says to ask for one, and does not keep trying', async () => {
    const central = await server();
    const w = workstation(central.url, { enrolmentKey: null });
    await rememberSignIn(w.store, 'alice', 'demo'); // signed in here before, when it was enrolled elsewhere
    w.createIncident();
    await w.syncNow();
    expect(w.sync.status().blocked?.kind).toBe('not_enrolled');
    expect(describeBlock(w.sync.status().blocked!)).toBe('Not enrolled with the server: ask your administrator for an enrolment key');
    expect(w.scheduler.pendingDelays()).toEqual([BLOCKED_CHECK_MS]);
  });

  /**
   * A workstation signed in to a server that is stopped and copied (a backup), started again and given two new
   * incidents; then stopped and put back as the backup was. `before(w)`: what the workstation does before the backup.
   */
  async function restoredFromBackup(before: (w: ReturnType<typeof workstation>) => Promise<void>) {
    const file = join(dir.path, 'central.sqlite');
    let central = await server('central.sqlite');
    const w = workstation(central.url);
    await w.signIn();
    await before(w);
    await central.stop();
    copyFileSync(file, join(dir.path, 'backup.sqlite')); // a clean stop leaves everything in the main file
    central = await server('central.sqlite', central.port);
    w.createIncident();
    w.createIncident();
    await w.syncNow();
    expect(w.sync.status()).toMatchObject({ connection: 'online', pending: 0 });

    await central.stop();
    copyFileSync(join(dir.path, 'backup.sqlite'), file);
    rmSync(`${file}-wal`, { force: true });
    await server('central.sqlite', central.port);
    return w;
  }

  it('a server restored from an older copy, without commands it had taken: says so, instead of retrying for ever', async () => {
    const w = await restoredFromBackup(async (w) => {
      w.createIncident();
      await w.syncNow();
    });
    w.createIncident();
    await w.syncNow();
    const status = w.sync.status();
    expect(status).toMatchObject({ connection: 'blocked', pending: 1, blocked: { kind: 'server_forgot' } });
    expect(describeBlock(status.blocked!)).toBe('The server has lost commands it had taken from this workstation, or changes it had sent it (restored from an older copy?): tell your administrator');
    expect(w.scheduler.pendingDelays()).toEqual([BLOCKED_CHECK_MS]);
  });

  it('a server restored from an older copy, without changes it had sent: says so at the next pull, rather than skip the changes it numbers again', async () => {
    // Nothing of this workstation's before the backup: its head is back before the workstation's cursor, and it has
    // none of its commands to forget.
    const w = await restoredFromBackup(async () => {});
    await w.syncNow();
    const status = w.sync.status();
    expect(status).toMatchObject({ connection: 'blocked', pending: 0, blocked: { kind: 'server_forgot' } });
    expect(status.blocked!.detail).toMatch(/^the server's changes end at \d+, before the \d+ this workstation holds: it may have been restored from an older copy$/);
  });

  it('a command too large for the server (a proxy answers 413): only that command is refused, to the refused list, and the rest go', async () => {
    const central = await server();
    const proxy = await BodyLimitProxy.start(central.port, 3_000);
    proxies.push(proxy);
    const w = workstation(proxy.url);
    await w.signIn();
    const incidentId = w.createIncident();
    await w.syncNow();

    const lines = ['Caller rang back', 'Neighbour confirms', 'x'.repeat(4_000), 'Dog handler requested', 'Scene preserved', 'Victim support informed'];
    for (const [i, text] of lines.entries()) w.issue('incident.addLog', { incidentId, entryId: randomUUID(), text: i === 2 ? text : `${text} (${i})` });
    await w.syncNow();

    expect(proxy.refused).toBeGreaterThan(0);
    const status = w.sync.status();
    expect(status).toMatchObject({ connection: 'online', pending: 0, deadLetters: 1, tooLarge: 1, blocked: null });
    expect(describeRefused(status)).toBe('A command too large for the server: in the refused list — Shift+F8');
    const [refused] = w.store.outbox.deadLetters();
    expect(refused).toMatchObject({ withdrawn: true, envelope: { name: 'incident.addLog', args: { text: 'x'.repeat(4_000) } } });
    expect(refused?.reason).toMatch(/^withdrawn by the workstation: too large for the server/);
    // The five others are on the server: the view holds them as the server confirmed them.
    expect(w.store.view.logOf(incidentId).filter((e) => e.kind === 'note').map((e) => [e.text, e.pending])).toEqual(
      lines.filter((_, i) => i !== 2).map((text, i) => [`${text} (${i < 2 ? i : i + 1})`, false]),
    );
    expect(w.scheduler.pendingDelays().every((ms) => ms >= 30_000)).toBe(true); // the idle pull, no retry
  });
});
