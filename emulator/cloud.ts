import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { VirtualClock, type Speed } from './core/clock.ts';
import { Trace } from './core/trace.ts';
import { Gateway, send, sendJson } from './gateway/server.ts';
import { createAuthorizer, type Authorizer } from './gateway/authorize.ts';
import { DynamoDb } from './dynamodb/provider.ts';
import { LambdaService } from './lambda/service.ts';
import { handleLambdaRequest, isLambdaRequest } from './lambda/api.ts';
import { HttpApis } from './apigateway/http-api.ts';
import type { PolicyStatement } from './iam/policy.ts';
import { packageService, type Template } from './stack/package.ts';
import { deployTemplate, type DeployedStack, type Provisioner } from './stack/deploy.ts';
import { coreProvisioners } from './stack/provisioners.ts';
import { dojoRoutes } from './gateway/dojo-routes.ts';
import { EventBridgeService } from './events/service.ts';
import { eventsProvisioners } from './events/provisioners.ts';
import { StepFunctionsService } from './stepfunctions/service.ts';
import { handleSts, isStsRequest } from './sts/api.ts';

/**
 * The local cloud: a gateway on one loopback port, DynamoDB, Lambda, HTTP APIs,
 * EventBridge and Step Functions, all on one virtual clock, with a trace of everything.
 *
 *   const cloud = await LocalCloud.start();
 *   const stack = await cloud.deployService('backend');
 *   await cloud.clock.advance(20 * 60_000);
 *   await cloud.stop();
 *
 * One local cloud per process: its clock replaces the global timers and Date.
 */
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
  /** Where warnings go (default: the trace only). */
  onWarning?(message: string): void;
}

export const DEFAULT_ACCOUNT_ID = '123456789012';
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
  readonly events: EventBridgeService;
  readonly sfn: StepFunctionsService;
  readonly authorizer: Authorizer;
  readonly roles = new Map<string, PolicyStatement[]>();
  readonly stacks = new Map<string, DeployedStack>();
  /** Provisioners by resource type; services of part 2 add theirs. */
  readonly provisioners: Record<string, Provisioner>;
  private stopped = false;

  private constructor(private readonly options: LocalCloudOptions) {
    this.region = options.region ?? DEFAULT_REGION;
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.clock = new VirtualClock({ start: options.start, speed: options.speed ?? 'paused' });
    this.trace = new Trace(() => this.clock.now());
    this.gateway = new Gateway({ port: options.port, clock: this.clock, callerFor: (key) => this.lambda.callerFor(key) });
    this.authorizer = createAuthorizer({ enforce: options.enforceIam ?? true, region: this.region, accountId: this.accountId, statementsForRole: (arn) => this.roles.get(arn) });
    this.dynamodb = new DynamoDb({ path: options.dataDir ? join(options.dataDir, 'dynamodb') : undefined, trace: this.trace, authorize: (req, service, action, input) => this.authorizer.authorize(req, service, action, input) });
    this.lambda = new LambdaService({ clock: this.clock, trace: this.trace, region: this.region, accountId: this.accountId, endpoint: () => this.gateway.url, seed: options.seed });
    this.httpApis = new HttpApis({ lambda: this.lambda, trace: this.trace, region: this.region, accountId: this.accountId });
    this.events = new EventBridgeService({
      clock: this.clock,
      trace: this.trace,
      region: this.region,
      accountId: this.accountId,
      invokeLambda: (arn, event, opts) => this.lambda.invoke(arn, event, { ...opts, invocationType: 'Event' }),
      startExecution: async (stateMachineArn, input, opts) => this.sfn.startExecution({ stateMachineArn, input }, opts),
    });
    this.sfn = new StepFunctionsService({
      clock: this.clock,
      trace: this.trace,
      region: this.region,
      accountId: this.accountId,
      invokeLambda: (arn, payload, opts) => this.lambda.invoke(arn, payload, opts),
      putEvents: async (entries, opts) => this.events.putEvents(entries, { ...opts, caller: 'states' }),
      dynamodb: (action, input) => this.dynamodb.call(action, input),
    });
    this.provisioners = {
      ...coreProvisioners({ dynamodb: this.dynamodb, lambda: this.lambda, httpApis: this.httpApis, roles: this.roles, endpoint: () => this.gateway.url, warn: (m) => this.warn(m) }),
      ...eventsProvisioners(this.events),
      'AWS::StepFunctions::StateMachine': (logicalId, p, ctx) => {
        const name = p.StateMachineName ?? ctx.generatedName(logicalId, 80);
        try {
          const { stateMachineArn } = this.sfn.createStateMachine({ name, definition: p.DefinitionString ?? p.Definition, roleArn: p.RoleArn, type: p.StateMachineType });
          return { ref: stateMachineArn, attributes: { Arn: stateMachineArn, Name: name } };
        } catch (err) {
          throw new Error(`Resource ${logicalId} (AWS::StepFunctions::StateMachine): ${(err as Error).message}`);
        }
      },
    };
  }

  static async start(options: LocalCloudOptions = {}): Promise<LocalCloud> {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const cloud = new LocalCloud(options);
    try {
      await cloud.dynamodb.start();
      cloud.routes();
      await cloud.gateway.listen();
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
   * would send TestState to `sync-<host>`, a name that does not resolve locally.
   */
  clientConfig() {
    return { endpoint: this.endpoint, region: this.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true };
  }

  /** Packages the service with `osls package` (cached) and deploys its template. */
  async deployService(serviceDir: string, options: { stage?: string } = {}): Promise<DeployedStack> {
    const dir = resolve(serviceDir);
    const stage = options.stage ?? 'local';
    const { template } = await packageService(dir, stage);
    return this.deployTemplate(template, { serviceDir: dir, stackName: stackNameOf(template, stage) });
  }

  async deployTemplate(template: Template, options: { serviceDir: string; stackName: string }): Promise<DeployedStack> {
    const release = this.clock.hold();
    try {
      const stack = await deployTemplate(template, { ...options, region: this.region, accountId: this.accountId, provisioners: this.provisioners, warn: (m) => this.warn(m) });
      this.stacks.set(stack.name, stack);
      this.trace.record({ kind: 'stack.deploy', stack: stack.name, resources: [...stack.resources.values()].map((r) => ({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId })), warnings: stack.warnings });
      return stack;
    } finally {
      release();
    }
  }

  warn(message: string): void {
    this.trace.record({ kind: 'stack.warning', message });
    this.options.onWarning?.(message);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.gateway.close();
    this.events.deleteAll();
    this.sfn.dispose();
    await this.lambda.dispose();
    // dynalite closes its store with timers of its own: give it the real ones back first.
    this.clock.uninstall();
    await this.dynamodb.stop();
  }

  private routes(): void {
    const authorize = (service: 'dynamodb' | 'lambda' | 'events' | 'states') => (req: Parameters<Authorizer['authorize']>[0], action: string, input: unknown) =>
      this.authorizer.authorize(req, service, action, input);
    this.gateway.route(
      (req) => req.method === 'POST' && typeof req.headers['x-amz-target'] === 'string' && String(req.headers['x-amz-target']).startsWith('DynamoDB_20120810.'),
      async (req, res) => {
        const action = String(req.headers['x-amz-target']).split('.')[1];
        const input = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
        const out = await this.dynamodb.handle(action, input, req);
        send(res, out.status, out.headers['content-type'] ?? 'application/x-amz-json-1.0', out.body, out.headers);
      },
    );
    // No gateway hold for these: the invocation holds the clock itself, and lets it go while
    // the handler only waits for virtual timers (a Lambda sleeping 10 virtual minutes).
    this.gateway.jsonService('AWSEvents', (action, input, req) => {
      this.authorizer.authorize(req, 'events', action, input);
      return this.events.handle(action, input, { cause: req.caller?.invokeSeq, caller: req.caller?.functionName });
    });
    this.gateway.jsonService('AWSStepFunctions', (action, input, req) => {
      this.authorizer.authorize(req, 'states', action, input);
      return this.sfn.handle(action, input);
    }, 'application/x-amz-json-1.0');
    this.gateway.route(isLambdaRequest, (req, res) => handleLambdaRequest(this.lambda, authorize('lambda'), req, res), false);
    this.gateway.route((req) => this.httpApis.isRequest(req), (req, res) => this.httpApis.handle(req, res), false);
    this.gateway.route(isStsRequest, (req, res) => handleSts(req, res, this.accountId));
    dojoRoutes(this, this.gateway);
    this.gateway.route((req) => req.method === 'GET' && req.path === '/', async (_req, res) => sendJson(res, 200, { service: 'serverless-dojo local cloud', endpoint: this.endpoint }));
  }
}

/** CloudFormation stack name osls would use: <service>-<stage>. */
export function stackNameOf(template: Template, stage: string): string {
  for (const r of Object.values(template.Resources)) {
    const fn = r.Type === 'AWS::Lambda::Function' ? r.Properties?.FunctionName : undefined;
    if (typeof fn === 'string' && fn.includes(`-${stage}-`)) return fn.slice(0, fn.indexOf(`-${stage}-`) + stage.length + 1);
  }
  return `service-${stage}`;
}
