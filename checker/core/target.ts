/**
 * Where a check runs: the local cloud or real AWS, behind one small interface so that the
 * observation code (AWS API calls) is the same for both. Only the local target has a
 * trace (extra causal detail) and a virtual clock (time passes in a blink).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Template, Trace } from '../../emulator/index.ts';

export interface DeployedResource {
  logicalId: string;
  type: string;
  physicalId: string;
}

export interface Deployment {
  stackName: string;
  resources: Map<string, DeployedResource>;
  outputs: Record<string, unknown>;
  warnings: string[];
}

export interface AwsClients {
  dynamodb: DynamoDBClient;
  lambda: LambdaClient;
  sfn: SFNClient;
  events: EventBridgeClient;
  /** The check's own capture queue (checker/core/bus-capture.ts); the learner's services have none. */
  sqs: SQSClient;
  scheduler: SchedulerClient;
}

export interface Target {
  kind: 'local' | 'aws';
  region: string;
  accountId: string;
  deploy(dir: string, template: Template): Promise<Deployment>;
  /**
   * Lets `ms` of (virtual on local, real on AWS) time pass. `quiet`: without a progress line
   * (a watch letting its last events arrive, a second at a time).
   */
  run(ms: number, options?: { quiet?: boolean }): Promise<void>;
  /** Current time on the target's clock, epoch ms. */
  now(): number;
  clients(): AwsClients;
  /** Base URL of the service's HTTP API (no trailing slash), or undefined when it has none. */
  httpApiUrl(deployment: Deployment): string | undefined;
  /** The URL a client opens for the service's WebSocket API (`wss://…/<stage>`), or undefined when it has none. */
  webSocketUrl(deployment: Deployment): string | undefined;
  /** The local cloud's trace; undefined on AWS. */
  trace?: Trace;
  /**
   * Local only: runs a function's handler once per input, its Math.random answering that
   * input (null: the sandbox's own seeded stream). How a check measures a draw exactly.
   */
  probeRandom?(
    functionName: string,
    inputs: Array<number | null>,
  ): Promise<Array<{ calls: number; ok: boolean; value?: unknown; error?: string }>>;
  /** Always safe to call, more than once too. */
  teardown(): Promise<void>;
}

/** The logical id osls gives the WebSocket API of `websocket` events. */
export const WEBSOCKET_API = 'WebsocketsApi';

/**
 * The service's HTTP API. osls names it HttpApi; a WebSocket API is an AWS::ApiGatewayV2::Api
 * too (WebsocketsApi), so the type alone does not tell them apart.
 */
export function httpApiOf(deployment: Deployment): DeployedResource | undefined {
  const apis = [...deployment.resources.values()].filter(
    (r) => r.type === 'AWS::ApiGatewayV2::Api' && r.logicalId !== WEBSOCKET_API,
  );
  return apis.find((r) => r.logicalId === 'HttpApi') ?? apis[0];
}

/** The service's WebSocket API and its stage (osls's WebsocketsDeploymentStage; Ref of a stage is its name). */
export function webSocketOf(deployment: Deployment): { apiId: string; stage: string } | undefined {
  const api = deployment.resources.get(WEBSOCKET_API);
  const stage = [...deployment.resources.values()].find(
    (r) => r.type === 'AWS::ApiGatewayV2::Stage' && r.logicalId.startsWith('Websockets'),
  );
  return api && stage ? { apiId: api.physicalId, stage: stage.physicalId } : undefined;
}

export function makeClients(config: {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}): AwsClients {
  return {
    dynamodb: new DynamoDBClient(config),
    lambda: new LambdaClient(config),
    sfn: new SFNClient(config),
    events: new EventBridgeClient(config),
    sqs: new SQSClient(config),
    scheduler: new SchedulerClient(config),
  };
}

export function destroyClients(c: AwsClients | undefined): void {
  if (!c) return;
  for (const client of Object.values(c)) client.destroy();
}
