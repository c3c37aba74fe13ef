import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Serves the page on 127.0.0.1 only, built afresh on every load so a refresh shows the latest
 * usage. Port 0 takes a free port. Resolves with the server once it listens.
 */
export function serveDashboard(page: () => string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || (path !== '/' && path !== '/index.html')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    try {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page());
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`spec-session dashboard: ${(error as Error).message.split('\n')[0]}\n`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use on 127.0.0.1 (leave out --port to take a free one)`) : error));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export function serverUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Until Ctrl-C (or SIGTERM): then the server closes and the command returns. */
export function untilInterrupted(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      server.closeAllConnections();
      server.close(() => resolve());
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
  });
}
