import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { StartProblem } from './start-problem';

/**
 * The rules both ends of the sync link follow about encryption: plain HTTP only where no one else can listen (the
 * loopback interface), TLS everywhere else unless someone says, by a flag, that they accept the risk.
 */

/** The flag that lets plain HTTP off the loopback interface, named alike on the server and the workstation. */
export const INSECURE_HTTP_FLAG = '--insecure-http';

/**
 * True for an address only this machine can reach: `localhost`, 127.0.0.0/8, ::1 (and ::ffff:127.x). A host name
 * other than localhost is not loopback, whatever it resolves to today.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare) || /^(0+:){7}0*1$/.test(bare);
  return false;
}

/**
 * The server's refusal to listen without TLS on an address others can reach: a StartProblem, said in one line,
 * unless `--insecure-http` was given. `host`: the address it listens on.
 */
export function checkServerListening(host: string, tls: boolean, insecureHttp: boolean): void {
  if (tls || insecureHttp || isLoopbackHost(host)) return;
  throw new StartProblem(
    `refusing to serve plain HTTP on ${host}, which other machines can reach: give --tls-cert FILE and --tls-key FILE, or listen on 127.0.0.1, or accept the risk with ${INSECURE_HTTP_FLAG}`,
  );
}

/**
 * The workstation's refusal of an http:// server that is not on this machine, unless `--insecure-http` was given;
 * each of several comma-separated addresses (instances of one server) is checked.
 */
export function checkServerUrl(serverUrl: string, insecureHttp: boolean): void {
  for (const each of serverUrl.split(',')) checkOneServerUrl(each, insecureHttp);
}

function checkOneServerUrl(serverUrl: string, insecureHttp: boolean): void {
  const url = new URL(serverUrl);
  if (url.protocol !== 'http:' || insecureHttp || isLoopbackHost(url.hostname)) return;
  throw new StartProblem(
    `refusing to talk plain HTTP to ${url.host}, which is not this machine: use its https:// address (with --ca FILE for your force's certificate authority), or accept the risk with ${INSECURE_HTTP_FLAG}`,
  );
}

/** Reads a PEM file named on the command line (a certificate, a key, a CA); a StartProblem naming it if it cannot. */
export function readPemFile(option: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StartProblem(`cannot read ${option} ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (!text.includes('-----BEGIN ')) throw new StartProblem(`${option} ${file} is not a PEM file (no "-----BEGIN" line)`);
  return text;
}
