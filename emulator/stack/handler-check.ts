/**
 * What serverless-esbuild's bundling would have caught, without bundling: every function's
 * handler file exists, parses, and each import it makes resolves. Local packaging skips
 * serverless-esbuild (the local cloud runs the TypeScript source), so this check is what
 * stops a broken import at packaging time, as a deploy to AWS would.
 *
 * One in-process esbuild build over all the handlers, writing nothing. Packages found in
 * node_modules are left out of the build (external) once they resolve: bundling the AWS
 * SDK would cost seconds and tell nothing more; a package that does not resolve is left to
 * esbuild, which reports it at the importing line. The AWS SDK resolves from the Lambda
 * runtime's own packages too (lambda/runtime-modules.ts), as on nodejs20.x and later.
 *
 * The build uses the output format serverless-esbuild would (`custom.esbuild.format`, CommonJS
 * when unset): a top-level await, fine in an ES module, fails `sls deploy` with the default, and
 * so it fails here, with what to change.
 */
import { builtinModules, createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Message, type Plugin } from 'esbuild';
// Not through lambda/index.ts: the Lambda service depends on the stack (a cycle).
import { resolveFromRuntime } from '../lambda/runtime-modules.ts';

/** The extensions serverless-esbuild tries for a handler's file, in its order. */
const HANDLER_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.mts', '.cts', '.tsx', '.jsx'];

export interface HandlerProblem {
  /** file:line in the service folder, when known. */
  at?: string;
  /** What the learner reads: where, what, and what to do. */
  message: string;
}

/** `functions/createVirus/handler.main` → the file it names, relative to the service. */
export function handlerFile(serviceDir: string, handler: string): string | undefined {
  const base = handler.slice(0, handler.lastIndexOf('.'));
  return HANDLER_EXTENSIONS.map((ext) => base + ext).find((file) => existsSync(join(serviceDir, file)));
}

const installedPackagesExternal: Plugin = {
  name: 'dojo-installed-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (builtinModules.includes(args.path) || args.path.startsWith('node:')) return { external: true };
      try {
        createRequire(join(args.resolveDir, 'importer.js')).resolve(args.path);
        return { external: true };
      } catch {
        // Lambda's runtime provides the SDK: an import of it loads without the project having it.
        return resolveFromRuntime(args.path) ? { external: true } : undefined;
      }
    });
  },
};

/** Returns the problems of the handlers (empty when they all build). */
export async function checkHandlers(
  serviceDir: string,
  handlers: string[],
  { format = 'esm' }: { format?: 'esm' | 'cjs' } = {},
): Promise<HandlerProblem[]> {
  const problems: HandlerProblem[] = [];
  const entries: string[] = [];
  for (const handler of [...new Set(handlers)]) {
    const file = handlerFile(serviceDir, handler);
    if (file) entries.push(file);
    else {
      const base = handler.slice(0, handler.lastIndexOf('.'));
      problems.push({
        at: 'serverless.ts',
        message: `handler '${handler}' names a file that does not exist: there is no ${base}.ts in ${serviceDir}. Check the handler's path in serverless.ts (handler: 'functions/<name>/handler.main' means functions/<name>/handler.ts, exporting main).`,
      });
    }
  }
  if (entries.length === 0) return problems;
  try {
    await build({
      entryPoints: entries,
      absWorkingDir: serviceDir,
      bundle: true,
      write: false,
      platform: 'node',
      target: 'node22',
      format,
      outdir: 'out',
      logLevel: 'silent',
      plugins: [installedPackagesExternal],
    });
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (!errors) throw err;
    for (const e of errors)
      problems.push({
        at: e.location ? `${e.location.file}:${e.location.line}` : undefined,
        message: describe(e),
      });
  }
  return problems;
}

function describe(e: Message): string {
  const at = e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}` : 'a handler';
  const source = e.location?.lineText ? `\n    ${e.location.lineText.trim()}` : '';
  const todo = /^Could not resolve/.test(e.text)
    ? " Check the import's path and extension (e.g. '../../lib/eventbridge.ts'), or install the package it names."
    : /^Top-level await/.test(e.text)
      ? " serverless-esbuild builds CommonJS unless told otherwise, and so fails the same way on sls deploy: move the await into the handler (or a function it calls once), or set format: 'esm' and outputFileExtension: '.mjs' in custom.esbuild in serverless.ts."
      : ' Fix the code at that line.';
  return `${at}: ${e.text}${source}\n  ${todo.trim()}`;
}
