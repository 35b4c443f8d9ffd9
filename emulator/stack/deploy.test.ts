import { describe, expect, it } from 'vitest';
import { deployTemplate, StackDeployError } from './deploy.ts';
import type { Template } from './package.ts';
import type { DeployedStack, ResourceProvider } from './provider.ts';

/**
 * The deployer's order of work, seen through a provider that writes down what it is asked
 * to do: CloudFormation's update order (creates and updates in dependency order, deletes
 * afterwards in reverse), replacement (new first, old in the cleanup), and rollback.
 */
function recorder(options: { failOn?: string; failUndo?: string } = {}) {
  const log: string[] = [];
  const provider: ResourceProvider = {
    create(logicalId, p) {
      if (logicalId === options.failOn) throw new Error('the service said no');
      log.push(`create ${logicalId}`);
      return { ref: `${logicalId}-${p.Name ?? 'x'}`, attributes: { Arn: `arn:${logicalId}` } };
    },
    update(logicalId, p, previous) {
      if (p.Name !== previous.properties.Name) return 'replace';
      if (logicalId === options.failOn) throw new Error('the service said no');
      if (logicalId === options.failUndo && p.Size === previous.properties.Size - 1)
        throw new Error('cannot shrink');
      log.push(`update ${logicalId} ${p.Size}`);
      return { ref: previous.physicalId };
    },
    delete(resource) {
      log.push(`delete ${resource.logicalId} ${resource.physicalId}`);
    },
  };
  return { log, providers: { 'Test::Thing': provider } };
}

const thing = (properties: Record<string, unknown>, dependsOn?: string) => ({
  Type: 'Test::Thing',
  Properties: properties,
  ...(dependsOn && { DependsOn: dependsOn }),
});
const deploy = (template: object, providers: Record<string, ResourceProvider>, previous?: DeployedStack) =>
  deployTemplate(template as Template, {
    stackName: 's',
    serviceDir: '.',
    region: 'eu-west-1',
    accountId: '123456789012',
    providers,
    previous,
    warn: () => undefined,
  });

describe('the deployer', () => {
  const v1 = {
    Resources: {
      A: thing({ Name: 'a', Size: 1 }),
      B: thing({ Name: 'b', Size: 1, Uses: { Ref: 'A' } }),
      C: thing({ Name: 'c', Size: 1 }, 'B'),
    },
  };

  it('creates in dependency order, then updates, replaces and deletes like a CloudFormation update', async () => {
    const { log, providers } = recorder();
    const first = await deploy(v1, providers);
    expect(log.splice(0)).toEqual(['create A', 'create B', 'create C']);

    // A is replaced (new name): B uses its Ref, so B changes too; C is dropped.
    const v2 = {
      Resources: { A: thing({ Name: 'a2', Size: 1 }), B: thing({ Name: 'b', Size: 1, Uses: { Ref: 'A' } }) },
    };
    const second = await deploy(v2, providers, first);
    expect(log).toEqual(['create A', 'update B 1', 'delete C C-c', 'delete A A-a']);
    expect(second.changes).toEqual([
      { logicalId: 'A', type: 'Test::Thing', action: 'replace' },
      { logicalId: 'B', type: 'Test::Thing', action: 'update' },
      { logicalId: 'C', type: 'Test::Thing', action: 'delete' },
    ]);
    expect(second.resources.get('B')!.properties.Uses).toBe('A-a2');
  });

  it('rolls back what a failed update did and keeps the previous stack', async () => {
    const { log, providers } = recorder({ failOn: 'D' });
    const first = await deploy(v1, providers);
    log.length = 0;
    const v2 = {
      Resources: {
        ...v1.Resources,
        B: thing({ Name: 'b', Size: 2, Uses: { Ref: 'A' } }),
        D: thing({ Name: 'd' }, 'C'),
      },
    };
    const failure = (await deploy(v2, providers, first).catch((e: unknown) => e)) as StackDeployError;
    expect(failure).toBeInstanceOf(StackDeployError);
    expect(failure.message).toBe(
      'Resource D (Test::Thing): the service said no\nStack s was rolled back: it is as the previous deploy left it. Fix the resource and deploy again.',
    );
    expect(log).toEqual(['update B 2', 'update B 1']);
    expect(failure.left).toBe(first);
  });

  it('says plainly what is left when the rollback fails too', async () => {
    const { log, providers } = recorder({ failOn: 'D', failUndo: 'B' });
    const first = await deploy(v1, providers);
    log.length = 0;
    const v2 = {
      Resources: {
        ...v1.Resources,
        B: thing({ Name: 'b', Size: 2, Uses: { Ref: 'A' } }),
        D: thing({ Name: 'd' }, 'C'),
      },
    };
    const failure = (await deploy(v2, providers, first).catch((e: unknown) => e)) as StackDeployError;
    expect(failure.message).toBe(
      'Resource D (Test::Thing): the service said no\nStack s could not be rolled back completely:\n  B (Test::Thing) is left with its new properties: cannot shrink\nRestart the local cloud for a clean state.',
    );
    expect(failure.left!.resources.get('B')!.properties.Size).toBe(2);
    expect(failure.left!.resources.get('A')).toBe(first.resources.get('A'));
  });

  it('deletes what a failed first deploy created', async () => {
    const { log, providers } = recorder({ failOn: 'C' });
    const failure = (await deploy(v1, providers).catch((e: unknown) => e)) as StackDeployError;
    expect(failure.message).toContain('Stack s was not created: what this deploy had made is deleted again.');
    expect(log).toEqual(['create A', 'create B', 'delete B B-b', 'delete A A-a']);
    expect(failure.left).toBeUndefined();
  });
});
