/**
 * Module resolution inside a sandbox, as Lambda's: the handler's imports resolve from its own
 * file's place (its folder's node_modules), then from the runtime's provided packages (the
 * AWS SDK, runtime-modules.ts), searched last. Installed once per sandbox, when it learns
 * which function it runs (sandbox-runtime.ts), before the handler loads.
 */
import { createRequire, isBuiltin, registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { SandboxInit } from './sandbox-protocol.ts';

/** The AWS SDK is the runtime's, as on Lambda (runtime-modules.ts), searched last. */
const providedByRuntime = (err: unknown, specifier: string) =>
  ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes((err as { code?: string })?.code ?? '') &&
  /^@(aws-sdk|smithy)\//.test(specifier);

export function resolveAsLambda(
  init: Pick<SandboxInit, 'runtimeModules' | 'bundleFile' | 'sourceFile'>,
): void {
  const runtimeParent = pathToFileURL(`${init.runtimeModules}/importer.mjs`).href;
  const bundleUrl = init.bundleFile && pathToFileURL(init.bundleFile).href;
  const sourceUrl = pathToFileURL(init.sourceFile).href;
  // CommonJS resolution ignores a changed parentURL (it walks the requiring module's folders),
  // so a CommonJS bundle's requires are resolved by requires made at the source file's place.
  const cjsBundle = init.bundleFile?.endsWith('.cjs');
  const sourceRequire = createRequire(init.sourceFile);
  const runtimeRequire = createRequire(`${init.runtimeModules}/importer.cjs`);

  registerHooks({
    resolve(specifier, context, nextResolve) {
      // The bundle's package imports resolve as the handler's own file would resolve them:
      // from its folder's node_modules (then the runtime's), not from the bundle's folder.
      const fromBundle = bundleUrl && context.parentURL === bundleUrl;
      if (fromBundle && cjsBundle && !isBuiltin(specifier)) {
        let path: string;
        try {
          path = sourceRequire.resolve(specifier);
        } catch (err) {
          if (!providedByRuntime(err, specifier)) throw err;
          path = runtimeRequire.resolve(specifier);
        }
        return { url: pathToFileURL(path).href, format: 'commonjs', shortCircuit: true };
      }
      const ctx = fromBundle ? { ...context, parentURL: sourceUrl } : context;
      try {
        return nextResolve(specifier, ctx);
      } catch (err) {
        // CommonJS also finds the SDK through NODE_PATH (set by service.ts); ES modules do not.
        if (!providedByRuntime(err, specifier)) throw err;
        try {
          return nextResolve(specifier, { ...ctx, parentURL: runtimeParent });
        } catch {
          throw err;
        }
      }
    },
  });
}
