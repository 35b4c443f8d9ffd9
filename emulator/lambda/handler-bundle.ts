/**
 * A TypeScript handler turned into the plain JavaScript its sandboxes load: one esbuild
 * bundle per handler, made in the local cloud's process before the first cold start.
 *
 * Why: loading TypeScript inside each sandbox (tsx) cost a hooks thread per worker and an
 * esbuild child process per file, on every cold start (550–650 ms of a session-4 handler's
 * init, against 300–400 ms for the same handler as a bundle). esbuild in process builds a
 * handler in tens of milliseconds, once per content.
 *
 * What the bundle keeps of the source:
 * - packages stay imports (`packages: 'external'`): the sandbox resolves them as if from the
 *   handler's own file (sandbox-resolve.ts), so the project's node_modules, then the
 *   runtime's AWS SDK, are found as before, and a missing one fails at init as on Lambda;
 * - an inline source map, so stack traces, unawaited-call warnings and the checker's
 *   file:line pointers name the TypeScript file and line;
 * - CommonJS, the format serverless-esbuild builds a handler in for AWS (esbuild's default on
 *   platform `node`; the sessions' `custom.esbuild` sets no other), whatever the package's
 *   `type`; ES module for a `.mts` file, and where CommonJS cannot hold the code (top-level
 *   await), so that what runs on AWS with `format: 'esm'` also runs here;
 * - `import.meta.url`/`dirname`/`filename` of each source file.
 *
 * CommonJS also loads faster: an ES module importing the AWS SDK's CommonJS packages makes Node
 * scan each of their large entry files for its export names (cjs-module-lexer), which was a
 * quarter to a half of a sandbox's init; `require` reads no names.
 *
 * Bundles are named by their content (`.dojo/lambda-bundles/<hash>/`), written once,
 * atomically: processes and test files running side by side share them safely.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Message } from 'esbuild';
import { ownImportMeta } from '../core/own-import-meta.mjs';
import type { LambdaError } from './sandbox-protocol.ts';

const BUNDLES_DIR = fileURLToPath(new URL('../../.dojo/lambda-bundles/', import.meta.url));

/** Where the sandbox loads the handler from, or why it cannot load at all. */
export type HandlerBundle = { file: string } | { error: LambdaError };

/** Plain JavaScript loads as it is; everything else (TypeScript, JSX) is bundled. */
export function needsBundle(sourceFile: string): boolean {
  return !['.js', '.mjs', '.cjs'].includes(extname(sourceFile));
}

/** Bundles `sourceFile`; never rejects (a build error is the handler's init error). */
export async function bundleHandler(sourceFile: string): Promise<HandlerBundle> {
  const first = extname(sourceFile) === '.mts' ? 'esm' : 'cjs';
  const built = await bundleAs(sourceFile, first);
  if ('error' in built && first === 'cjs' && built.topLevelAwait) return bundleAs(sourceFile, 'esm');
  return built;
}

async function bundleAs(
  sourceFile: string,
  format: 'esm' | 'cjs',
): Promise<HandlerBundle & { topLevelAwait?: boolean }> {
  const name = `${basename(sourceFile, extname(sourceFile))}.${format === 'esm' ? 'mjs' : 'cjs'}`;
  let code: string;
  try {
    const out = await build({
      entryPoints: [sourceFile],
      absWorkingDir: dirname(sourceFile),
      bundle: true,
      write: false,
      platform: 'node',
      target: 'node22',
      format,
      packages: 'external',
      // Every bundle sits at the same depth (<hash>/<name>), so the map's relative source
      // paths, computed for this placeholder folder, hold for the folder it ends up in.
      outfile: join(BUNDLES_DIR, 'build', name),
      sourcemap: 'inline',
      sourcesContent: false,
      keepNames: true,
      logLevel: 'silent',
      plugins: [ownImportMeta],
    });
    code = out.outputFiles[0].text;
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (!errors?.length) throw err;
    const topLevelAwait = errors.some((e) => /top-level await/i.test(e.text));
    return { error: initError(errors[0], dirname(sourceFile)), topLevelAwait };
  }
  return { file: storeByContent(BUNDLES_DIR, name, code) };
}

/**
 * Writes `code` as `<dir>/<hash of code>/<name>` unless it is there already, atomically:
 * processes and test files running side by side share what is stored. Returns its path.
 */
export function storeByContent(dir: string, name: string, code: string): string {
  const folder = join(dir, createHash('sha256').update(code).digest('hex').slice(0, 16));
  const file = join(folder, name);
  if (!existsSync(file)) {
    mkdirSync(folder, { recursive: true });
    const partial = `${file}.partial-${process.pid}-${Math.random().toString(36).slice(2)}`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return file;
}

/** What Lambda would report at init for a handler that does not build, with file:line:column. */
function initError(e: Message, workingDir: string): LambdaError {
  const at = e.location
    ? `${resolve(workingDir, e.location.file)}:${e.location.line}:${e.location.column + 1}`
    : 'the handler';
  const source = e.location?.lineText ? `\n    ${e.location.lineText.trim()}` : '';
  if (/^Could not resolve/.test(e.text))
    return {
      errorType: 'Runtime.ImportModuleError',
      errorMessage: `Error: ${at}: ${e.text}${source}\nCheck the import's path and extension (e.g. '../../lib/eventbridge.ts').`,
    };
  return {
    errorType: 'Runtime.UserCodeSyntaxError',
    errorMessage: `SyntaxError: ${at}: ${e.text}${source}`,
  };
}
