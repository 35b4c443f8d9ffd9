/**
 * A throwaway service folder inside the repository (under .dojo/tmp, git-ignored), so that
 * its handlers resolve the AWS SDK from the root node_modules like a learner's backend does.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { realSleep } from '../../emulator/index.ts';

export function tempService(files: Record<string, string>): {
  dir: string;
  write(path: string, content: string): void;
  remove(): void;
} {
  const dir = resolve('.dojo', 'tmp', `svc-${randomBytes(4).toString('hex')}`);
  const write = (path: string, content: string) => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A minimal template with Lambda functions sharing one role, as osls would produce it. */
export function functionsTemplate(
  functions: Record<string, { handler: string; timeout?: number; env?: Record<string, unknown> }>,
  statements: unknown[] = [],
) {
  const Resources: Record<string, any> = {
    IamRoleLambdaExecution: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'test-local-lambdaRole',
        Policies: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
      },
    },
  };
  for (const [name, f] of Object.entries(functions)) {
    Resources[`${name[0].toUpperCase()}${name.slice(1)}LambdaFunction`] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: `test-local-${name}`,
        Handler: f.handler,
        Runtime: 'nodejs22.x',
        Timeout: f.timeout ?? 3,
        MemorySize: 256,
        Environment: { Variables: f.env ?? {} },
        Role: { 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] },
      },
    };
  }
  return { Resources };
}

/** Polls in real time until `predicate` holds (the virtual clock may be paused meanwhile). */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await realSleep(5);
  }
}
