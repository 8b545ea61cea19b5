import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { GuardCounters } from './guard-counters.js';

/**
 * Holds the number of open client connections at `maxConnections`. A connection that is not carrying a request
 * (silent since it opened, or idle between keep-alive requests) is the cheapest to lose, so at the limit the one
 * idle for longest is closed to admit the newcomer; only when every connection is busy is the newcomer refused.
 * That keeps a flood of idle sockets from locking out clients that send requests.
 */
export function guardConnections(server: Server, maxConnections: number, counters: GuardCounters): void {
  /** Idle sockets, oldest first (a Set keeps insertion order). */
  const idle = new Set<Socket>();
  const busy = new Map<Socket, number>();

  server.on('connection', (socket: Socket) => {
    if (counters.openConnections >= maxConnections) {
      const oldest = idle.values().next();
      if (oldest.done) {
        counters.refusedConnections++;
        socket.destroy();
        return;
      }
      idle.delete(oldest.value);
      counters.evictedIdleConnections++;
      oldest.value.destroy();
    }
    counters.openConnections++;
    idle.add(socket);
    socket.once('close', () => {
      counters.openConnections--;
      idle.delete(socket);
      busy.delete(socket);
    });
  });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    if (socket.destroyed) return;
    idle.delete(socket);
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    response.once('close', () => {
      const remaining = (busy.get(socket) ?? 1) - 1;
      if (remaining > 0) {
        busy.set(socket, remaining);
        return;
      }
      busy.delete(socket);
      if (!socket.destroyed) idle.add(socket);
    });
  });
}
