import { createServer } from 'node:http';
import { Pool } from 'undici';

/**
 * The baseline: a pass-through proxy that forwards the request to the vendor as it came,
 * with one keep-alive pool, and streams the answer back. No auth, no mapping, no database.
 */
async function main(): Promise<void> {
  const target = process.env.TARGET_URL;
  if (!target) throw new Error('TARGET_URL is required');
  const pool = new Pool(target, { connections: 64 });
  const server = createServer((req, res) => {
    pool
      .request({
        method: 'GET',
        path: req.url ?? '/',
        headers: { authorization: req.headers.authorization ?? '' },
      })
      .then(async (upstream) => {
        res.writeHead(upstream.statusCode, {
          'content-type': String(upstream.headers['content-type'] ?? 'application/json'),
        });
        for await (const chunk of upstream.body) res.write(chunk);
        res.end();
      })
      .catch(() => {
        res.writeHead(502).end();
      });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') console.log(`PROXY http://127.0.0.1:${address.port}`);
  });
  process.once('SIGTERM', () => server.close(() => void pool.close().then(() => process.exit(0))));
}

void main();
