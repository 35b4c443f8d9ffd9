/**
 * AWS::Lambda::Function from a template: a function whose sandboxes run the handler's source
 * file. A changed handler, environment, timeout, memory or role updates it in place
 * (UpdateFunctionCode / UpdateFunctionConfiguration): the next invocation gets a new
 * sandbox, one in flight finishes on the old code. A new FunctionName replaces it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProvisionContext, ResourceProvider } from '../stack/provider.ts';
import type { FunctionConfig, LambdaService } from './service.ts';

const TYPE = 'AWS::Lambda::Function';

export function lambdaProviders(deps: {
  lambda: LambdaService;
  warn(message: string): void;
  /**
   * The folder holding the function's code when its `Code` (S3Bucket, S3Key) is a zip in the
   * local S3 (a stack made by `sls deploy`); undefined to run the service folder's sources.
   */
  codeDir?(code: unknown): string | undefined;
}): Record<string, ResourceProvider> {
  const { lambda, warn } = deps;
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
