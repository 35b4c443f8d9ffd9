/**
 * The AWS target: the learner's stack on their stage, deployed with osls, observed through
 * real SDK clients in its region while real time passes, and removed with osls at the end.
 */
import type { Template } from '../../emulator/index.ts';
import {
  destroyClients,
  httpApiOf,
  makeClients,
  webSocketOf,
  type AwsClients,
  type Deployment,
  type Target,
} from '../core/target.ts';
import { checkResourcesOf } from '../core/aws-configuration.ts';
import type { DeployedPeriod } from '../core/deployed-periods.ts';
import type { AwsContext } from './context.ts';
import { StackDeployer } from './deployer.ts';
import { injectedCrash } from './test-hooks.ts';
import { serviceOfTemplate } from './service.ts';
import { realSleep as sleep } from '../../emulator/index.ts';

export interface AwsTargetOptions {
  stage: string;
  region: string;
  accountId: string;
  /** The check's periods set in the deployed state machines (its AWS configuration). */
  periods?: DeployedPeriod[];
  /** For tests: clients pointed at a local cloud instead of the SDK's usual endpoints. */
  clientConfig?: { endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } };
  /** For tests: a clock that is not the wall clock (a local cloud's). */
  clock?: { now(): number; sleep(ms: number): Promise<void> };
}

export interface AwsTarget extends Target {
  /** False when teardown ran and the stack could not be removed (it is remembered for next time). */
  removed(): boolean | undefined;
  /** The deployer, once deploy was called. */
  readonly deployer: StackDeployer | undefined;
}

export function awsTarget(ctx: AwsContext, options: AwsTargetOptions): AwsTarget {
  const { stage, region, accountId } = options;
  const now = options.clock?.now ?? (() => Date.now());
  const pause = options.clock?.sleep ?? ((ms: number) => sleep(ms));
  let deployer: StackDeployer | undefined;
  let clients: AwsClients | undefined;
  let removed: boolean | undefined;
  let teardown: Promise<void> | undefined;

  return {
    kind: 'aws',
    region,
    accountId,
    get deployer() {
      return deployer;
    },
    async deploy(dir: string, template: Template): Promise<Deployment> {
      const service = serviceOfTemplate(template);
      deployer = new StackDeployer(ctx, {
        stackName: `${service}-${stage}`,
        service,
        stage,
        region,
        accountId,
        command: 'check',
        periods: options.periods,
        resources: checkResourcesOf(template),
      });
      return deployer.deploy(dir);
    },
    async run(ms, { quiet } = {}) {
      const step = quiet
        ? undefined
        : ctx.progress.step(`Watching ${deployer?.stack.stackName ?? 'the stack'} on AWS`, { totalMs: ms });
      injectedCrash('observe');
      // Wake up every second: a long wait stays interruptible and the line stays current.
      const end = now() + ms;
      while (now() < end) await pause(Math.min(1000, end - now()));
      step?.done(`Watched for ${Math.round(ms / 1000)} s`);
    },
    now,
    clients() {
      clients ??= makeClients({ region, ...options.clientConfig });
      return clients;
    },
    httpApiUrl(deployment) {
      const url = deployment.outputs.HttpApiUrl;
      if (typeof url === 'string' && url) return url.replace(/\/+$/, '');
      const api = httpApiOf(deployment);
      return api ? `https://${api.physicalId}.execute-api.${region}.amazonaws.com` : undefined;
    },
    webSocketUrl(deployment) {
      // osls's output for a service with websocket events.
      const url = deployment.outputs.ServiceEndpointWebsocket;
      if (typeof url === 'string' && url) return url.replace(/\/+$/, '');
      const ws = webSocketOf(deployment);
      return ws && `wss://${ws.apiId}.execute-api.${region}.amazonaws.com/${ws.stage}`;
    },
    teardown() {
      teardown ??= (async () => {
        destroyClients(clients);
        if (deployer) removed = await deployer.remove();
      })();
      return teardown;
    },
    removed: () => removed,
  };
}
