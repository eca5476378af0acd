// SPDX-License-Identifier: MIT
// Builds the playground: every page under pages/<name>/ (index.html and main.ts) is bundled for the
// browser by esbuild into dist/<name>/, with the library compiled from its TypeScript sources. The
// landing page is pages/home, served at /. A page's own build.mjs (not copied) writes its data files:
// its default export is called with the page's output folder.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Builds every page into `outDir` (default playground/dist); returns the page names. */
export async function buildPlayground(outDir = join(HERE, 'dist')) {
  rmSync(outDir, { recursive: true, force: true });
  const pagesDir = join(HERE, 'pages');
  const pages = readdirSync(pagesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const name of pages) {
    const src = join(pagesDir, name);
    const dest = name === 'home' ? outDir : join(outDir, name);
    mkdirSync(dest, { recursive: true });
    for (const f of readdirSync(src)) if (!f.endsWith('.ts') && f !== 'build.mjs') cpSync(join(src, f), join(dest, f), { recursive: true });
    if (existsSync(join(src, 'build.mjs'))) await (await import(pathToFileURL(join(src, 'build.mjs')).href)).default(dest);
    const entries = readdirSync(src).filter((f) => f === 'main.ts' || f.endsWith('.worker.ts'));
    if (entries.length === 0) continue;
    await build({
      entryPoints: entries.map((f) => join(src, f)),
      outdir: dest,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['strata-source'],
      sourcemap: 'linked',
      // layer captions and summary() use class names, which esbuild would otherwise rename on a clash (_Conv2d)
      keepNames: true,
      logLevel: 'warning',
    });
  }
  return pages;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? join(HERE, 'dist');
  const pages = await buildPlayground(out);
  if (!existsSync(out)) throw new Error(`playground build: nothing written to ${out}`);
  console.log(`playground: built ${pages.length} page(s) (${pages.join(', ')}) into ${out}`);
}
