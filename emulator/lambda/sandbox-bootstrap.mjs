// Entry of a Lambda sandbox worker: module resolution as Lambda's, source maps on, then the
// runtime runs.
//
// No TypeScript loader here (it used to be tsx: a hooks thread and an esbuild child process
// per sandbox, most of a cold start). A TypeScript handler arrives bundled as plain
// JavaScript (handler-bundle.ts); the runtime's own modules load through Node's type
// stripping, which is why they keep to erasable TypeScript. sandbox.ts starts the worker
// without the parent's --import flags, so a parent run through tsx does not load it here.
import { createRequire, isBuiltin, registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';

// The bundle's inline source map turns its stack frames back into the handler's TS lines.
process.setSourceMapsEnabled(true);

const runtimeParent = pathToFileURL(`${workerData.runtimeModules}/importer.mjs`).href;
const bundleUrl = workerData.bundleFile && pathToFileURL(workerData.bundleFile).href;
const sourceUrl = pathToFileURL(workerData.sourceFile).href;
// CommonJS resolution ignores a changed parentURL (it walks the requiring module's folders),
// so a CommonJS bundle's requires are resolved by requires made at the source file's place.
const cjsBundle = workerData.bundleFile?.endsWith('.cjs');
const sourceRequire = createRequire(workerData.sourceFile);
const runtimeRequire = createRequire(`${workerData.runtimeModules}/importer.cjs`);

/** The AWS SDK is the runtime's, as on Lambda (runtime-modules.ts), searched last. */
const providedByRuntime = (err, specifier) =>
  ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes(err?.code) && /^@(aws-sdk|smithy)\//.test(specifier);

registerHooks({
  resolve(specifier, context, nextResolve) {
    // The bundle's package imports resolve as the handler's own file would resolve them:
    // from its folder's node_modules (then the runtime's), not from the bundle's folder.
    const fromBundle = bundleUrl && context.parentURL === bundleUrl;
    if (fromBundle && cjsBundle && !isBuiltin(specifier)) {
      let path;
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

await import('./sandbox-runtime.ts');
