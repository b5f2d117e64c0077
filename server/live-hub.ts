import type { WebSocket } from 'ws';
import { LIVE_ACCESS_WITHDRAWN, type LiveMessage } from '../shared/sync/protocol';

/**
 * The workstations listening for changes. A poke says only "the head is now N": each workstation then pulls from
 * its own cursor, so a lost or repeated poke costs nothing but a pull.
 */
export class LiveHub {
  /** Each open socket, and the client id of the workstation it belongs to. */
  private readonly sockets = new Map<WebSocket, string>();
  private lastPoked = 0;

  add(socket: WebSocket, hello: LiveMessage, clientId: string): void {
    this.sockets.set(socket, clientId);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(JSON.stringify(hello));
  }

  /** The workstations with a live channel open now (client ids, each once). */
  clients(): string[] {
    return [...new Set(this.sockets.values())];
  }

  /** Closes every live channel of this workstation, its access withdrawn. `reason` must fit a close frame: 123 bytes. */
  closeClient(clientId: string, reason: string): void {
    for (const [socket, owner] of this.sockets) {
      if (owner !== clientId) continue;
      socket.close(LIVE_ACCESS_WITHDRAWN, reason);
      this.sockets.delete(socket);
    }
  }

  poke(head: number): void {
    if (head <= this.lastPoked) return;
    this.lastPoked = head;
    const message = JSON.stringify({ type: 'poke', head } satisfies LiveMessage);
    for (const socket of this.sockets.keys()) {
      if (socket.readyState === socket.OPEN) socket.send(message);
    }
  }

  /** Sends a message to every open channel (the exercise clock's changes). */
  broadcast(message: LiveMessage): void {
    const text = JSON.stringify(message);
    for (const socket of this.sockets.keys()) {
      if (socket.readyState === socket.OPEN) socket.send(text);
    }
  }

  get size(): number {
    return this.sockets.size;
  }

  closeAll(): void {
    for (const socket of this.sockets.keys()) socket.terminate();
    this.sockets.clear();
  }
}
