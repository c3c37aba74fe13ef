/**
 * The served dashboard answers only requests addressed to itself: a page on another site that
 * rebinds its DNS name to 127.0.0.1 sends its own Host header, and must not read the user's costs.
 */
import { request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDashboard } from '../../src/dashboard/serve-dashboard.js';

let server: Server;
let port: number;
beforeAll(async () => {
  server = await serveDashboard(() => '<p>costs</p>', 0);
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

/** A GET / with exactly this Host header (none when undefined), as a raw client sends it. */
function get(host: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        method: 'GET',
        setHost: false,
        headers: host === undefined ? {} : { host },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the Host header', () => {
  it.each(['127.0.0.1:{port}', 'localhost:{port}', 'LOCALHOST:{port}', '[::1]:{port}'])(
    '%s is served',
    async (host) => {
      expect(await get(host.replace('{port}', String(port)))).toEqual({ status: 200, body: '<p>costs</p>' });
    },
  );

  it.each([
    'evil.example:{port}',
    '127.0.0.1.evil.example:{port}',
    'localhost:1',
    '127.0.0.1',
    'localhost',
    '',
    undefined,
  ])('%j gets 421 and one line', async (host) => {
    const sent = host?.replace('{port}', String(port));
    const r = await get(sent);
    expect(r.status).toBe(421);
    expect(r.body).toBe(
      `spec-session dashboard: this server answers only http://127.0.0.1:${port}/ (got Host ${JSON.stringify(sent ?? '')})\n`,
    );
  });
});
