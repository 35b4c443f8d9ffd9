#!/usr/bin/env node
// The `dojo` CLI as the npm scripts start it: `node checker/bin/dojo.mjs <command> ...`.
// Plain JavaScript, so Node runs it with no loader: it runs dojo.ts built once into plain
// JavaScript (cli-build.mjs: rebuilt when a source changes), instead of loading each of
// the kit's TypeScript modules through tsx on every start. `node --import tsx
// checker/bin/dojo.ts` still runs the sources as they are.
import { pathToFileURL } from 'node:url';
import { enableCompileCache, flushCompileCacheSoon } from './compile-cache.mjs';

// Before the CLI's chunks load: they, osls and the sandboxes' SDK compile from the cache.
enableCompileCache();
const { cliEntry } = await import('./cli-build.mjs');

// The built chunks carry source maps: a crash names the kit's .ts files and lines.
process.setSourceMapsEnabled(true);

let entry;
try {
  entry = await cliEntry();
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}
const { main } = await import(pathToFileURL(entry).href);
flushCompileCacheSoon();
await main(process.argv.slice(2));
