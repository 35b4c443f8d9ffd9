/**
 * Which HTTP API the board follows on AWS: the newest of the learner's dojo stacks (their
 * stage) that has one. osls names it in the stack's HttpApiUrl output, and the stack's
 * WebSocket API (session 3's bonus part), which the board then follows too, in
 * ServiceEndpointWebsocket.
 */
import type { AwsContext } from './context.ts';
import { describeDeployment, listDojoStacks } from './stacks.ts';

export interface DeployedApi {
  stackName: string;
  url: string;
  /** The stack's WebSocket API, `wss://…/<stage>`, when it has one. */
  webSocket?: string;
}

export async function deployedApi(
  ctx: AwsContext,
  region: string,
  stage: string,
): Promise<DeployedApi | undefined> {
  const cf = ctx.cloudFormation(region);
  const stacks = (await listDojoStacks(cf, { stage })).filter((s) => !/^(DELETE|ROLLBACK)_/.test(s.status));
  stacks.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  for (const s of stacks) {
    const { outputs } = await describeDeployment(cf, s.stackName);
    const url = outputs.HttpApiUrl;
    const ws = outputs.ServiceEndpointWebsocket;
    if (typeof url === 'string' && /^https?:\/\//.test(url))
      return {
        stackName: s.stackName,
        url: url.replace(/\/+$/, ''),
        ...(typeof ws === 'string' && /^wss?:\/\//.test(ws) ? { webSocket: ws.replace(/\/+$/, '') } : {}),
      };
  }
  return undefined;
}
