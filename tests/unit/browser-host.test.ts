import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelNames } from '../../shared/contract/channels';
import { systemClock } from '../../shared/domain/time';
import { createConsoleCore, type ConsoleCore } from '../../main/core/console-core';
import { startBrowserHost, type BrowserHost } from '../../main/hosts/browser/browser-host';
import { rememberAddress, rememberedAddress } from '../../main/hosts/browser/host-address';
import { connectBridge } from '../fakes/bridge-client';
import { demoConfig, eventually, silentLog } from '../fakes/fixtures';
import { makeTempDir } from '../fakes/temp-dir';
import { sendRaw } from '../fakes/raw-http';
import { rememberSignIn } from '../fakes/access';
import { unverifiedLocation } from '../../shared/domain/location';

let dir: ReturnType<typeof makeTempDir>;
let core: ConsoleCore;
let host: BrowserHost;
let key: string;

beforeEach(async () => {
  dir = makeTempDir();
  const rendererDir = join(dir.path, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Cordon</title>');
  writeFileSync(join(dir.path, 'secret.txt'), 'not for the web');
  core = createConsoleCore({
    dataDir: join(dir.path, 'data'),
    workstation: 'WS-A',
    enrolmentKey: 'unused',
    serverUrl: 'http://127.0.0.1:9', // nothing listens: the workstation is offline, which must not matter here
    config: demoConfig,
    host: 'browser',
    clock: systemClock,
    log: silentLog,
  });
  host = await startBrowserHost({ core, rendererDir, port: 0, log: silentLog });
  key = new URL(host.windowUrl()).hash.replace('#key=', '');
});

afterEach(async () => {
  await host.close();
  core.stop();
  dir.remove();
});

describe('the browser host after a restart', () => {
  it('comes back at the address and with the key it had, so open windows reconnect; a port now taken gives a fresh address and key', async () => {
    const previous = { port: host.port, key };
    const rendererDir = join(dir.path, 'renderer');
    await host.close();
    host = await startBrowserHost({ core, rendererDir, port: 0, previous, log: silentLog });
    expect(host.windowUrl()).toBe(`http://127.0.0.1:${previous.port}/?role=incidents#key=${previous.key}`);

    // Something else took the port meanwhile: the key is never reused at another address.
    const other = await startBrowserHost({ core, rendererDir, port: 0, previous, log: silentLog });
    try {
      expect(other.port).not.toBe(previous.port);
      expect(other.key).not.toBe(previous.key);
    } finally {
      await other.close();
    }
  });

  it('keeps the key at a port given (--port) that is the port of before, and makes a new one at another', async () => {
    const previous = { port: host.port, key };
    const rendererDir = join(dir.path, 'renderer');
    await host.close();
    host = await startBrowserHost({ core, rendererDir, port: previous.port, previous, log: silentLog });
    expect(host.windowUrl()).toBe(`http://127.0.0.1:${previous.port}/?role=incidents#key=${previous.key}`);
    await host.close();
    // Another port given: another address, so never the old key.
    host = await startBrowserHost({ core, rendererDir, port: 0, log: silentLog });
    const elsewhere = host.port;
    await host.close();
    host = await startBrowserHost({ core, rendererDir, port: elsewhere, previous, log: silentLog });
    expect(host.port).toBe(elsewhere);
    expect(host.key).not.toBe(previous.key);
  });

  it('remembers the address in the data folder, for this account only, and ignores a damaged record', () => {
    const data = join(dir.path, 'data');
    expect(rememberedAddress(data)).toBeNull();
    expect(rememberAddress(data, { port: host.port, key })).toBe(true);
    expect(rememberedAddress(data)).toEqual({ port: host.port, key });
    expect(statSync(join(data, 'browser-host.json')).mode & 0o777).toBe(0o600);
    writeFileSync(join(data, 'browser-host.json'), '{"port": "everywhere"}');
    expect(rememberedAddress(data)).toBeNull();
  });
});

describe('the browser host', () => {
  it('listens on loopback only and hands windows a per-launch key in the address fragment', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(host.windowUrl('map')).toBe(`${host.origin}/?role=map#key=${key}`);
  });

  it('answers exactly the channels of the contract', async () => {
    const bridge = await connectBridge(host.origin, key);
    for (const channel of channelNames) {
      const reply = await bridge.call(channel, {});
      expect(reply.ok || reply.error.code, channel).not.toBe('unknown_channel');
    }
    const stranger = await bridge.call('store.exec', { sql: 'DROP TABLE incidents' });
    expect(stranger).toEqual({ ok: false, error: { code: 'unknown_channel', message: 'unknown channel "store.exec"' } });
    bridge.close();
  });

  it('refuses a connection without the key, with a wrong key, or from another origin', async () => {
    await expect(connectBridge(host.origin, '')).rejects.toThrow('refused: 403');
    await expect(connectBridge(host.origin, key.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))).rejects.toThrow('refused: 403');
    await expect(connectBridge(host.origin, key, { origin: 'http://evil.example' })).rejects.toThrow('refused: 403');
    await expect(connectBridge(host.origin, key, {})).rejects.toThrow('refused: 403');
    const port = new URL(host.origin).port;
    await expect(connectBridge(host.origin, key, { origin: host.origin, host: `evil.example:${port}` })).rejects.toThrow('refused: 403');
  });

  it('serves the renderer with a CSP, and nothing outside its folder, to nobody posing as another host', async () => {
    const page = await fetch(`${host.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${host.origin}/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${host.origin}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${host.origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a request or a window connection whose URL cannot be parsed, and goes on serving', async () => {
    const hostHeader = new URL(host.origin).host;
    const page = await sendRaw(Number(new URL(host.origin).port), `GET http://[ HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('unreadable URL');
    const window = await sendRaw(Number(new URL(host.origin).port), `GET http://[ HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`);
    expect(window.status).toBe(403);
    expect((await fetch(`${host.origin}/`)).status).toBe(200);
  });

  it('answers garbage with an error and changes nothing', async () => {
    const bridge = await connectBridge(host.origin, key);
    bridge.socket.send('{"id": "x"');
    // The host reads a window's messages in order, so the answer to this one proves the garbage was dealt with.
    const reply = await bridge.call('incidents.create', { type: 'BURGLARY', location: unverifiedLocation(''), grade: '1', firstLog: null });
    expect(reply.ok).toBe(false);
    expect(bridge.errors).toEqual([{ ok: false, error: { code: 'bad_request', message: expect.stringContaining('not a request') } }]);
    expect(core.store.view.incidents('all')).toEqual([]);
    expect(core.store.outbox.pendingCount()).toBe(0);
    bridge.close();
  });

  it('closes a window connection that sends a frame the protocol refuses (too big, not UTF-8), and goes on serving the others', async () => {
    for (const frame of [{ data: Buffer.alloc(1024 * 1024 + 1, 0x20), binary: false }, { data: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), binary: false }]) {
      const bad = await connectBridge(host.origin, key);
      const closed = new Promise<number>((resolve) => bad.socket.on('close', (code: number) => resolve(code)));
      bad.socket.send(frame.data, { binary: frame.binary });
      expect(await closed).toBeGreaterThan(1000);
      const good = await connectBridge(host.origin, key);
      expect((await good.call('incidents.create', { type: 'BURGLARY', location: unverifiedLocation(''), grade: '1', firstLog: null })).ok).toBe(false);
      good.close();
    }
  });

  it('refuses to act for nobody: commands wait for a signed-in operator', async () => {
    const bridge = await connectBridge(host.origin, key);
    const reply = await bridge.call('incidents.create', { type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: null });
    expect(reply).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'nobody is signed in at this workstation' } });
    const signIn = await bridge.call('session.signIn', { operator: 'alice', password: 'demo' });
    expect(signIn).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: expect.stringContaining('has not signed in at this workstation before') } });
    bridge.close();
  });

  it('works while the central server is unreachable, and pushes events to every window', async () => {
    await rememberSignIn(core.store, 'alice', 'demo');
    const a = await connectBridge(host.origin, key);
    const b = await connectBridge(host.origin, key);
    expect(await a.value('session.signIn', { operator: 'alice', password: 'demo' })).toMatchObject({ operator: { id: 'alice' }, signInMode: 'offline' });
    await eventually(() => b.events.some((e) => e.event === 'session.changed'), 'the other window hears of the sign-in');
    expect(b.events).toContainEqual({ event: 'session.changed', payload: expect.objectContaining({ operator: expect.objectContaining({ id: 'alice' }) }) });
    const created = await a.value<{ incident: { id: string; provisionalReference: string; pending: boolean } }>('incidents.create', {
      type: 'BURGLARY',
      location: unverifiedLocation('1 High Street'),
      grade: '2',
      firstLog: 'Caller reports a break-in',
    });
    expect(created.incident).toMatchObject({ provisionalReference: 'WS-A-P0001', pending: true });
    await eventually(() => b.events.some((e) => e.event === 'records.changed' && JSON.stringify(e.payload).includes(created.incident.id)), 'the other window hears of the incident');
    expect(b.events).toContainEqual({
      event: 'records.changed',
      payload: expect.objectContaining({
        incidents: [expect.objectContaining({ id: created.incident.id })],
        logEntries: [expect.objectContaining({ text: expect.stringMatching(/^Opened as Burglary/) }), expect.objectContaining({ text: 'Caller reports a break-in' })],
      }),
    });
    // Waiting to send: the sign-in (for the server's audit log) and the incident.
    expect(await b.value('sync.status', {})).toMatchObject({ pending: 2 });
    a.close();
    b.close();
  });
});

describe('an action asked for by a window, through the browser host', () => {
  const create = { type: 'BURGLARY', location: unverifiedLocation('1 High Street'), grade: '2', firstLog: 'Caller reports a break-in' };
  const meta = (requestId = randomUUID(), startBy = Date.now() + 10_000) => ({ requestId, startBy });

  beforeEach(async () => {
    await rememberSignIn(core.store, 'alice', 'demo');
  });

  it('is done once however often its request id arrives, together or one after another, and each repeat gets the first answer', async () => {
    const bridge = await connectBridge(host.origin, key);
    await bridge.value('session.signIn', { operator: 'alice', password: 'demo' });
    const once = meta();
    const [first, second] = await Promise.all([bridge.call('incidents.create', create, once), bridge.call('incidents.create', create, once)]);
    const again = await bridge.call('incidents.create', create, once);
    expect(first).toMatchObject({ ok: true });
    expect(second).toEqual(first);
    expect(again).toEqual(first);
    expect(core.store.view.incidents('all')).toHaveLength(1);
    // The command carries the id the window minted: the action, its command and the server's log of it are one.
    expect(core.store.outbox.pending().map((e) => [e.envelope.name, e.envelope.commandId])).toContainEqual(['incident.create', once.requestId]);
    bridge.close();
  });

  it('is never done when it arrives after the window gave up on it, and the window’s retry with the same id is then done once', async () => {
    const bridge = await connectBridge(host.origin, key);
    await bridge.value('session.signIn', { operator: 'alice', password: 'demo' });
    const late = meta(randomUUID(), Date.now() - 1);
    expect(await bridge.call('incidents.create', create, late)).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(core.store.view.incidents('all')).toHaveLength(0);
    const retry = meta(late.requestId);
    expect(await bridge.call('incidents.create', create, retry)).toMatchObject({ ok: true });
    expect(await bridge.call('incidents.create', create, retry)).toMatchObject({ ok: true });
    expect(core.store.view.incidents('all')).toHaveLength(1);
    bridge.close();
  });

  it('that was refused is not remembered: asked again, once put right, it is done', async () => {
    const bridge = await connectBridge(host.origin, key);
    const same = meta();
    expect(await bridge.call('incidents.create', create, same)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    await bridge.value('session.signIn', { operator: 'alice', password: 'demo' });
    expect(await bridge.call('incidents.create', create, same)).toMatchObject({ ok: true });
    expect(core.store.view.incidents('all')).toHaveLength(1);
    bridge.close();
  });
});
