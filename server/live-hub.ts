import type { WebSocket } from 'ws';
import type { LiveMessage } from '../shared/sync/protocol';

/**
 * The workstations listening for changes. A poke says only "the head is now N": each workstation then pulls from
 * its own cursor, so a lost or repeated poke costs nothing but a pull.
 */
export class LiveHub {
  private readonly sockets = new Set<WebSocket>();
  private lastPoked = 0;

  add(socket: WebSocket, hello: LiveMessage): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(JSON.stringify(hello));
  }

  poke(head: number): void {
    if (head <= this.lastPoked) return;
    this.lastPoked = head;
    const message = JSON.stringify({ type: 'poke', head } satisfies LiveMessage);
    for (const socket of this.sockets) {
      if (socket.readyState === socket.OPEN) socket.send(message);
    }
  }

  get size(): number {
    return this.sockets.size;
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
  }
}
