/**
 * The sandbox runtime (sandbox-runtime.ts and what it imports) as one plain JavaScript
 * module, built by esbuild once per content and stored in `.dojo/sandbox-runtime/<hash>/`.
 *
 * Why: a sandbox used to load the runtime's seven TypeScript files through Node's own type
 * stripping, and every worker thread paid for it anew (amaro's WebAssembly compiled and run
 * in each isolate: 60–110 ms of a cold start, on each of a check's sandboxes). Built, a
 * sandbox loads one plain module, and the runtime no longer needs a Node.js that strips
 * types. The inline source map keeps the runtime's own stack frames naming its .ts files
 * (sandbox-sdk-calls.ts tells its frames from the learner's by that name).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { storeByContent } from './handler-bundle.ts';
import { ownImportMeta } from '../core/own-import-meta.mjs';

const RUNTIME_DIR = fileURLToPath(new URL('../../.dojo/sandbox-runtime/', import.meta.url));
const ENTRY = fileURLToPath(new URL('./sandbox-runtime.ts', import.meta.url));
const NAME = 'sandbox-runtime.mjs';

let built: Promise<string> | undefined;

/** The runtime's built file; built on the first call of the process, then reused. */
export function sandboxRuntimeFile(): Promise<string> {
  built ??= buildRuntime().catch((err: unknown) => {
    built = undefined; // a failed build (disk full...) is tried again by the next sandbox
    throw err;
  });
  return built;
}

async function buildRuntime(): Promise<string> {
  const out = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Every build sits at the same depth (<hash>/<name>): the map's relative paths hold.
    outfile: join(RUNTIME_DIR, 'build', NAME),
    sourcemap: 'inline',
    sourcesContent: false,
    keepNames: true,
    logLevel: 'silent',
    plugins: [ownImportMeta],
  });
  return storeByContent(RUNTIME_DIR, NAME, out.outputFiles[0].text);
}
