import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * One HTTP(S) request and its whole answer, through Node's own http and https rather than fetch: fetch cannot be
 * told which certificate authorities to trust without a dispatcher from the undici package, and a workstation must
 * trust its force's own authority (`--ca`).
 */
export interface ExchangeInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange, answer included, must be over within this (ms). */
  timeoutMs: number;
  /** PEM certificates of the authorities to trust instead of the system's; undefined: the system's. */
  ca?: string;
}

/** `phase`: whether the request never got an answer (`connect`) or the answer was cut off (`answer`). */
export class ExchangeError extends Error {
  constructor(
    message: string,
    readonly phase: 'connect' | 'answer',
    /** Node's error code (ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE…), when it gave one. */
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ExchangeError';
  }
}

/** An answer: its status, its body, and its Retry-After header if it had one. */
export interface ExchangeAnswer {
  status: number;
  text: string;
  retryAfter?: string;
}

export function httpExchange(url: URL, init: ExchangeInit): Promise<ExchangeAnswer> {
  const https = url.protocol === 'https:';
  const options = {
    method: init.method,
    headers: init.body === undefined ? init.headers : { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
    signal: AbortSignal.timeout(init.timeoutMs),
    ...(https && init.ca !== undefined ? { ca: init.ca } : {}),
  };
  return new Promise((resolve, reject) => {
    let answered = false;
    const fail = (error: Error & { code?: string }) => {
      const code = error.name === 'AbortError' ? 'ETIMEDOUT' : error.code;
      const message = error.name === 'AbortError' ? `no answer within ${init.timeoutMs} ms` : error.message;
      reject(new ExchangeError(message, answered ? 'answer' : 'connect', code));
    };
    const onResponse = (response: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      const retryAfter = response.headers['retry-after'];
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ...(retryAfter === undefined ? {} : { retryAfter }) }));
      response.on('error', fail);
    };
    const request = https ? httpsRequest(url, options, onResponse) : httpRequest(url, options, onResponse);
    request.on('error', fail);
    request.end(init.body);
  });
}
