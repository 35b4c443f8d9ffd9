import { describe, expect, it } from 'vitest';
import { cpSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempService } from '../support/temp-service.ts';
import { invoke } from '../../checker/commands/invoke.ts';
import { capture } from './support.ts';

// The mini service: a table and a createVirus function that writes to it, packaged by the real osls.
const SERVICE = resolve('test/fixtures/mini-service');

describe('npm run invoke', () => {
  it('deploys the service, invokes a function by its short name, and prints what it returned and logged', async () => {
    const out = capture();
    expect(await invoke({ fn: 'createVirus', dir: SERVICE, print: out.print })).toBe(0);
    const text = out.text();
    expect(text).toContain('✔ createVirus returned');
    const json = text.slice(text.indexOf('{', text.indexOf('returned')));
    const virus = JSON.parse(json) as { id: string; createdAt: string };
    expect(virus.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(text).toMatch(new RegExp(`\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO {2}created ${virus.id}`));
  });

  it('lists the functions when the name is unknown', async () => {
    await expect(invoke({ fn: 'createVirsu', dir: SERVICE, print: () => undefined })).rejects.toMatchObject({
      name: 'UsageError',
      message: expect.stringMatching(
        /^No function "createVirsu" in .*mini-service\/serverless\.ts\. It has: createVirus, listViruses\.$/,
      ),
    });
  });

  it('refuses --data that is not JSON before deploying anything', async () => {
    const out = capture();
    await expect(
      invoke({ fn: 'createVirus', data: "{id: 'x'}", dir: SERVICE, print: out.print }),
    ).rejects.toMatchObject({
      name: 'UsageError',
      message: expect.stringContaining('--data is not valid JSON'),
    });
    expect(out.text()).toBe('');
  });

  it('prints a thrown error with its trace and a hint, and exits 1', async () => {
    const service = tempService({});
    try {
      cpSync(SERVICE, service.dir, {
        recursive: true,
        filter: (src) => !/[\\/](\.serverless|\.esbuild)$/.test(src),
      });
      writeFileSync(
        join(service.dir, 'functions/createVirus.ts'),
        "export const main = async () => {\n  throw new Error('TODO 5: write the virus');\n};\n",
      );
      const out = capture();
      expect(await invoke({ fn: 'createVirus', dir: service.dir, print: out.print })).toBe(1);
      const text = out.text();
      expect(text).toContain('✖ createVirus failed: Error: TODO 5: write the virus');
      expect(text).toMatch(/\n {2}at .*createVirus\.ts/);
      expect(text).not.toContain('emulator/');
      expect(text).toContain('hint: a TODO is still open there: npm run hint shows what to do.');
    } finally {
      service.remove();
    }
  });
});
