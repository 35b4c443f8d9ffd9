/**
 * The local cloud: a gateway on one loopback port, DynamoDB, Lambda, API Gateway (HTTP, REST and
 * WebSocket APIs), SQS, CloudWatch Logs, EventBridge, Step Functions, S3 and CloudFormation, all
 * on one virtual clock, with a trace of everything.
 *
 *   const cloud = await LocalCloud.start();
 *   const stack = await cloud.deployService('backend');
 *   await cloud.clock.advance(20 * 60_000);
 *   await cloud.stop();
 *
 * One local cloud per process: its clock replaces the global timers and Date. This module
 * only wires the services together; each lives in its folder (see docs/reference/architecture.md).
 */
import { join, resolve } from 'node:path';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { VirtualClock, type Speed } from './core/clock.ts';
import { Trace } from './core/trace.ts';
import { Gateway, sendJson } from './gateway/server.ts';
import { createAuthorizer, type Authorizer } from './gateway/authorize.ts';
import { dojoRoutes } from './gateway/dojo-routes.ts';
import { packageService, type Template } from './stack/package.ts';
import { deleteStack, deployTemplate, StackDeployError } from './stack/deploy.ts';
import type { DeployedStack, ResourceProvider } from './stack/provider.ts';
import { DynamoDb, dynamodbProviders, registerDynamoDbApi } from './dynamodb/index.ts';
import {
  EventSourceMappings,
  LambdaService,
  lambdaProviders,
  registerEventSourceMappingApi,
  registerLambdaApi,
  type SandboxPool,
} from './lambda/index.ts';
import {
  HttpApis,
  RestApis,
  WebSocketApis,
  apiUrls,
  apigatewayProviders,
  registerApiGatewayApi,
  type ApiUrl,
} from './apigateway/index.ts';
import { iamProviders, type PolicyStatement } from './iam/index.ts';
import { EventBridgeService, eventsProviders, registerEventsApi } from './events/index.ts';
import {
  StepFunctionsService,
  stepfunctionsProviders,
  registerStepFunctionsApi,
} from './stepfunctions/index.ts';
import { LOCAL_ACCOUNT_ID, registerStsApi } from './sts/index.ts';
import { SchedulerService, registerSchedulerApi, schedulerProviders } from './scheduler/index.ts';
import { evaluate } from './iam/policy.ts';
import { SqsService, registerSqsApi, sqsProviders } from './sqs/index.ts';
import { LogsService, lambdaStreamName, logsProviders, registerLogsApi } from './logs/index.ts';
import { S3Service, registerS3Api, s3Providers } from './s3/index.ts';
import { CloudFormationService } from './cloudformation/stacks.ts';
import { registerCloudFormationApi } from './cloudformation/api.ts';
import type { ResourceEvent } from './stack/deploy.ts';
import { unpackedCode } from './lambda/code-archive.ts';
import { AwsError } from './core/errors.ts';
import { registerEcrApi } from './ecr/api.ts';

export interface LocalCloudOptions {
  /** Gateway port; 0 (default) picks a free one. */
  port?: number;
  region?: string;
  accountId?: string;
  /** Virtual epoch ms at start (default: real now). */
  start?: number;
  speed?: Speed;
  /** Keep DynamoDB data on disk in this folder (npm run dev); in memory when absent. */
  dataDir?: string;
  /** Check calls from Lambdas against their IAM role (default true). */
  enforceIam?: boolean;
  /** Seeds Math.random inside Lambda sandboxes, so a check can be replayed. */
  seed?: number;
  /** How overloaded the machine is (load per core; default: the OS's load average). Lambda's
   *  init limit stretches by it past 1 (emulator/lambda/deadline.ts); tests pin it. */
  machineLoad?: () => number;
  /** Where warnings go (default: the trace only). */
  onWarning?(message: string): void;
  /** Booted Lambda sandboxes to start from, kept by a long-lived process across clouds (sandbox-pool.ts). */
  sandboxPool?: SandboxPool;
}

export const DEFAULT_ACCOUNT_ID = LOCAL_ACCOUNT_ID;
export const DEFAULT_REGION = 'eu-west-1';

export class LocalCloud {
  readonly region: string;
  readonly accountId: string;
  readonly clock: VirtualClock;
  readonly trace: Trace;
  readonly gateway: Gateway;
  readonly dynamodb: DynamoDb;
  readonly lambda: LambdaService;
  readonly httpApis: HttpApis;
  readonly restApis: RestApis;
  readonly webSockets: WebSocketApis;
  readonly events: EventBridgeService;
  readonly sfn: StepFunctionsService;
  readonly scheduler: SchedulerService;
  readonly sqs: SqsService;
  readonly logs: LogsService;
  readonly eventSourceMappings: EventSourceMappings;
  readonly s3: S3Service;
  /** CloudFormation's API over the same deployer: `sls deploy` and `aws cloudformation` use it. */
  readonly cloudFormation: CloudFormationService;
  readonly authorizer: Authorizer;
  readonly roles = new Map<string, PolicyStatement[]>();
  readonly stacks = new Map<string, DeployedStack>();
  /** Resource providers by resource type, from each service's provisioners.ts. */
  readonly providers: Record<string, ResourceProvider>;
  private stopped = false;
  /** Deploys run one at a time: each is an update of what the one before left. */
  private deploying: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: LocalCloudOptions) {
    this.region = options.region ?? DEFAULT_REGION;
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.clock = new VirtualClock({ start: options.start, speed: options.speed ?? 'paused' });
    this.trace = new Trace(() => this.clock.now());
    this.gateway = new Gateway({
      port: options.port,
      clock: this.clock,
      callerFor: (key) => this.lambda.callerFor(key),
    });
    this.authorizer = createAuthorizer({
      enforce: options.enforceIam ?? true,
      region: this.region,
      accountId: this.accountId,
      statementsForRole: (arn) => this.roles.get(arn),
    });
    this.dynamodb = new DynamoDb({
      path: options.dataDir ? join(options.dataDir, 'dynamodb') : undefined,
      trace: this.trace,
      region: this.region,
      accountId: this.accountId,
      now: () => this.clock.now(),
      authorize: (req, service, action, input) => this.authorizer.authorize(req, service, action, input),
    });
    this.logs = new LogsService({
      region: this.region,
      accountId: this.accountId,
      now: () => this.clock.now(),
    });
    this.lambda = new LambdaService({
      clock: this.clock,
      trace: this.trace,
      region: this.region,
      accountId: this.accountId,
      endpoint: () => this.gateway.url,
      seed: options.seed,
      writeLog: (group, stream, message) => this.logs.write(group, stream, message),
      logStreamName: () => lambdaStreamName(this.clock.now()),
      machineLoad: options.machineLoad,
      sandboxPool: options.sandboxPool,
    });
    this.httpApis = new HttpApis({
      lambda: this.lambda,
      trace: this.trace,
      region: this.region,
      accountId: this.accountId,
    });
    this.sqs = new SqsService({
      clock: this.clock,
      trace: this.trace,
      region: this.region,
      accountId: this.accountId,
      endpoint: () => this.gateway.url,
    });
    this.restApis = new RestApis({
      lambda: this.lambda,
      trace: this.trace,
      region: this.region,
      accountId: this.accountId,
      now: () => this.clock.now(),
    });
    this.webSockets = new WebSocketApis({
      lambda: this.lambda,
      trace: this.trace,
      clock: this.clock,
      region: this.region,
    });
    this.eventSourceMappings = new EventSourceMappings({
      clock: this.clock,
      trace: this.trace,
      region: this.region,
      sqs: this.sqs,
      streams: this.dynamodb.streams,
      functionOf: (name) => {
        const f = this.lambda.get(name);
        return f && { arn: f.arn, roleArn: f.roleArn };
      },
      invoke: (arn, event, opts) => this.lambda.invoke(arn, event, opts),
      deniedToRole: (roleArn, action, resource) => {
        if (!(options.enforceIam ?? true)) return undefined;
        const statements = roleArn ? this.roles.get(roleArn) : undefined;
        if (!statements) return 'the function has no role in the local cloud.';
        return evaluate(statements, action, resource) === 'allowed'
          ? undefined
          : `the role does not allow ${action}`;
      },
    });
    this.events = new EventBridgeService({
      clock: this.clock,
      trace: this.trace,
      region: this.region,
      accountId: this.accountId,
      invokeLambda: (arn, event, opts) =>
        this.lambda.invoke(arn, event, { ...opts, invocationType: 'Event' }),
      startExecution: async (stateMachineArn, input, opts) =>
        this.sfn.startExecution({ stateMachineArn, input }, opts),
      sendMessage: (arn, message, opts) => this.sendToQueue(arn, message, opts),
    });
    this.sfn = new StepFunctionsService({
      clock: this.clock,
      trace: this.trace,
      region: this.region,
      accountId: this.accountId,
      invokeLambda: (arn, payload, opts) => this.lambda.invoke(arn, payload, opts),
      putEvents: async (entries, opts) => this.events.putEvents(entries, { ...opts, caller: 'states' }),
      dynamodb: (action, input) => this.dynamodb.request(action, input),
      // S3 is made below; a Map reads and writes it only once an execution runs.
      s3: {
        getObject: (bucket, key) => this.s3.getObject(bucket, key),
        list: (bucket, options) => this.s3.list(bucket, options),
        putObject: (bucket, key, body, options) => this.s3.putObject(bucket, key, body, options),
      },
    });
    this.scheduler = new SchedulerService({
      clock: this.clock,
      trace: this.trace,
      region: this.region,
      accountId: this.accountId,
      seed: options.seed,
      invokeLambda: (arn, event, opts) =>
        this.lambda.invoke(arn, event, { ...opts, invocationType: 'Event' }),
      startExecution: async (stateMachineArn, input, opts) =>
        this.sfn.startExecution({ stateMachineArn, input }, opts),
      putEvents: (entries, opts) => this.events.putEvents(entries, opts),
      sendMessage: (arn, message, opts) => this.sendToQueue(arn, message, opts),
      deniedToRole: (roleArn, action, resource) => {
        if (!(options.enforceIam ?? true)) return undefined;
        const statements = this.roles.get(roleArn);
        if (!statements) return 'the role does not exist in the local cloud.';
        const decision = evaluate(statements, action, resource);
        return decision === 'allowed'
          ? undefined
          : `the role does not allow ${action} on ${resource}${decision === 'explicit-deny' ? ' (an explicit Deny)' : ''}.`;
      },
    });
    // On disk with DynamoDB's tables (npm run dev): a restart keeps buckets, objects and stacks.
    this.s3 = new S3Service({
      now: () => this.clock.now(),
      region: this.region,
      dir: options.dataDir ? join(options.dataDir, 's3') : undefined,
    });
    this.cloudFormation = new CloudFormationService({
      now: () => this.clock.now(),
      region: this.region,
      accountId: this.accountId,
      deploy: (template, opts) => this.deployTemplate(template, opts),
      remove: (name, onEvent) => this.deleteStack(name, { onEvent }),
      fetchTemplate: (url) => this.templateFromUrl(url),
      serviceDir: process.cwd(),
      file: options.dataDir ? join(options.dataDir, 'cloudformation.json') : undefined,
      warn: (m) => this.warn(m),
    });
    // A provider's warning belongs to the stack being deployed (deploys run one at a time).
    const warn = (m: string) => {
      this.providerWarnings?.push(m);
      this.warn(m);
    };
    this.providers = {
      ...dynamodbProviders({ dynamodb: this.dynamodb }),
      ...lambdaProviders({
        lambda: this.lambda,
        mappings: this.eventSourceMappings,
        warn,
        codeDir: (code) => this.codeDir(code),
      }),
      ...s3Providers({ s3: this.s3 }),
      ...iamProviders({ roles: this.roles, warn }),
      ...apigatewayProviders({
        httpApis: this.httpApis,
        restApis: this.restApis,
        webSockets: this.webSockets,
        endpoint: () => this.gateway.url,
        warn,
      }),
      ...eventsProviders({ events: this.events }),
      ...stepfunctionsProviders({ sfn: this.sfn }),
      ...schedulerProviders({ scheduler: this.scheduler }),
      ...sqsProviders({ sqs: this.sqs }),
      ...logsProviders({ logs: this.logs }),
    };
  }

  static async start(options: LocalCloudOptions = {}): Promise<LocalCloud> {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const cloud = new LocalCloud(options);
    try {
      await cloud.dynamodb.start();
      cloud.routes();
      await cloud.gateway.listen();
      await cloud.cloudFormation.restore();
    } catch (err) {
      await cloud.stop();
      throw err;
    }
    return cloud;
  }

  get endpoint(): string {
    return this.gateway.url;
  }

  /**
   * Settings for an AWS SDK v3 client that talks to this cloud. Host prefixes are off: the SDK
   * would send TestState to `sync-<host>`, a name that does not resolve locally. One attempt:
   * the local cloud never throttles, so a retry could only repeat a failure of its own, and the
   * SDK's backoff is a timer of the cloud's clock, which nothing moves while an in-process caller
   * waits on that call (a session-5 check whose sandboxes could not start never ended).
   */
  clientConfig() {
    return {
      endpoint: this.endpoint,
      region: this.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      disableHostPrefix: true,
      maxAttempts: 1,
    };
  }

  /** Packages the service with `osls package` (cached) and deploys its template as a CloudFormation stack. */
  async deployService(
    serviceDir: string,
    options: { stage?: string; note?: (line: string) => void } = {},
  ): Promise<DeployedStack> {
    const dir = resolve(serviceDir);
    const stage = options.stage ?? 'local';
    const { template } = await packageService(dir, stage, { note: options.note, accountId: this.accountId });
    // Through CloudFormation's records: DescribeStacks and `sls info` then list it.
    return this.cloudFormation.deployDirect({
      template,
      serviceDir: dir,
      stackName: stackNameOf(template, stage),
    });
  }

  /**
   * Deploys a template as a CloudFormation stack update of the stack of that name: unchanged
   * resources are kept as they are, changed ones updated or replaced, dropped ones deleted.
   * A failure throws a StackDeployError, after rolling back what this deploy did.
   */
  deployTemplate(
    template: Template,
    options: {
      serviceDir: string;
      stackName: string;
      onEvent?(e: ResourceEvent): void;
      onPhase?(phase: 'cleanup' | 'rollback'): void;
    },
  ): Promise<DeployedStack> {
    return this.serially(async () => {
      const previous = this.stacks.get(options.stackName);
      let stack: DeployedStack;
      const providerWarnings: string[] = [];
      this.providerWarnings = providerWarnings;
      try {
        stack = await deployTemplate(template, {
          ...options,
          region: this.region,
          accountId: this.accountId,
          providers: this.providers,
          previous,
          warn: (m) => this.warn(m),
        });
      } catch (err) {
        if (err instanceof StackDeployError) {
          if (err.left) this.stacks.set(options.stackName, err.left);
          else this.stacks.delete(options.stackName);
        }
        throw err;
      } finally {
        this.providerWarnings = undefined;
      }
      stack.warnings.push(...providerWarnings);
      this.stacks.set(stack.name, stack);
      this.trace.record({
        kind: 'stack.deploy',
        stack: stack.name,
        resources: [...stack.resources.values()].map((r) => ({
          logicalId: r.logicalId,
          type: r.type,
          physicalId: r.physicalId,
        })),
        changes: stack.changes,
        warnings: stack.warnings,
      });
      return stack;
    });
  }

  /**
   * Deletes every resource of the stack (dependents first); false when there is no such stack.
   * What could not be deleted stays the stack's (as CloudFormation's DELETE_FAILED keeps it),
   * so that deleting it again retries just those.
   */
  deleteStack(name: string, options: { onEvent?(e: ResourceEvent): void } = {}): Promise<boolean> {
    return this.serially(async () => {
      const stack = this.stacks.get(name);
      if (!stack) return false;
      const failed = new Set<string>();
      const problems = await deleteStack(stack, {
        region: this.region,
        accountId: this.accountId,
        providers: this.providers,
        warn: (m) => this.warn(m),
        onEvent: (e) => {
          if (e.status === 'DELETE_FAILED') failed.add(e.logicalId);
          options.onEvent?.(e);
        },
      });
      if (failed.size)
        this.stacks.set(name, {
          ...stack,
          resources: new Map([...stack.resources].filter(([id]) => failed.has(id))),
        });
      else this.stacks.delete(name);
      for (const p of problems)
        this.warn(`Deleting stack ${name}: ${p} could not be deleted; it is left in the local cloud.`);
      this.trace.record({ kind: 'stack.delete', stack: name });
      return true;
    });
  }

  /** Runs deploys and deletes one after the other, each holding the clock while it works. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.deploying.then(async () => {
      const release = this.clock.hold();
      try {
        return await work();
      } finally {
        release();
      }
    });
    this.deploying = run.catch(() => undefined);
    return run;
  }

  /** SendMessage from inside the local cloud (a rule's or a schedule's target, a dead-letter event). */
  private sendToQueue(
    arn: string,
    message: { body: string; groupId?: string; attributes?: Record<string, string> },
    opts: { cause?: number },
  ): void {
    const url = this.sqs.urlForArn(arn);
    if (!url)
      throw Object.assign(new Error(`The queue ${arn} does not exist.`), { name: 'QueueDoesNotExist' });
    const attributes = Object.entries(message.attributes ?? {}).map(([k, v]) => [
      k,
      { DataType: 'String', StringValue: v },
    ]);
    this.sqs.sendMessage(
      url,
      {
        MessageBody: message.body,
        MessageGroupId: message.groupId,
        MessageAttributes: attributes.length ? Object.fromEntries(attributes) : undefined,
      },
      opts,
    );
  }

  /** Where each API answers (a line each in `npm run dev`): REST stages, HTTP APIs, WebSocket stages. */
  apiUrls(): ApiUrl[] {
    return apiUrls(this.endpoint, this);
  }

  /**
   * A TemplateURL's template, from the local S3: path style (`https://s3.<region>.amazonaws.com/
   * <bucket>/<key>`, what osls sends, or the local endpoint) or virtual-host style
   * (`https://<bucket>.s3.<region>.amazonaws.com/<key>`).
   */
  private templateFromUrl(address: string): string {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw new AwsError('ValidationError', `TemplateURL must be a supported URL: ${address}`);
    }
    const path = decodeURIComponent(url.pathname).slice(1);
    const virtual = /^(.+)\.s3[.-]/.exec(url.hostname);
    const [bucket, key] = virtual
      ? [virtual[1], path]
      : [path.split('/')[0], path.split('/').slice(1).join('/')];
    const object = this.s3.findObject(bucket, key);
    if (!object)
      throw new AwsError(
        'ValidationError',
        `S3 error: the template ${address} is not in the local S3 (bucket ${bucket}, key ${key}). Upload it first (aws s3 cp), or pass it as TemplateBody.`,
      );
    return object.body.toString('utf8');
  }

  /** Where a function whose Code is a zip in the local S3 runs from; undefined for sources. */
  private codeDir(code: unknown): string | undefined {
    const c = code as { S3Bucket?: unknown; S3Key?: unknown } | undefined;
    if (typeof c?.S3Bucket !== 'string' || typeof c.S3Key !== 'string') return undefined;
    const zip = this.s3.findObject(c.S3Bucket, c.S3Key);
    if (!zip) return undefined;
    this.codeRoot ??= mkdtempSync(join(tmpdir(), 'dojo-lambda-code-'));
    return unpackedCode(zip.body, this.codeRoot);
  }

  private codeRoot: string | undefined;
  /** The warnings of the providers while a deploy runs: its stack's, with the deployer's own. */
  private providerWarnings: string[] | undefined;

  warn(message: string): void {
    this.trace.record({ kind: 'stack.warning', message });
    this.options.onWarning?.(message);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.webSockets.dispose();
    await this.gateway.close();
    this.events.deleteAll();
    this.sfn.dispose();
    this.scheduler.dispose();
    this.eventSourceMappings.dispose();
    this.sqs.dispose();
    await this.lambda.dispose();
    // dynalite closes its store with timers of its own: give it the real ones back first.
    this.clock.uninstall();
    await this.dynamodb.stop();
    if (this.codeRoot) rmSync(this.codeRoot, { recursive: true, force: true });
  }

  private routes(): void {
    // First: S3's REST paths are any path at all; its requests are told apart by their headers.
    registerS3Api(this.gateway, this.s3);
    registerCloudFormationApi(this.gateway, this.cloudFormation);
    registerDynamoDbApi(this.gateway, this.dynamodb);
    registerEventsApi(this.gateway, this.events, this.authorizer);
    registerStepFunctionsApi(this.gateway, this.sfn, this.authorizer);
    registerLambdaApi(this.gateway, this.lambda, this.authorizer);
    registerApiGatewayApi(this.gateway, this, () => this.endpoint);
    registerStsApi(this.gateway, this.accountId);
    registerEcrApi(this.gateway, this.accountId);
    registerSchedulerApi(this.gateway, this.scheduler, (req, action, input) =>
      this.authorizer.authorize(req, 'scheduler', action, input),
    );
    registerEventSourceMappingApi(this.gateway, this.eventSourceMappings, this.authorizer);
    registerSqsApi(this.gateway, this.sqs, this.clock, (req, action, input) =>
      this.authorizer.authorize(req, 'sqs', action, input),
    );
    registerLogsApi(this.gateway, this.logs);
    dojoRoutes(this, this.gateway);
    this.gateway.route(
      (req) => req.method === 'GET' && req.path === '/',
      async (_req, res) =>
        sendJson(res, 200, { service: 'serverless-dojo local cloud', endpoint: this.endpoint }),
    );
  }
}

/** CloudFormation stack name osls would use: <service>-<stage>. */
export function stackNameOf(template: Template, stage: string): string {
  for (const r of Object.values(template.Resources)) {
    const fn = r.Type === 'AWS::Lambda::Function' ? r.Properties?.FunctionName : undefined;
    if (typeof fn === 'string' && fn.includes(`-${stage}-`))
      return fn.slice(0, fn.indexOf(`-${stage}-`) + stage.length + 1);
  }
  return `service-${stage}`;
}
