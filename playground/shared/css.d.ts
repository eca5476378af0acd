// SPDX-License-Identifier: MIT
// esbuild bundles a page's CSS imports into its main.css; to TypeScript they are side effects only.
declare module '*.css';
