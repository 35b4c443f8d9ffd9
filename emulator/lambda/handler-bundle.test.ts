/**
 * Handlers run from their esbuild bundle (handler-bundle.ts): what a learner sees must still
 * be their TypeScript (file and line in a stack trace, the file's own import.meta.url), the
 * format is the one serverless-esbuild builds for AWS, and a broken file names where it is broken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalCloud } from '../cloud.ts';
import { tempService } from '../../test/support/temp-service.ts';
import { bundleHandler, needsBundle } from './handler-bundle.ts';
import { sandboxExecArgv } from './sandbox-pool.ts';

const service = tempService({
  'lib/virus.ts': [
    'export interface Virus { id: string }',
    'export function explode(id: string): never {',
    '  throw new Error(`virus ${id} exploded`);',
    '}',
    "export const here = new URL('./strength.json', import.meta.url);",
  ].join('\n'),
  'lib/strength.json': '{ "strength": 7 }',
  'functions/throws.ts': [
    "import { explode } from '../lib/virus.ts';",
    'export const main = async (event: { id: string }) => explode(event.id);',
  ].join('\n'),
  'functions/reads.ts': [
    "import { readFileSync } from 'node:fs';",
    "import { here } from '../lib/virus.ts';",
    "export const main = async () => JSON.parse(readFileSync(here, 'utf8'));",
  ].join('\n'),
  'functions/syntax.ts': 'export const main = async () => {\n  return {;\n};\n',
  'functions/missing.ts': "import { gone } from '../lib/gone.ts';\nexport const main = async () => gone;\n",
  // The service sits in the repository, whose package.json says "type": "module".
  'functions/format.ts':
    'export const main = async () => ({ require: typeof require, dir: typeof __dirname });\n',
  'functions/awaits.ts': [
    "const config = await Promise.resolve({ table: 'viruses' });",
    'export const main = async () => config;',
  ].join('\n'),
});

describe('handlers run from their bundle', () => {
  let cloud: LocalCloud;
  const fn = (name: string, file: string) =>
    cloud.lambda.register({
      name,
      handler: `${file}.main`,
      sourceFile: join(service.dir, `${file}.ts`),
      exportName: 'main',
      environment: {},
      timeout: 6,
      memorySize: 256,
    });

  beforeAll(async () => {
    cloud = await LocalCloud.start();
    fn('throws', 'functions/throws');
    fn('reads', 'functions/reads');
    fn('syntax', 'functions/syntax');
    fn('missing', 'functions/missing');
    fn('format', 'functions/format');
    fn('awaits', 'functions/awaits');
  });
  afterAll(async () => {
    await cloud?.stop();
    service.remove();
  });

  it("names the TypeScript file and line where the error was thrown, in the imported file's own lines", async () => {
    const r = await cloud.lambda.invoke('throws', { id: 'v1' });
    expect(r.ok).toBe(false);
    expect(r.error?.errorMessage).toBe('virus v1 exploded');
    expect(r.error?.trace?.[1]).toContain(`${join(service.dir, 'lib/virus.ts')}:3:`);
    expect(r.error?.trace?.join('\n')).toContain(`${join(service.dir, 'functions/throws.ts')}:2:`);
  });

  it('gives each bundled file its own import.meta.url, so a file next to it is found', async () => {
    expect((await cloud.lambda.invoke('reads', {})).payload).toEqual({ strength: 7 });
  });

  it('reports a syntax error and an unresolved import with file:line:column, as init errors', async () => {
    const syntax = await cloud.lambda.invoke('syntax', {});
    expect(syntax.error?.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(syntax.error?.errorMessage).toContain(`${join(service.dir, 'functions/syntax.ts')}:2:11`);
    const missing = await cloud.lambda.invoke('missing', {});
    expect(missing.error?.errorType).toBe('Runtime.ImportModuleError');
    expect(missing.error?.errorMessage).toContain(`${join(service.dir, 'functions/missing.ts')}:1:`);
    expect(missing.error?.errorMessage).toContain('../lib/gone.ts');
  });

  it('runs a .ts handler as CommonJS, as serverless-esbuild builds it for AWS, in a "type": "module" package too', async () => {
    expect((await cloud.lambda.invoke('format', {})).payload).toEqual({ require: 'function', dir: 'string' });
  });

  it('runs a handler with top-level await as an ES module (CommonJS cannot hold it)', async () => {
    expect((await cloud.lambda.invoke('awaits', {})).payload).toEqual({ table: 'viruses' });
  });
});

describe('bundleHandler', () => {
  const own = tempService({
    'lib/n.ts': 'export const n = 1;\n',
    'handler.ts': "import { n } from './lib/n.ts';\nexport const main = async () => n;\n",
  });
  afterAll(() => own.remove());

  it('names a bundle by its content: the same code gives the same file, a changed import a new one', async () => {
    const entry = join(own.dir, 'handler.ts');
    const first = await bundleHandler(entry);
    const again = await bundleHandler(entry);
    expect(again).toEqual(first);
    own.write('lib/n.ts', 'export const n = 2;\n');
    const changed = await bundleHandler(entry);
    if (!('file' in changed) || !('file' in first)) throw new Error('expected bundles');
    expect(changed.file).not.toBe(first.file);
    expect(readFileSync(changed.file, 'utf8')).toContain('n = 2');
    expect(readFileSync(changed.file, 'utf8')).toContain('sourceMappingURL=data:application/json');
  });

  it('leaves plain JavaScript as it is (a zip from sls deploy is already built)', () => {
    expect(needsBundle('handler.ts')).toBe(true);
    expect(needsBundle('handler.mts')).toBe(true);
    expect(needsBundle('handler.mjs')).toBe(false);
    expect(needsBundle('handler.cjs')).toBe(false);
    expect(needsBundle('handler.js')).toBe(false);
  });
});

describe('sandboxExecArgv', () => {
  it("drops the parent's loader preloads (a tsx per sandbox) and keeps its other flags", () => {
    expect(
      sandboxExecArgv([
        '--import',
        'tsx',
        '--cpu-prof',
        '-r',
        'x',
        '--require=y',
        '--import=tsx/esm',
        '--expose-gc',
      ]),
    ).toEqual(['--cpu-prof', '--expose-gc']);
  });
});
