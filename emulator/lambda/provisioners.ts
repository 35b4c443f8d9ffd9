/**
 * AWS::Lambda::Function and AWS::Lambda::EventSourceMapping from a template. A function's sandboxes run the handler's source
 * file. A changed handler, environment, timeout, memory or role updates it in place
 * (UpdateFunctionCode / UpdateFunctionConfiguration): the next invocation gets a new
 * sandbox, one in flight finishes on the old code. A new FunctionName replaces it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProvisionContext, ResourceProvider } from '../stack/provider.ts';
import { resourceError } from '../stack/provider.ts';
import { isStreamArn, type EventSourceMappings } from './event-source-mappings.ts';
import type { FunctionConfig, LambdaService } from './service.ts';

const TYPE = 'AWS::Lambda::Function';
const MAPPING = 'AWS::Lambda::EventSourceMapping';

/** The sources the local cloud polls: SQS queues and DynamoDB streams. */
const polled = (arn: unknown) => /^arn:aws[a-z-]*:sqs:/.test(String(arn)) || isStreamArn(arn);

export function lambdaProviders(deps: {
  lambda: LambdaService;
  mappings: EventSourceMappings;
  warn(message: string): void;
  /**
   * The folder holding the function's code when its `Code` (S3Bucket, S3Key) is a zip in the
   * local S3 (a stack made by `sls deploy`); undefined to run the service folder's sources.
   */
  codeDir?(code: unknown): string | undefined;
}): Record<string, ResourceProvider> {
  const { lambda, mappings, warn } = deps;
  const register = (logicalId: string, name: string, p: Record<string, any>, ctx: ProvisionContext) => {
    const dir = deps.codeDir?.(p.Code) ?? ctx.serviceDir;
    lambda.register(functionConfig(logicalId, name, p, { ...ctx, serviceDir: dir }, warn));
    return { ref: name, attributes: { Arn: lambda.arnOf(name) } };
  };
  return {
    [TYPE]: {
      create: (logicalId, p, ctx) =>
        register(logicalId, p.FunctionName ?? ctx.generatedName(logicalId, 64), p, ctx),
      update(logicalId, p, previous, ctx) {
        if (p.FunctionName !== previous.properties.FunctionName) return 'replace';
        return register(logicalId, previous.physicalId, p, ctx);
      },
      delete: (resource) => lambda.remove(resource.physicalId),
    },

    // A new event source or starting position replaces a mapping; the rest changes in place
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventsourcemapping.html).
    [MAPPING]: {
      create(logicalId, p, ctx) {
        if (!polled(p.EventSourceArn)) {
          // A Kinesis or broker source: warned and skipped, as an unsupported type is.
          warn(
            `${logicalId} (${MAPPING}) reads ${String(p.EventSourceArn)}, which the local cloud cannot poll (it runs SQS queues and DynamoDB streams): it was skipped. It will work on AWS; nothing that depends on it can be checked locally.`,
          );
          return { ref: ctx.generatedName(logicalId, 36), attributes: {} };
        }
        try {
          const { UUID } = mappings.create(mappingInput(p));
          return { ref: UUID, attributes: { Id: UUID } };
        } catch (err) {
          throw resourceError(logicalId, MAPPING, err);
        }
      },
      update(logicalId, p, previous) {
        const before = previous.properties;
        if (p.EventSourceArn !== before.EventSourceArn || p.StartingPosition !== before.StartingPosition)
          return 'replace';
        // Still a source the local cloud skips: nothing was made, nothing to change.
        if (!polled(p.EventSourceArn)) return { ref: previous.physicalId, attributes: {} };
        try {
          mappings.update(previous.physicalId, {
            ...mappingInput(p),
            FunctionResponseTypes: p.FunctionResponseTypes ?? [],
          });
        } catch (err) {
          throw resourceError(logicalId, MAPPING, err);
        }
        return { ref: previous.physicalId, attributes: previous.attributes };
      },
      delete(resource) {
        if (mappings.list().some((m) => m.UUID === resource.physicalId)) mappings.delete(resource.physicalId);
      },
    },
  };
}

function mappingInput(p: Record<string, any>) {
  return {
    FunctionName: p.FunctionName,
    EventSourceArn: p.EventSourceArn,
    BatchSize: p.BatchSize === undefined ? undefined : Number(p.BatchSize),
    MaximumBatchingWindowInSeconds:
      p.MaximumBatchingWindowInSeconds === undefined ? undefined : Number(p.MaximumBatchingWindowInSeconds),
    Enabled: p.Enabled === undefined ? undefined : String(p.Enabled) === 'true',
    FunctionResponseTypes: p.FunctionResponseTypes,
    FilterCriteria: p.FilterCriteria,
    StartingPosition: p.StartingPosition,
    BisectBatchOnFunctionError:
      p.BisectBatchOnFunctionError === undefined
        ? undefined
        : String(p.BisectBatchOnFunctionError) === 'true',
    MaximumRetryAttempts: p.MaximumRetryAttempts === undefined ? undefined : Number(p.MaximumRetryAttempts),
    MaximumRecordAgeInSeconds:
      p.MaximumRecordAgeInSeconds === undefined ? undefined : Number(p.MaximumRecordAgeInSeconds),
    ParallelizationFactor:
      p.ParallelizationFactor === undefined ? undefined : Number(p.ParallelizationFactor),
    DestinationConfig: p.DestinationConfig,
    TumblingWindowInSeconds:
      p.TumblingWindowInSeconds === undefined ? undefined : Number(p.TumblingWindowInSeconds),
  };
}

function functionConfig(
  logicalId: string,
  name: string,
  p: Record<string, any>,
  ctx: ProvisionContext,
  warn: (m: string) => void,
): FunctionConfig {
  const { sourceFile, exportName, found } = handlerSource(ctx.serviceDir, p.Handler);
  if (!found) {
    warn(
      `${logicalId}: the handler "${p.Handler}" has no source file: looked for ${sourceFile.replace(/\.ts$/, '.{ts,mts,js,mjs}')}. Check the handler path in serverless.ts.`,
    );
  }
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.Environment?.Variables ?? {}))
    environment[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return {
    name,
    logicalId,
    handler: p.Handler,
    sourceFile,
    exportName,
    codeDir: ctx.serviceDir,
    environment,
    timeout: Number(p.Timeout ?? 3),
    memorySize: Number(p.MemorySize ?? 128),
    roleArn: typeof p.Role === 'string' ? p.Role : undefined,
  };
}

/** `functions/createVirus/handler.main` → the source file it was built from, and `main`. */
export function handlerSource(
  serviceDir: string,
  handler: string,
): { sourceFile: string; exportName: string; found: boolean } {
  const dot = handler.lastIndexOf('.');
  const base = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  for (const ext of ['.ts', '.mts', '.js', '.mjs', '.cjs']) {
    const file = join(serviceDir, base + ext);
    if (existsSync(file)) return { sourceFile: file, exportName, found: true };
  }
  return { sourceFile: join(serviceDir, `${base}.ts`), exportName, found: false };
}
