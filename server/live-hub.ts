import type { WebSocket } from 'ws';
import { LIVE_ACCESS_WITHDRAWN, type LiveMessage } from '../shared/sync/protocol';
import type { ForceCode } from '../shared/domain/force';

/**
 * The workstations listening for changes. A poke says only "the head is now N": each workstation then pulls from
 * its own cursor, so a lost or repeated poke costs nothing but a pull.
 */
export class LiveHub {
  /** Each open socket, and the client id of the workstation it belongs to. */
  private readonly sockets = new Map<WebSocket, string>();
  /** Each open socket's workstation's force (null: none, never poked). */
  private readonly forces = new Map<WebSocket, ForceCode | null>();
  /** The newest head each force's workstations were poked about. */
  private readonly lastPoked = new Map<ForceCode, number>();

  add(socket: WebSocket, hello: LiveMessage, clientId: string, force: ForceCode | null): void {
    this.sockets.set(socket, clientId);
    this.forces.set(socket, force);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.forces.delete(socket);
    });
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
      this.forces.delete(socket);
    }
  }

  /**
   * Tells the workstations of the forces in `forcesToPoke` (server/partition-filter.ts: those that may see one of the
   * changes up to `head`) that the head moved; no other force's workstation learns even that something changed.
   */
  poke(head: number, forcesToPoke: ReadonlySet<ForceCode>): void {
    // Per force: a poke for one force must not hold back another's about an older head that arrives later.
    const poked = new Set([...forcesToPoke].filter((force) => head > (this.lastPoked.get(force) ?? 0)));
    if (poked.size === 0) return;
    for (const force of poked) this.lastPoked.set(force, head);
    const message = JSON.stringify({ type: 'poke', head } satisfies LiveMessage);
    for (const [socket, force] of this.forces) {
      if (force === null || !poked.has(force)) continue;
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
    this.forces.clear();
  }
}
