import type { Server } from 'node:http';
import { http } from '../store/lazy-builtins.js';
import type { AddressInfo } from 'node:net';

/**
 * Serves the page on 127.0.0.1 only, built afresh on every load so a refresh shows the latest
 * usage. Port 0 takes a free port. Resolves with the server once it listens.
 */
export function serveDashboard(page: () => string, port: number): Promise<Server> {
  // Our own one-line 421 for a missing Host too, not node's bare 400.
  const server = http().createServer({ requireHostHeader: false }, (req, res) => {
    const served = (server.address() as AddressInfo).port;
    if (!isOwnHost(req.headers.host, served)) {
      res
        .writeHead(421, { 'content-type': 'text/plain' })
        .end(
          `spec-session dashboard: this server answers only http://127.0.0.1:${served}/ (got Host ${JSON.stringify(req.headers.host ?? '')})\n`,
        );
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || (path !== '/' && path !== '/index.html')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    try {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page());
    } catch (error) {
      res
        .writeHead(500, { 'content-type': 'text/plain' })
        .end(`spec-session dashboard: ${(error as Error).message.split('\n')[0]}\n`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} is in use on 127.0.0.1 (leave out --port to take a free one)`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * DNS rebinding: a page on another site can point its own name at 127.0.0.1 and read this server,
 * but its requests still carry its name in Host. Only the loopback names with the served port pass.
 */
function isOwnHost(host: string | undefined, port: number): boolean {
  const own = ['127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${port}`);
  return host !== undefined && own.includes(host.toLowerCase());
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
