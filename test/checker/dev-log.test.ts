import { describe, expect, it } from 'vitest';
import { stripVTControlCharacters } from 'node:util';
import { formatEntry } from '../../checker/commands/dev.ts';
import { unawaitedEntry } from '../../emulator/lambda/unawaited.ts';

describe("npm run dev's live log", () => {
  it('shows a handler that returned before its AWS call finished, with the line to fix', () => {
    const entry = unawaitedEntry(
      {
        name: 'dojo-serverless-local-createVirus',
        logicalId: 'CreateVirusLambdaFunction',
        codeDir: '/work/backend',
      },
      {
        service: 'DynamoDB',
        operation: 'PutItem',
        file: '/work/backend/functions/createVirus/handler.ts',
        line: 8,
        column: 3,
      },
      { requestId: 'r-1', ok: true, startSeq: 4 },
    );
    const line = stripVTControlCharacters(
      formatEntry({ ...entry, seq: 5, time: Date.UTC(2026, 10, 21, 10, 0, 7) }) ?? '',
    );
    expect(line).toBe(
      '10:00:07 ⚠ createVirus returned while its DynamoDB PutItem was still in flight: on AWS it may never run. Did you forget await at functions/createVirus/handler.ts:8?',
    );
  });
});
