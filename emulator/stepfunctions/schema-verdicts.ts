/**
 * asl-validator's verdicts on definitions, kept in memory and on disk. The validator builds a
 * new Ajv and compiles its fifteen schemas on every call (0.3–1.7 s of a check's main thread,
 * load-dependent), and the same definitions come back on every redeploy of `npm run dev` and
 * every check of a session, each check being a new process: a verdict is computed once per
 * definition text, validator version and version of the code that reads its findings.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE_DIR = fileURLToPath(new URL('../../.dojo/cache/asl-schema/', import.meta.url));
const KEPT_IN_MEMORY = 200;
const memory = new Map<string, unknown>();

/**
 * What makes a verdict stale besides the definition: the validator's version and the files
 * that turn its findings into diagnostics (given by the caller, read once).
 */
function versionOf(readers: string[]): string {
  const hash = createHash('sha256');
  hash.update(String(createRequire(import.meta.url)('asl-validator/package.json').version));
  for (const file of readers) hash.update(readFileSync(file));
  return hash.digest('hex');
}

/** Each list of readers' version, read once: a process that runs several callers keeps each one's. */
const versions = new Map<string, string>();

/** The verdict on `definitionText`, computed by `compute` only when never computed before. */
export function schemaVerdict<T>(definitionText: string, readers: string[], compute: () => T): T {
  const readersKey = readers.join('\0');
  let version = versions.get(readersKey);
  if (version === undefined) versions.set(readersKey, (version = versionOf(readers)));
  const key = createHash('sha256').update(version).update(definitionText).digest('hex');
  if (memory.has(key)) return structuredClone(memory.get(key) as T);
  const file = join(CACHE_DIR, `${key}.json`);
  let verdict: T;
  try {
    verdict = JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    verdict = compute();
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      // Written whole then renamed: a process reading it at the same time never sees half.
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, JSON.stringify(verdict));
      renameSync(partial, file);
    } catch {
      // A read-only kit folder only costs the next process the computation.
    }
  }
  if (memory.size >= KEPT_IN_MEMORY) memory.delete(memory.keys().next().value!);
  memory.set(key, verdict);
  return structuredClone(verdict);
}
