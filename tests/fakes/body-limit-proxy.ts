import { createServer, request as forward, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A reverse proxy before the server that refuses request bodies over a limit with 413 and a page of HTML, as a
 * proxy in front of a real server does (nginx's client_max_body_size is 1 MB unless set); everything else, the
 * live channel's WebSocket included, passes through unchanged.
 */
export class BodyLimitProxy {
  private readonly sockets = new Set<Socket>();
  /** Requests refused as too large. */
  refused = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(targetPort: number, limitBytes: number): Promise<BodyLimitProxy> {
    const holder: { proxy?: BodyLimitProxy } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        chunks.push(chunk);
      });
      request.on('end', () => {
        if (size > limitBytes) {
          holder.proxy!.refused += 1;
          response.writeHead(413, { 'content-type': 'text/html' });
          response.end('<html><head><title>413 Request Entity Too Large</title></head><body>413 Request Entity Too Large</body></html>');
          return;
        }
        const upstream = forward({ host: '127.0.0.1', port: targetPort, method: request.method, path: request.url, headers: request.headers }, (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        });
        upstream.on('error', () => response.destroy());
        upstream.end(Buffer.concat(chunks));
      });
    });
    server.on('upgrade', (request, client: Socket, head: Buffer) => {
      const upstream = connect(targetPort, '127.0.0.1', () => {
        const lines = [`${request.method} ${request.url} HTTP/1.1`];
        for (let i = 0; i < request.rawHeaders.length; i += 2) lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        upstream.write(head);
        client.pipe(upstream).pipe(client);
      });
      for (const socket of [client, upstream]) {
        holder.proxy!.sockets.add(socket);
        socket.on('error', () => (client.destroy(), upstream.destroy()));
        socket.on('close', () => (client.destroy(), upstream.destroy()));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.proxy = new BodyLimitProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.proxy;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
