// SPDX-License-Identifier: MIT
import * as st from 'strata-dl';

/**
 * Chooses the backend for a CLI command: the --backend option, else the STRATA_BACKEND environment
 * variable (read here, in the CLI, never in the library), else the library default.
 */
export function selectBackend(option?: string, threads?: number): string {
  const name = option ?? process.env.STRATA_BACKEND;
  if (name) st.setBackend(name);
  const backend = st.getBackend().name;
  if (threads !== undefined) {
    if (backend !== 'wasm') throw new st.StrataError('train', `--threads applies to the wasm backend, but the backend is '${backend}'`);
    st.setNumThreads(threads);
  }
  return backend;
}
