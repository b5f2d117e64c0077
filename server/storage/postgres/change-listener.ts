import { Client, type ClientConfig } from 'pg';
import type { Logger } from 'pino';

export interface ChangeListenerOptions {
  config: ClientConfig;
  channel: string;
  log: Logger;
  onNotification(payload: string): void;
  /**
   * Listening again after the connection was lost, with the head read on the new connection: a change made while
   * this instance was deaf sent a notification nobody heard, so the caller pokes with this head.
   */
  onReconnected(head: number): void;
}

const HEARTBEAT_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
const MAX_RETRY_MS = 1_000;

/**
 * One dedicated connection that LISTENs for the other instances' changes. A pooled connection cannot listen: the
 * pool hands it to other work and closes it when idle. When the connection drops (PostgreSQL restarted, the network
 * broke) it reconnects with backoff for as long as the storage is open; a heartbeat finds a connection that died
 * without closing.
 */
export class ChangeListener {
  private client: Client | null = null;
  private closed = false;
  private retryMs = 100;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(private readonly options: ChangeListenerOptions) {
    this.heartbeat = setInterval(() => void this.checkAlive(), HEARTBEAT_MS).unref();
  }

  /** Listening before it returns, so that no change after the storage opened goes unheard. */
  static async start(options: ChangeListenerOptions): Promise<ChangeListener> {
    const listener = new ChangeListener(options);
    try {
      await listener.connect();
    } catch (error) {
      await listener.close();
      throw error;
    }
    return listener;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  /** Whether the LISTEN connection is up (for tests and health). */
  get listening(): boolean {
    return this.client !== null;
  }

  private async connect(): Promise<number> {
    const client = new Client(this.options.config);
    client.on('error', (error) => {
      this.options.log.warn({ err: error }, 'PostgreSQL change listener lost its connection');
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel === this.options.channel && message.payload) this.options.onNotification(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
      const { rows } = await client.query<{ value: number }>(`SELECT value FROM counters WHERE name = 'seq'`);
      if (this.closed) throw new Error('closed while connecting');
      this.client = client;
      return rows[0]?.value ?? 0;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    void client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().then(
        (head) => {
          this.retryMs = 100;
          this.options.log.info({ head }, 'PostgreSQL change listener listening again');
          this.options.onReconnected(head);
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs).unref();
  }

  private async checkAlive(): Promise<void> {
    const client = this.client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('heartbeat timed out')), HEARTBEAT_TIMEOUT_MS);
    });
    try {
      await Promise.race([client.query('SELECT 1'), timeout]);
    } catch (error) {
      this.options.log.warn({ err: error }, 'PostgreSQL change listener heartbeat failed');
      this.lost(client);
    } finally {
      clearTimeout(timer);
    }
  }
}
