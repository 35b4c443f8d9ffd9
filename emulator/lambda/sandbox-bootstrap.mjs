// Entry of a Lambda sandbox worker: TypeScript handlers load through tsx, then the runtime runs.
//
// The AWS SDK is the runtime's, as on Lambda (runtime-modules.ts): an import the handler's
// own node_modules cannot satisfy is tried again from the runtime's folder. CommonJS finds
// it through NODE_PATH (set by service.ts); ES modules ignore NODE_PATH, hence this hook.
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';

const runtimeParent = pathToFileURL(`${workerData.runtimeModules}/importer.mjs`).href;
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (err) {
      if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !/^@(aws-sdk|smithy)\//.test(specifier)) throw err;
      try {
        return nextResolve(specifier, { ...context, parentURL: runtimeParent });
      } catch {
        throw err;
      }
    }
  },
});

//
// tsx compiles with esbuild's synchronous API, which by default runs esbuild in a worker
// thread of its own; a child process started from such a nested thread is never reaped, so
// every sandbox left a zombie `esbuild` behind in the local cloud's process (a day of
// `npm start` piles them up). With ESBUILD_WORKER_THREADS=0 esbuild runs as a plain
// synchronous child, waited for. esbuild reads the variable once, when it loads: it is
// removed again before the handler's code runs, so the handler sees the environment it set.
process.env.ESBUILD_WORKER_THREADS = '0';
const { register } = await import('tsx/esm/api');
register();
delete process.env.ESBUILD_WORKER_THREADS;
await import('./sandbox-runtime.ts');
