import WebSocket from 'ws';
import { SCHEMA_VERSION, type CommandEnvelope, type PullResponse, type PushResponse } from '../../shared/sync/protocol';
import { TEST_ENROLMENT_KEY } from './processes';

/**
 * A workstation reduced to its HTTP conversation with a server: enrolled, an operator signed in, commands pushed
 * with that operator's ticket. For tests of servers in their own processes.
 */
export class HttpWorkstation {
  private constructor(
    readonly baseUrl: string,
    readonly clientId: string,
    private readonly token: string,
    private ticket = '',
  ) {}

  /** `force`: the force it is enrolled for (default the demonstration force, DMO). */
  static async enrol(baseUrl: string, clientId: string, key = TEST_ENROLMENT_KEY, force = 'DMO'): Promise<HttpWorkstation> {
    const response = await fetch(`${baseUrl}/v1/enrol`, { method: 'POST', body: JSON.stringify({ clientId, workstation: 'WS-HTTP', enrolmentKey: key, force }) });
    if (!response.ok) throw new Error(`enrolment refused: ${response.status} ${await response.text()}`);
    const { deviceToken } = (await response.json()) as { deviceToken: string };
    return new HttpWorkstation(baseUrl, clientId, deviceToken);
  }

  get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  /** Signs in one of the demonstration force's operators (password "demo"). */
  async signIn(operator = 'alice', password = 'demo'): Promise<this> {
    const response = await fetch(`${this.baseUrl}/v1/sign-in`, { method: 'POST', headers: this.headers, body: JSON.stringify({ operator, password }) });
    if (!response.ok) throw new Error(`sign-in refused: ${response.status}`);
    this.ticket = ((await response.json()) as { ticket: string }).ticket;
    return this;
  }

  /** Pushes commands, filling in the signed-in operator's ticket where a command has none. */
  push(commands: CommandEnvelope[], baseUrl = this.baseUrl): Promise<Response> {
    const signed = commands.map((c) => (c.ticket ? c : { ...c, ticket: this.ticket }));
    return fetch(`${baseUrl}/v1/push`, { method: 'POST', headers: this.headers, body: JSON.stringify({ clientId: this.clientId, schemaVersion: SCHEMA_VERSION, commands: signed }) });
  }

  async pushed(commands: CommandEnvelope[]): Promise<PushResponse> {
    const response = await this.push(commands);
    if (!response.ok) throw new Error(`push failed: ${response.status} ${await response.text()}`);
    return (await response.json()) as PushResponse;
  }

  pull(since = 0, baseUrl = this.baseUrl): Promise<Response> {
    return fetch(`${baseUrl}/v1/pull?since=${since}&clientId=${this.clientId}&afterClientSeq=0`, { headers: this.headers });
  }

  async pulled(since = 0, baseUrl = this.baseUrl): Promise<PullResponse> {
    return (await (await this.pull(since, baseUrl)).json()) as PullResponse;
  }

  /** The live channel, opened as a workstation of `schemaVersion` would (none: as one from before version 5). */
  live(baseUrl = this.baseUrl, schemaVersion?: number): WebSocket {
    const query = schemaVersion === undefined ? '' : `?schemaVersion=${schemaVersion}`;
    return new WebSocket(`${baseUrl.replace('http', 'ws')}/v1/live${query}`, { headers: this.headers });
  }
}
