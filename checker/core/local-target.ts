/**
 * The local target: a fresh local cloud per check, in memory, its clock starting at a
 * fixed instant derived from the seed (so a run can be replayed) and running at `max`.
 */
import { LocalCloud, stackNameOf, type SandboxPool, type Template } from '../../emulator/index.ts';
import {
  destroyClients,
  httpApiOf,
  makeClients,
  webSocketOf,
  type AwsClients,
  type Deployment,
  type Target,
} from './target.ts';

/** `sandboxPool`: booted Lambda sandboxes a long-lived process (check --watch) keeps across checks. */
export async function localTarget(options: {
  seed: number;
  port?: number;
  sandboxPool?: SandboxPool;
}): Promise<Target> {
  // Start at 10:00:00.000 UTC on a fixed day, shifted by the seed: reproducible and readable.
  const start = Date.UTC(2026, 10, 21, 10, 0, 0) + (options.seed % 1000) * 86_400_000;
  const cloud = await LocalCloud.start({
    start,
    port: options.port,
    seed: options.seed,
    sandboxPool: options.sandboxPool,
  });
  let clients: AwsClients | undefined;
  let torn = false;
  const target: Target = {
    kind: 'local',
    region: cloud.region,
    accountId: cloud.accountId,
    trace: cloud.trace,
    probeRandom: (functionName, inputs) => cloud.lambda.probe(functionName, {}, inputs),
    async deploy(dir: string, template: Template): Promise<Deployment> {
      const stack = await cloud.deployTemplate(template, {
        serviceDir: dir,
        stackName: stackNameOf(template, 'local'),
      });
      return {
        stackName: stack.name,
        resources: stack.resources,
        outputs: stack.outputs,
        warnings: stack.warnings,
      };
    },
    run: (ms) => cloud.clock.advance(ms),
    now: () => cloud.clock.now(),
    httpApiUrl(deployment) {
      const api = httpApiOf(deployment);
      return api ? `${cloud.endpoint}/_aws/execute-api/${api.physicalId}` : undefined;
    },
    webSocketUrl(deployment) {
      const ws = webSocketOf(deployment);
      return ws && `${cloud.endpoint.replace(/^http/, 'ws')}/_aws/execute-api/${ws.apiId}/${ws.stage}`;
    },
    clients() {
      // One attempt per call: cloud.clientConfig() says why.
      clients ??= makeClients(cloud.clientConfig());
      return clients;
    },
    async teardown() {
      if (torn) return;
      torn = true;
      destroyClients(clients);
      await cloud.stop();
    },
  };
  return target;
}
