import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConsoleOptions } from '../../launch/console-options';
import { checkServerListening, checkServerUrl, isLoopbackHost } from '../../node-common/link-security';
import { StartProblem } from '../../node-common/start-problem';

describe('plain HTTP only where no one else can listen', () => {
  it('takes loopback addresses, and only them, as this machine', () => {
    for (const host of ['localhost', 'LOCALHOST', 'ws.localhost', '127.0.0.1', '127.8.9.10', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    // A name is not loopback whatever it resolves to today; 0.0.0.0 listens on every interface.
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.0.2.1', '128.0.0.1', 'cad.force.example', 'localhost.example', '::2']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('the server listens without TLS on loopback, or anywhere when told to accept the risk, or with a certificate', () => {
    expect(() => checkServerListening('127.0.0.1', false, false)).not.toThrow();
    expect(() => checkServerListening('0.0.0.0', true, false)).not.toThrow();
    expect(() => checkServerListening('0.0.0.0', false, true)).not.toThrow();
    expect(() => checkServerListening('10.0.0.5', false, false)).toThrow(StartProblem);
  });

  it('a workstation takes https:// anywhere, http:// on this machine, and http:// elsewhere only when told to', () => {
    expect(() => checkServerUrl('https://cad.force.example:4100', false)).not.toThrow();
    expect(() => checkServerUrl('http://127.0.0.1:4100', false)).not.toThrow();
    expect(() => checkServerUrl('http://[::1]:4100', false)).not.toThrow();
    expect(() => checkServerUrl('http://cad.force.example:4100', true)).not.toThrow();
    expect(() => checkServerUrl('http://10.0.0.5:4100', false)).toThrow(/refusing to talk plain HTTP to 10\.0\.0\.5:4100/);
  });

  it('the console’s options carry the CA file and the flag through to the core (both hosts)', () => {
    expect(parseConsoleOptions(['--server', 'https://cad.force.example', '--ca', 'force-ca.pem'])).toMatchObject({ caFile: resolve('force-ca.pem'), insecureHttp: false });
    expect(parseConsoleOptions(['--server', 'http://10.0.0.5:4100', '--insecure-http'])).toMatchObject({ caFile: null, insecureHttp: true });
  });
});
