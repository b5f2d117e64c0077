import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleCore, ConsoleCoreOptions } from '../../main/core/console-core';
import { startTestCore } from '../fakes/workstations-on-server';
import { httpExchange } from '../../main/sync/http-exchange';
import { describeConnection } from '../../renderer/features/status/describe-link';
import type { IncidentView } from '../../shared/contract/views';
import { unverifiedLocation } from '../../shared/domain/location';
import { PROTOCOL_PATHS } from '../../shared/sync/protocol';
import { call, eventually } from '../fakes/fixtures';
import { startServerProcess, type RunningProcess } from '../fakes/processes';
import { makeTestCertificates, type TestCertificates } from '../fakes/test-ca';
import { makeTempDir } from '../fakes/temp-dir';

const root = join(import.meta.dirname, '..', '..');

let dir: ReturnType<typeof makeTempDir>;
let certificates: TestCertificates;
const running: RunningProcess[] = [];
const cores: ConsoleCore[] = [];

beforeEach(() => {
  dir = makeTempDir();
  certificates = makeTestCertificates(dir.path);
});
afterEach(async () => {
  for (const c of cores.splice(0)) c.stop();
  for (const r of running.splice(0)) await r.stop();
  dir.remove();
});

/** The central server on HTTPS and WSS with the force's certificate. */
async function tlsServer() {
  const server = await startServerProcess(join(dir.path, 'central.sqlite'), 0, { args: ['--tls-cert', certificates.certFile, '--tls-key', certificates.keyFile] });
  running.push(server);
  return server;
}

/** A workstation's console core against `serverUrl`, trusting the authority in `caFile` (none: the system's store). */
function core(workstation: string, serverUrl: string, caFile: string | null, options: Partial<ConsoleCoreOptions> = {}): ConsoleCore {
  const c = startTestCore(join(dir.path, workstation), workstation, serverUrl, { ...(caFile ? { ca: readFileSync(caFile, 'utf8') } : {}), ...options });
  cores.push(c);
  return c;
}

/** Runs a built entry point to its end: for options that must stop it at start. */
function runToEnd(script: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(root, script), ...args], { cwd: root, encoding: 'utf8', timeout: 15_000, env: { ...process.env, CORDON_LOG_LEVEL: 'info' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('workstations and the server over HTTPS and WSS', () => {
  it('two workstations trusting the force’s certificate authority sync through the server: push, pull and the live poke', async () => {
    const server = await tlsServer();
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const a = core('WS-A', server.url, certificates.caFile);
    const b = core('WS-B', server.url, certificates.caFile);
    await call(a, 'session.signIn', { operator: 'alice', password: 'demo' });
    await call(b, 'session.signIn', { operator: 'bob', password: 'demo' });
    await eventually(() => a.sync.status().connection === 'online' && b.sync.status().connection === 'online', 'both online');

    // Both live channels are open over WSS: the server counts them.
    const ca = readFileSync(certificates.caFile, 'utf8');
    await eventually(async () => {
      const health = await httpExchange(new URL(PROTOCOL_PATHS.health, server.url), { method: 'GET', headers: {}, timeoutMs: 5000, ca });
      return (JSON.parse(health.text) as { liveClients: number }).liveClients === 2;
    }, 'the server has both workstations on its live channel');

    const { incident } = await call<{ incident: IncidentView }>(a, 'incidents.create', {
      type: 'DOMESTIC',
      location: unverifiedLocation('14 Shirley Road'),
      grade: '1',
      firstLog: 'Caller says her partner is breaking in',
    });
    // Pushed by A, poked to B over WSS and pulled by B well before B's idle pull (30 s) would have found it.
    await eventually(() => b.store.view.incident(incident.id)?.reference != null, 'B has the incident with its force reference');
    await call(b, 'incidents.addLog', { incidentId: incident.id, text: 'Two units assigned' });
    await eventually(() => a.store.view.logOf(incident.id).some((e) => e.text === 'Two units assigned' && !e.pending), 'A has the line written at B');
    expect(server.output()).not.toContain('TLS handshake failed');
  });

  it('a workstation that does not trust the server’s certificate does not connect, and says so as a block with what to do, not as offline', async () => {
    const server = await tlsServer();
    // Another force's authority: the server's certificate does not come from it.
    const other = makeTestCertificates(join(dir.path, 'other'), 'Another Force CA');
    const c = core('WS-C', server.url, other.caFile);
    await eventually(() => c.sync.status().connection === 'blocked', 'the link is blocked');

    const status = c.sync.status();
    expect(status.blocked).toMatchObject({ kind: 'server_untrusted' });
    expect(status.blocked?.detail).toMatch(/not trusted.*(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT)/);
    expect(describeConnection(status, true, null).text).toBe(
      'Not connecting: the server’s certificate is not trusted here (not from the force’s certificate authority given with --ca, expired, or for another name): tell your administrator — 0 commands kept until then',
    );
    // An operator signing in there is told why the server cannot check the password.
    await expect(call(c, 'session.signIn', { operator: 'alice', password: 'demo' })).rejects.toThrow(/the server's certificate is not trusted/);
    // Nothing reached the server but the handshake it refused: no enrolment, no request.
    await eventually(() => server.output().includes('TLS handshake failed'), 'the server logs the refused handshake');
    expect(server.output()).not.toContain('workstation enrolled');
  });

  it('a workstation trusting only the system’s store does not take the force’s own certificate either', async () => {
    const server = await tlsServer();
    const c = core('WS-D', server.url, null);
    await eventually(() => c.sync.status().connection === 'blocked', 'the link is blocked');
    expect(c.sync.status().blocked).toMatchObject({ kind: 'server_untrusted' });
  });
});

describe('plain HTTP only on loopback', () => {
  it('a server asked to listen on an address others can reach, without a certificate, refuses to start and says why in one line', () => {
    const { status, output } = runToEnd('dist/node/server.mjs', ['--host', '0.0.0.0', '--port', '0', '--data', join(dir.path, 'central.sqlite')]);
    expect(status).toBe(1);
    expect(output.trim()).toBe(
      'refusing to serve plain HTTP on 0.0.0.0, which other machines can reach: give --tls-cert FILE and --tls-key FILE, or listen on 127.0.0.1, or accept the risk with --insecure-http',
    );
  });

  it('the same server starts with --insecure-http, and with a certificate', async () => {
    const plain = await startServerProcess(join(dir.path, 'plain.sqlite'), 0, { args: ['--host', '0.0.0.0', '--insecure-http'] });
    running.push(plain);
    expect(plain.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    const tls = await startServerProcess(join(dir.path, 'tls.sqlite'), 0, { args: ['--host', '0.0.0.0', '--tls-cert', certificates.certFile, '--tls-key', certificates.keyFile] });
    running.push(tls);
    expect(tls.url).toMatch(/^https:\/\/0\.0\.0\.0:\d+$/);
  });

  it('a certificate without its key is refused at start', () => {
    const { status, output } = runToEnd('dist/node/server.mjs', ['--port', '0', '--data', join(dir.path, 'central.sqlite'), '--tls-cert', certificates.certFile]);
    expect(status).toBe(1);
    expect(output.trim()).toBe('--tls-cert and --tls-key go together: give both, the certificate and its private key');
  });

  it('a certificate with another certificate’s key is refused at start, in one line', () => {
    const other = makeTestCertificates(join(dir.path, 'other'), 'Another Force CA');
    const { status, output } = runToEnd('dist/node/server.mjs', ['--port', '0', '--data', join(dir.path, 'central.sqlite'), '--tls-cert', certificates.certFile, '--tls-key', other.keyFile]);
    expect(status).toBe(1);
    expect(output.trim().split('\n').at(-1)).toMatch(/^the TLS certificate and key cannot be used \(.*\): check --tls-cert and --tls-key$/);
  });

  it('a workstation given an http:// server that is not on this machine refuses to start and says why in one line', () => {
    const dataDir = join(dir.path, 'ws');
    mkdirSync(dataDir);
    const common = ['--workstation', 'WS-E', '--data-dir', dataDir, '--no-open', '--shell', 'browser', '--calls', 'none', '--vehicles', 'none'];
    const { status, output } = runToEnd('dist/node/console.mjs', ['--server', 'http://cad.force.example:4100', ...common]);
    expect(status).toBe(1);
    expect(output.trim()).toBe(
      "refusing to talk plain HTTP to cad.force.example:4100, which is not this machine: use its https:// address (with --ca FILE for your force's certificate authority), or accept the risk with --insecure-http",
    );
  });
});
