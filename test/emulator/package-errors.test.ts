import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { packageService, PackageError } from '../../emulator/stack/package.ts';
import { copyWithEdits } from '../../checker/core/service-copy.ts';

describe('osls package errors', () => {
  it("name the file and line of a syntax error in serverless.ts, without esbuild's stack", async () => {
    const copy = copyWithEdits(resolve('solutions/session-1'), [
      { file: 'serverless.ts', find: 'provider: {', replace: 'provider: {{' },
    ]);
    try {
      const err = await packageService(copy.dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PackageError);
      const message = (err as PackageError).message;
      expect(message).toMatch(/\(at .*serverless\.ts:\d+\)/);
      expect(message).toMatch(/serverless\.ts:\d+:\d+: ERROR: Expected identifier but found "\{"/);
      expect(message).not.toMatch(/^\s+at /m);
      expect(message.split('\n').length).toBeLessThan(6);
    } finally {
      copy.remove();
    }
  }, 60_000);
});
