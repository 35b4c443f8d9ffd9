// Entry of a Lambda sandbox worker: source maps on, then the runtime, built as plain
// JavaScript (sandbox-runtime-file.ts), which waits for the function it is for.
//
// No TypeScript loader here (it used to be tsx: a hooks thread and an esbuild child process
// per sandbox, then Node's type stripping of the runtime in each worker). A TypeScript
// handler arrives bundled as plain JavaScript (handler-bundle.ts). sandbox-workers.ts starts
// the worker without the parent's --import flags, so a parent run through tsx does not load
// it here.
import nodeModule from 'node:module';
import { workerData } from 'node:worker_threads';

// Before the runtime and the SDK load: compiled from the process's code cache when it has one.
if (workerData.compileCacheDir) nodeModule.enableCompileCache?.(workerData.compileCacheDir);

// Before any module with a map loads: the runtime's frames name its .ts files, and the
// handler bundle's inline map turns its stack frames back into the handler's TS lines.
process.setSourceMapsEnabled(true);

await import(workerData.runtimeUrl);
