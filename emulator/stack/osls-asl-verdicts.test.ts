/**
 * asl-validator's schema verdicts kept on disk (osls-asl-verdicts.cjs), seen from real Node
 * processes that load the real asl-validator as serverless-step-functions does: a definition
 * checked once is answered from its verdict, with the same answer, and everything else
 * asl-validator does still happens.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const scratch = mkdtempSync(join(resolve('.dojo', 'tmp'), 'osls-asl-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const VERDICTS_MODULE = resolve('emulator/stack/osls-asl-verdicts.cjs');

/** The States Language spec's smallest machine, and the same one with a Wait whose Seconds is a string. */
const VALID = { StartAt: 'Hello', States: { Hello: { Type: 'Pass', End: true } } };
const INVALID = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 'ten', End: true } } };

interface Answer {
  isValid: boolean;
  errorsText: string;
  queryLanguage: unknown;
  verdict: string | null;
}

/** Validates `definition` (an expression, so it may hold what JSON does not) as serverless-step-functions does. */
async function validate(definition: string, dir: string, env: Record<string, string> = {}): Promise<Answer> {
  const script = `const verdicts = require(${JSON.stringify(VERDICTS_MODULE)});
verdicts.install(${JSON.stringify(dir)});
const aslValidator = require('asl-validator');
const definition = ${definition};
const { isValid, errorsText } = aslValidator(definition);
const first = Object.values(definition.States)[0];
console.log(JSON.stringify({ isValid, errorsText: errorsText(), queryLanguage: first.QueryLanguage, verdict: verdicts.stats.last ?? null }));`;
  const { DOJO_OSLS_ASL_VERDICTS: _, ...rest } = process.env;
  const { stdout } = await run(process.execPath, ['-e', script], { env: { ...rest, ...env } });
  return JSON.parse(stdout) as Answer;
}

const entries = (dir: string) => {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
};

describe("asl-validator's schema verdicts, kept for the next osls", () => {
  it('answers a definition checked before from its verdict, valid or not, as it answered the first time', async () => {
    const dir = join(scratch, 'kept');
    const valid = await validate(JSON.stringify(VALID), dir);
    expect(valid).toEqual({
      isValid: true,
      errorsText: '',
      queryLanguage: 'JSONPath',
      verdict: 'made',
    });
    expect(await validate(JSON.stringify(VALID), dir)).toEqual({ ...valid, verdict: 'used' });

    const invalid = await validate(JSON.stringify(INVALID), dir);
    expect(invalid).toMatchObject({ isValid: false, verdict: 'made' });
    expect(invalid.errorsText).toContain('/States/W/Seconds is invalid');
    expect(await validate(JSON.stringify(INVALID), dir)).toEqual({ ...invalid, verdict: 'used' });
    expect(entries(dir)).toHaveLength(2);
  });

  it('gives the answer asl-validator gives without it', async () => {
    const dir = join(scratch, 'same');
    for (const definition of [VALID, INVALID]) {
      const without = await validate(JSON.stringify(definition), dir, { DOJO_OSLS_ASL_VERDICTS: '0' });
      expect(without.verdict).toBeNull();
      await validate(JSON.stringify(definition), dir);
      expect(await validate(JSON.stringify(definition), dir)).toEqual({ ...without, verdict: 'used' });
    }
  });

  it('checks afresh a definition JSON does not hold exactly, and keeps nothing of it', async () => {
    const dir = join(scratch, 'not-json');
    const withDate = `{ StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: new Date(0), End: true } } }`;
    const answer = await validate(withDate, dir);
    expect(answer).toMatchObject({ isValid: false, verdict: 'computed' });
    expect(entries(dir)).toEqual([]);
  });

  it('is off with DOJO_OSLS_ASL_VERDICTS=0, and elsewhere with DOJO_OSLS_ASL_VERDICTS=<folder>', async () => {
    const dir = join(scratch, 'default');
    const elsewhere = join(scratch, 'elsewhere');
    expect(await validate(JSON.stringify(VALID), dir, { DOJO_OSLS_ASL_VERDICTS: '0' })).toMatchObject({
      verdict: null,
    });
    expect(entries(dir)).toEqual([]);
    await validate(JSON.stringify(VALID), dir, { DOJO_OSLS_ASL_VERDICTS: elsewhere });
    expect(entries(dir)).toEqual([]);
    expect(entries(elsewhere)).toHaveLength(1);
  });
});
