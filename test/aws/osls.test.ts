import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { isMissingStack, oslsFailure, realOsls } from '../../checker/aws/osls.ts';
import { prepareRemoval, prepareSnapshot, WRAPPER } from '../../checker/aws/snapshot.ts';
import { createProgress } from '../../checker/aws/progress.ts';
import { tempDir } from './support.ts';

describe('running osls for --aws', () => {
  const tmp = tempDir('aws-osls');
  afterAll(() => tmp.remove());

  it(
    'tags what it deploys through a wrapper config, leaving the service folder alone (real osls package, offline)',
    { timeout: 120_000 },
    async () => {
      const source = join(tmp.dir, 'service');
      cpSync(resolve('solutions/session-4'), source, {
        recursive: true,
        filter: (src) =>
          !/(^|\/)(\.serverless|\.esbuild|node_modules)(\/|$)/.test(
            relative(resolve('solutions/session-4'), src),
          ),
      });
      const snapshot = prepareSnapshot(source, join(tmp.dir, 'snapshot'), 'jane-1a2b');
      expect(existsSync(join(source, WRAPPER))).toBe(false);
      const lines: string[] = [];
      const result = await realOsls().run({
        cwd: snapshot,
        args: ['package', '--stage', 'jane-1a2b', '--region', 'eu-west-1', '--config', WRAPPER],
        onLine: (l) => lines.push(l),
      });
      expect(result.code, result.output).toBe(0);
      expect(lines).toContain('Packaging dojo-serverless for stage jane-1a2b (eu-west-1)');

      const template = JSON.parse(
        readFileSync(join(snapshot, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'),
      );
      const tags = [
        { Key: 'dojo', Value: 'serverless-dojo' },
        { Key: 'dojo:stage', Value: 'jane-1a2b' },
        { Key: 'dojo:service', Value: 'dojo-serverless' },
      ];
      expect(template.Resources.ChooseWaitTimeLambdaFunction.Properties.Tags).toEqual(tags);
      expect(template.Resources.VirusCreationStateMachine.Properties.Tags).toEqual(tags);
      expect(template.Resources.HttpApi.Properties.Tags).toEqual({
        dojo: 'serverless-dojo',
        'dojo:stage': 'jane-1a2b',
        'dojo:service': 'dojo-serverless',
      });
      // stackTags go on the stack itself at deploy time; CloudFormation passes them on to every resource.
      const state = JSON.parse(readFileSync(join(snapshot, '.serverless', 'serverless-state.json'), 'utf8'));
      expect(state.service.provider.stackTags).toEqual({
        dojo: 'serverless-dojo',
        'dojo:stage': 'jane-1a2b',
        'dojo:service': 'dojo-serverless',
      });
      expect(state.service.provider.stage).toBe('jane-1a2b');
      expect(existsSync(join(source, '.serverless'))).toBe(false);
    },
  );

  it('removes with a config of a few lines that names the stack', () => {
    const dir = prepareRemoval(
      {
        stackName: 'dojo-serverless-jane',
        service: 'dojo-serverless',
        stage: 'jane',
        region: 'eu-central-1',
      },
      join(tmp.dir, 'remove'),
    );
    expect(JSON.parse(readFileSync(join(dir, 'serverless.json'), 'utf8'))).toEqual({
      service: 'dojo-serverless',
      provider: { name: 'aws', stage: 'jane', region: 'eu-central-1', stackName: 'dojo-serverless-jane' },
    });
  });

  it(
    'streams the lines the real osls prints, and stops it when asked (osls package, stopped once it starts)',
    { timeout: 120_000 },
    async () => {
      const source = join(tmp.dir, 'stopped');
      cpSync(resolve('test/fixtures/mini-service'), source, {
        recursive: true,
        filter: (src) => !/(^|\/)(\.serverless|\.esbuild|node_modules)(\/|$)/.test(src),
      });
      const lines: string[] = [];
      const abort = new AbortController();
      const result = await realOsls().run({
        cwd: source,
        args: ['package', '--stage', 'jane', '--region', 'eu-west-1'],
        onLine: (l) => (lines.push(l), l.startsWith('Packaging') && abort.abort()),
        signal: abort.signal,
      });
      expect(lines[0]).toBe('Packaging mini for stage jane (eu-west-1)');
      expect(abort.signal.aborted).toBe(true);
      // Stopped before it packaged anything.
      expect(result.code, result.output).not.toBe(0);
      expect(result.output).not.toContain('Service packaged');
      expect(existsSync(join(source, '.serverless', 'mini.zip'))).toBe(false);
    },
  );

  it("keeps the lines of osls's output that say what failed", () => {
    const output =
      'Deploying dojo-serverless to stage jane (eu-west-1)\n\n✖ Stack dojo-serverless-jane failed to deploy (41s)\nEnvironment: linux, node 22.23.3, framework 4.3.1\nDocs: docs.serverless.com\nError:\nCREATE_FAILED: VirusTable (AWS::DynamoDB::Table)\nResource handler returned message: "Table already exists"';
    expect(oslsFailure(output)).toBe(
      '✖ Stack dojo-serverless-jane failed to deploy (41s)\nError:\nCREATE_FAILED: VirusTable (AWS::DynamoDB::Table)\nResource handler returned message: "Table already exists"',
    );
    expect(isMissingStack('Error:\nStack with id dojo-serverless-jane does not exist')).toBe(true);
  });

  it('shows progress as plain lines outside a terminal, a spinner line in one', () => {
    const written: string[] = [];
    const stream = {
      write: (s: string) => (written.push(s), true),
      isTTY: false,
      columns: 80,
    } as unknown as NodeJS.WriteStream;
    const plain = createProgress({ stream, plainDetails: true });
    const step = plain.step('Deploying dojo-serverless-jane');
    step.detail('CREATE_IN_PROGRESS - AWS::DynamoDB::Table');
    step.done('Deployed dojo-serverless-jane');
    expect(stripVTControlCharacters(written.join(''))).toBe(
      '… Deploying dojo-serverless-jane\n  CREATE_IN_PROGRESS - AWS::DynamoDB::Table\n✔ Deployed dojo-serverless-jane (0:00)\n',
    );

    written.length = 0;
    const tty = createProgress({ stream, tty: true }).step('Watching dojo-serverless-jane on AWS', {
      totalMs: 240_000,
    });
    tty.fail();
    expect(written[0].startsWith('\r\u001b[2K')).toBe(true);
    expect(stripVTControlCharacters(written[0])).toContain(
      'Watching dojo-serverless-jane on AWS (0:00 of 4:00, 4:00 left)',
    );
    expect(stripVTControlCharacters(written.at(-1)!)).toBe('✖ Watching dojo-serverless-jane on AWS (0:00)\n');
  });
});
