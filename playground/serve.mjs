// SPDX-License-Identifier: MIT
// Serves the built playground on loopback with the two headers that make a page cross-origin
// isolated (so the wasm backend gets shared memory and its Web Worker pool).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.map': 'application/json',
  '.safetensors': 'application/octet-stream', '.wasm': 'application/wasm',
};

/**
 * Serves `dir` on 127.0.0.1:`port` (0 picks a free port). `isolated: false` leaves out COOP/COEP, to
 * try the pages as an ordinary host would serve them. With `runsDir`, /runs/<path> serves files of
 * that folder (the run folders `strata train` writes), so the pages can load trained models.
 * Resolves to the server and its URL.
 */
export function servePlayground({ dir = join(HERE, 'dist'), port = 5173, isolated = true, runsDir = undefined } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const root = runsDir && path.startsWith('/runs/') ? runsDir : dir;
    let file = normalize(join(root, root === dir ? path : path.slice('/runs'.length)));
    // inside the served folder (a decoded %2F could otherwise reach a sibling such as runs-old/)
    if (file !== normalize(root) && !file.startsWith(join(normalize(root), sep))) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${path}`); return; }
    const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
    if (isolated) Object.assign(headers, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = process.argv.indexOf('--port');
  const port = arg > 0 ? Number(process.argv[arg + 1]) : Number(process.env.PORT ?? 5173);
  // /runs/ serves the run folders of the current directory (runs/mnist-cnn-bn/ after `npm start`).
  const runsDir = join(process.cwd(), 'runs');
  const { url } = await servePlayground({ port, runsDir });
  console.log(`Strata playground at ${url} (cross-origin isolated; Ctrl-C stops it; /runs/ serves ${runsDir})`);
}
