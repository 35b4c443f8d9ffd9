/**
 * The packages the Lambda runtime itself provides, as nodejs20.x and later do: the AWS SDK
 * v3 (`@aws-sdk/*` and the `@smithy/*` packages it is built on). On Lambda they live in
 * /var/runtime/node_modules, searched after the function's own node_modules; here they are
 * the kit's own copies, seen through a folder that holds only them (`.dojo/lambda-runtime/
 * node_modules`, symlinks into the kit's node_modules), so a handler that imports a package
 * Lambda would not give it (zx, vitest...) still fails as it would on AWS.
 *
 * A sandbox searches it last: CommonJS through NODE_PATH (as Lambda's own runtime does),
 * ES modules through a resolve hook (sandbox-bootstrap.mjs); packaging's handler check
 * (stack/handler-check.ts) accepts what resolves there.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scopes Lambda's Node.js runtimes carry in /var/runtime/node_modules. */
export const RUNTIME_SCOPES = ['@aws-sdk', '@smithy'] as const;

const KIT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KIT_MODULES = join(KIT_ROOT, 'node_modules');
const RUNTIME_DIR = join(KIT_ROOT, '.dojo', 'lambda-runtime', 'node_modules');

/** The folder of provided packages, made on first use (another process may be making it too). */
export function runtimeModulesDir(): string {
  mkdirSync(RUNTIME_DIR, { recursive: true });
  for (const scope of RUNTIME_SCOPES) {
    const link = join(RUNTIME_DIR, scope);
    if (existsSync(link) || !existsSync(join(KIT_MODULES, scope))) continue;
    try {
      symlinkSync(join(KIT_MODULES, scope), link, 'dir');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return RUNTIME_DIR;
}

/** Where `specifier` resolves among the provided packages, or undefined when it does not. */
export function resolveFromRuntime(specifier: string): string | undefined {
  if (!RUNTIME_SCOPES.some((scope) => specifier.startsWith(`${scope}/`))) return undefined;
  try {
    return createRequire(join(runtimeModulesDir(), 'importer.js')).resolve(specifier);
  } catch {
    return undefined;
  }
}

/**
 * The provided packages (names such as `@aws-sdk/client-dynamodb`) among the modules this
 * thread has loaded from the kit's own copies: what a pool may load ahead in a booted
 * sandbox (sandbox-pool.ts). A handler's project with an SDK of its own is not counted.
 */
export function loadedProvidedPackages(): string[] {
  const names = new Set<string>();
  const realKitModules = realpathSync(KIT_MODULES);
  for (const file of Object.keys(createRequire(import.meta.url).cache)) {
    if (!file.startsWith(`${realKitModules}/`)) continue;
    const m = /^(@[^/]+)\/([^/]+)\//.exec(file.slice(realKitModules.length + 1));
    if (m && (RUNTIME_SCOPES as readonly string[]).includes(m[1])) names.add(`${m[1]}/${m[2]}`);
  }
  return [...names].sort();
}

/** Loads provided packages now, from the runtime's folder (a name it cannot load is skipped). */
export function preloadProvidedPackages(names: readonly string[]): void {
  const require = createRequire(join(runtimeModulesDir(), 'importer.cjs'));
  for (const name of names) {
    try {
      require(name);
    } catch {
      // A package without a main entry (types only) or gone since: the handler loads what it needs.
    }
  }
}

/** The SDK clients the runtime provides, for the message of a handler that asks for another. */
export function providedClients(): string[] {
  const dir = join(KIT_MODULES, '@aws-sdk');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.startsWith('client-') || name.startsWith('lib-'))
        .map((name) => `@aws-sdk/${name}`)
    : [];
}
