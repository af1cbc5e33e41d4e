// Serves the console build (packages/console/dist, or lib/console in the packed bundle) with a single-page-app fallback to index.html.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// From the sources: packages/console/dist. From the packed bundle (scripts/pack.mjs): lib/console.
const packed = resolve(fileURLToPath(new URL('./console', import.meta.url)));
export const consoleDist = existsSync(join(packed, 'index.html'))
  ? packed
  : resolve(fileURLToPath(new URL('../../console/dist', import.meta.url)));

export function registerConsole(app: FastifyInstance, dist = consoleDist): void {
  const index = join(dist, 'index.html');
  app.get('/*', (req, reply) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.startsWith('/api/')) return reply.code(404).send({ error_code: 404, message: `no API at ${path}` });
    const file = normalize(join(dist, path));
    // inside dist only: a sibling such as dist-leak.txt also starts with the string dist
    if (file.startsWith(dist + sep) && existsSync(file) && statSync(file).isFile()) {
      const immutable = path.startsWith('/assets/');
      return reply
        .header('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
        .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .send(readFileSync(file));
    }
    if (!existsSync(index)) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The console is not built yet: run `pnpm build` (pnpm start does it for you). The APIs under /api work.');
    }
    return reply.header('content-type', TYPES['.html']).header('cache-control', 'no-cache').send(readFileSync(index));
  });
}
