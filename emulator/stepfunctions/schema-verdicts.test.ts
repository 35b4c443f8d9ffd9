/** The schema verdict cache: one computation per definition, shared by the processes that follow. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { schemaVerdict } from './schema-verdicts.ts';

const READERS = [fileURLToPath(new URL('./definition.ts', import.meta.url))];

describe('schemaVerdict', () => {
  it('computes a definition’s verdict once, and hands out copies', () => {
    const text = JSON.stringify({ StartAt: randomUUID(), States: {} });
    let computed = 0;
    const compute = () => {
      computed++;
      return [{ code: 'SCHEMA_VALIDATION_FAILED', location: '/States' }];
    };
    const first = schemaVerdict(text, READERS, compute);
    first[0].location = 'changed by the caller';
    expect(schemaVerdict(text, READERS, compute)).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States' },
    ]);
    expect(computed).toBe(1);
  });

  it('gives the next process the verdict without computing it again (a re-run check)', () => {
    const text = JSON.stringify({ StartAt: randomUUID(), States: {} });
    schemaVerdict(text, READERS, () => [{ code: 'X', location: '/' }]);
    // The next process reads a definition of another caller first (readers of its own): each list of readers keeps its own version.
    const other = JSON.stringify({ StartAt: randomUUID(), States: {} });
    const script = `const { schemaVerdict } = await import(${JSON.stringify(new URL('./schema-verdicts.ts', import.meta.url).href)});
schemaVerdict(${JSON.stringify(other)}, ${JSON.stringify([fileURLToPath(import.meta.url)])}, () => []);
console.log(JSON.stringify(schemaVerdict(${JSON.stringify(text)}, ${JSON.stringify(READERS)}, () => { throw new Error('computed again'); })));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([{ code: 'X', location: '/' }]);
  });
});
