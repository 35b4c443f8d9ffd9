// The CLI's TypeScript built into plain JavaScript once, reused until a source changes:
// what lets `npm run check` start in a fraction of a second (checker/bin/dojo.mjs).
//
// Why: run through tsx, every start resolved, transformed and source-mapped each of the
// kit's ~270 TypeScript modules through tsx's hooks (about a second of a warm check on a
// quiet 2-core machine, several under load). Built by esbuild, the kit's own code is a few
// chunks (code splitting: a command loads only what it imports, as the lazy imports of
// dojo.ts intend); packages stay imports, resolved from node_modules as before.
//
// A package that is CommonJS (the AWS SDK, dynalite, commander...) is loaded with require,
// as Node's own import of it would load the very same file, minus the parse Node's import
// makes of its source to find its export names (cjs-module-lexer: a third of the start's
// module loading, the SDK clients' files being large).
//
// Reuse is decided by a manifest of every input file and folder with its size and mtime
// (a folder's mtime moves when a file appears in it: a new session's check is seen).
// Outputs are stored by content under .dojo/cli/<hash>/, written atomically: CLI processes
// started side by side share them. DOJO_CLI_CACHE points the cache elsewhere (tests): a
// folder inside the kit, since the chunks find the packages in its node_modules.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ownImportMeta } from '../../emulator/core/own-import-meta.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENTRY = join(ROOT, 'checker', 'bin', 'dojo.ts');
/** The build's own inputs: a change to how it builds is a change of the build. */
const BUILDER = [
  fileURLToPath(import.meta.url),
  join(ROOT, 'emulator', 'core', 'own-import-meta.mjs'),
  join(ROOT, 'tsconfig.json'),
  join(ROOT, 'package.json'),
];

/**
 * The built entry module of the CLI (`entry`, default dojo.ts), as the sources are now:
 * reused when none changed since it was built, else built. `cache`: default .dojo/cli, or
 * DOJO_CLI_CACHE.
 */
export async function cliEntry(options = {}) {
  const entry = options.entry ?? ENTRY;
  const cache =
    options.cache ??
    (process.env.DOJO_CLI_CACHE ? resolve(process.env.DOJO_CLI_CACHE) : join(ROOT, '.dojo', 'cli'));
  const manifestFile = join(cache, 'manifest.json');
  const manifest = readManifest(manifestFile);
  if (manifest?.source === entry && isFresh(manifest) && existsSync(join(cache, manifest.entry)))
    return join(cache, manifest.entry);
  return build(entry, cache, manifestFile);
}

function readManifest(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every input (file or folder) still has the size and mtime it had when built. */
function isFresh(manifest) {
  for (const [rel, [size, mtimeMs]] of Object.entries(manifest.inputs)) {
    const s = statSync(join(ROOT, rel), { throwIfNoEntry: false });
    if (!s || s.size !== size || s.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

/** Each chunk's own require, for the CommonJS packages (a name no module of the kit uses). */
const REQUIRE_BANNER =
  "import { createRequire as __dojoCreateRequire } from 'node:module'; const __dojoRequire = __dojoCreateRequire(import.meta.url);";

/** @type {import('esbuild').Plugin} */
const commonJsByRequire = {
  name: 'dojo-commonjs-by-require',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return undefined;
      if (isBuiltin(args.path) || !isCommonJs(args.path)) return undefined;
      return { path: args.path, namespace: 'dojo-commonjs' };
    });
    b.onLoad({ filter: /.*/, namespace: 'dojo-commonjs' }, (args) => ({
      contents: `module.exports = __dojoRequire(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** Whether Node's import of `specifier` (from the kit) loads a CommonJS file. */
function isCommonJs(specifier) {
  let file;
  try {
    file = fileURLToPath(import.meta.resolve(specifier));
  } catch {
    return false; // not found, or not a file: left to Node's import, which says why at run time
  }
  const ext = extname(file);
  if (ext === '.cjs') return true;
  if (ext !== '.js') return false;
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      return JSON.parse(readFileSync(manifest, 'utf8')).type !== 'module';
    } catch {
      return true;
    }
  }
  return true;
}

async function build(entry, cache, manifestFile) {
  const esbuild = await import('esbuild');
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: ROOT,
      bundle: true,
      splitting: true,
      write: false,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      packages: 'external',
      // Every build sits at the same depth (<hash>/...): the maps' relative paths hold.
      outdir: join(cache, 'build'),
      outExtension: { '.js': '.mjs' },
      entryNames: '[name]',
      sourcemap: 'linked',
      sourcesContent: false,
      keepNames: true,
      metafile: true,
      logLevel: 'silent',
      plugins: [ownImportMeta, commonJsByRequire],
      banner: { js: REQUIRE_BANNER },
    });
  } catch (err) {
    const first = err.errors?.[0];
    if (!first) throw err;
    const at = first.location
      ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: `
      : '';
    throw new Error(
      `The dojo's own code does not build: ${at}${first.text}. Fix that file (git diff shows what changed), or run git checkout -- on it to get the kit's version back.`,
    );
  }
  const hash = createHash('sha256');
  for (const f of result.outputFiles) hash.update(relative(join(cache, 'build'), f.path)).update(f.contents);
  const id = hash.digest('hex').slice(0, 16);
  const dir = join(cache, id);
  if (!existsSync(dir)) {
    const partial = join(cache, `partial-${process.pid}-${Math.random().toString(36).slice(2)}`);
    for (const f of result.outputFiles) {
      const path = join(partial, relative(join(cache, 'build'), f.path));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.contents);
    }
    try {
      renameSync(partial, dir);
    } catch (err) {
      // Another CLI built the same content first: theirs is ours.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(dir)) throw err;
    }
  }
  const inputs = {};
  const note = (path) => {
    const rel = relative(ROOT, resolve(ROOT, path));
    if (rel in inputs) return;
    const s = statSync(join(ROOT, rel));
    inputs[rel] = [s.size, s.mtimeMs];
  };
  // The metafile also names the packages loaded with require, as `dojo-commonjs:<name>`: not files.
  const files = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('dojo-commonjs:'));
  for (const path of [...files, ...BUILDER]) {
    note(path);
    note(dirname(resolve(ROOT, path)));
  }
  const name = `${basename(entry, extname(entry))}.mjs`;
  const manifest = { source: entry, entry: join(id, name), inputs };
  const partialManifest = `${manifestFile}.partial-${process.pid}`;
  writeFileSync(partialManifest, JSON.stringify(manifest));
  renameSync(partialManifest, manifestFile);
  return join(cache, manifest.entry);
}
