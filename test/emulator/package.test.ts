import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve, sep } from 'node:path';
import { packageService, PackageError, PACKAGE_WRAPPER } from '../../emulator/stack/package.ts';
import { copyWithEdits } from '../../checker/core/service-copy.ts';
import type { Edit } from '../../checker/core/mistake.ts';
import { restoreEnv } from '../support/env.ts';

// Local packaging with the real osls, on copies of the mini service (a table, two functions).
const MINI = resolve('test/fixtures/mini-service');

async function packagingError(dir: string): Promise<PackageError> {
  try {
    await packageService(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(PackageError);
    return err as PackageError;
  }
  throw new Error(`packaging ${dir} was expected to fail`);
}

/** Runs `work` with one of the osls process's caches in a folder of its own (set by `variable`), then removes it. */
async function withCacheIn(variable: string, work: (dir: string) => Promise<void>): Promise<void> {
  const dir = join(mkdtempSync(join(resolve('.dojo', 'tmp'), 'osls-cache-')), 'cache');
  const saved = { ...process.env };
  process.env[variable] = dir;
  try {
    await work(dir);
  } finally {
    restoreEnv(saved);
    rmSync(dirname(dir), { recursive: true, force: true });
  }
}

describe('local packaging', () => {
  const copies: Array<{ remove(): void }> = [];
  const copy = (edits: Edit[]) => {
    const c = copyWithEdits(MINI, edits);
    copies.push(c);
    return c.dir;
  };
  afterEach(() => copies.splice(0).forEach((c) => c.remove()));

  it(
    'runs osls with its output outside the service folder, leaving the folder as it was',
    { timeout: 120_000 },
    async () => {
      // A configuration no one packaged yet: osls really runs.
      const dir = copy([
        {
          file: 'serverless.ts',
          find: "service: 'mini',",
          replace: `service: 'mini', // ${randomBytes(6).toString('hex')}`,
        },
      ]);
      const before = readdirSync(dir).sort();
      const first = await packageService(dir);
      expect(first.cached).toBe(false);
      expect(readdirSync(dir).sort()).toEqual(before);
      for (const name of ['.serverless', '.esbuild', PACKAGE_WRAPPER])
        expect(existsSync(resolve(dir, name)), name).toBe(false);
      expect(first.templatePath.startsWith(dir + sep)).toBe(false);
      expect(existsSync(first.templatePath)).toBe(true);
      expect(first.template.Resources.CreateVirusLambdaFunction.Properties?.Handler).toBe(
        'functions/createVirus.main',
      );

      const again = await packageService(dir);
      expect(again).toMatchObject({ cached: true, templatePath: first.templatePath });
    },
  );

  it(
    "compiles osls's validator from the kit's cache, and osls validates as before: it still coerces a '3' to 3",
    { timeout: 180_000 },
    async () => {
      await withCacheIn('DOJO_OSLS_VALIDATOR_CACHE', async (cacheDir) => {
        for (const round of [1, 2]) {
          // Configurations no one packaged yet, the second one's validator compiled from the first's cache.
          const dir = copy([
            {
              file: 'serverless.ts',
              find: "service: 'mini',",
              replace: `service: 'mini', // ${randomBytes(6).toString('hex')}`,
            },
            { file: 'serverless.ts', find: 'timeout: 3 }', replace: "timeout: '3' as unknown as number }" },
          ]);
          const { template, cached } = await packageService(dir);
          expect(cached).toBe(false);
          // osls compiles `timeout` as given: the number is its validator's coercion (ajv's coerceTypes).
          expect(template.Resources.CreateVirusLambdaFunction.Properties?.Timeout, `round ${round}`).toBe(3);
          expect(readdirSync(cacheDir).filter((n) => n.endsWith('.bin'))).toHaveLength(1);
        }
      });
    },
  );

  it(
    "answers serverless-step-functions' check of a state machine it checked before from its verdict: the same template, the same refusal",
    { timeout: 240_000 },
    async () => {
      await withCacheIn('DOJO_OSLS_ASL_VERDICTS', async (verdicts) => {
        const unique = () => ({
          file: 'serverless.ts',
          find: "service: 'dojo-serverless',",
          replace: `service: 'dojo-serverless', // ${randomBytes(6).toString('hex')}`,
        });
        const session4 = (edits: Edit[]) => {
          const c = copyWithEdits(resolve('solutions/session-4'), edits);
          copies.push(c);
          return c.dir;
        };
        const definitionOf = (template: Awaited<ReturnType<typeof packageService>>['template']) =>
          JSON.stringify(
            Object.values(template.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine')
              ?.Properties?.DefinitionString,
          );
        // Two configurations no one packaged yet, with the same state machine: one verdict, kept.
        const first = await packageService(session4([unique()]));
        expect(readdirSync(verdicts)).toHaveLength(1);
        const second = await packageService(session4([unique()]));
        expect(second.cached).toBe(false);
        expect(readdirSync(verdicts)).toHaveLength(1);
        expect(definitionOf(second.template)).toBe(definitionOf(first.template));
        expect(definitionOf(first.template)).toContain('WaitXSeconds');

        // A definition asl-validator refuses is refused again, in its words, from its verdict.
        const wrongPath = {
          file: 'state-machines/virusCreation.ts',
          find: "SecondsPath: '$.numberOfSeconds',",
          replace: "SecondsPath: 'numberOfSeconds',",
        };
        const refusals: string[] = [];
        for (const round of [1, 2]) {
          const err = await packagingError(session4([unique(), wrongPath]));
          expect(err.message, `round ${round}`).toContain('definition is invalid');
          refusals.push(err.message.replace(/copy-[0-9a-f]+/g, 'copy'));
        }
        expect(readdirSync(verdicts)).toHaveLength(2);
        expect(refusals[1]).toBe(refusals[0]);
      });
    },
  );

  it(
    'fails on a handler importing a module that does not exist, naming its file and line',
    { timeout: 120_000 },
    async () => {
      const dir = copy([
        {
          file: 'functions/createVirus.ts',
          find: "import { randomUUID } from 'node:crypto';",
          replace:
            "import { randomUUID } from 'node:crypto';\nimport { spread } from '../lib/spread.ts';\nspread();",
        },
      ]);
      const err = await packagingError(dir);
      expect(err.message).toContain('(at functions/createVirus.ts:4)');
      expect(err.message).toContain('Could not resolve "../lib/spread.ts"');
      expect(err.message).toContain("Check the import's path and extension");
    },
  );

  it('fails on a package a handler imports that is not installed', { timeout: 120_000 }, async () => {
    const dir = copy([
      {
        file: 'functions/listViruses.ts',
        find: 'export const main',
        replace:
          "import { chunk } from 'lodash-chunk-not-installed';\nexport const useChunk = chunk;\nexport const main",
      },
    ]);
    const err = await packagingError(dir);
    expect(err.message).toMatch(/\(at functions\/listViruses\.ts:\d+\)/);
    expect(err.message).toContain('Could not resolve "lodash-chunk-not-installed"');
  });

  it('fails on a syntax error in a handler, naming its file and line', { timeout: 120_000 }, async () => {
    const dir = copy([
      { file: 'functions/createVirus.ts', find: 'const virus = {', replace: 'const virus = {{' },
    ]);
    const err = await packagingError(dir);
    expect(err.message).toContain('(at functions/createVirus.ts:8)');
    expect(err.message).toContain('Fix the code at that line.');
  });

  it('fails on a handler whose file does not exist', { timeout: 120_000 }, async () => {
    const dir = copy([
      {
        file: 'serverless.ts',
        find: "handler: 'functions/createVirus.main'",
        replace: "handler: 'functions/create-virus.main'",
      },
    ]);
    const err = await packagingError(dir);
    expect(err.message).toContain(
      "handler 'functions/create-virus.main' names a file that does not exist: there is no functions/create-virus.ts",
    );
  });

  // serverless-esbuild's default output is CommonJS, which cannot hold a top-level await:
  // `sls deploy` of this service fails, so the local check fails it too, saying what to change.
  const topLevelAwait: Edit = {
    file: 'functions/listViruses.ts',
    find: 'export const main',
    replace:
      'const tableName = await Promise.resolve(process.env.VIRUS_TABLE_NAME);\nexport const table = tableName;\nexport const main',
  };

  it(
    'fails on a top-level await where serverless-esbuild builds CommonJS (its default)',
    { timeout: 120_000 },
    async () => {
      const err = await packagingError(copy([topLevelAwait]));
      expect(err.message).toMatch(/\(at functions\/listViruses\.ts:\d+\)/);
      expect(err.message).toContain(
        'Top-level await is currently not supported with the "cjs" output format',
      );
      expect(err.message).toContain("set format: 'esm' and outputFileExtension: '.mjs' in custom.esbuild");
    },
  );

  it("accepts a top-level await when custom.esbuild says format: 'esm'", { timeout: 120_000 }, async () => {
    const dir = copy([
      topLevelAwait,
      {
        file: 'serverless.ts',
        find: 'custom: { esbuild: { bundle: true,',
        replace: "custom: { esbuild: { format: 'esm', outputFileExtension: '.mjs', bundle: true,",
      },
    ]);
    const { template } = await packageService(dir);
    expect(Object.keys(template.Resources)).toContain('ListVirusesLambdaFunction');
  });
});
