/**
 * Deploys a CloudFormation template into the local cloud, the way CloudFormation runs a
 * stack update against what the previous deploy of the same stack left:
 *
 * 1. in dependency order, each resource is created (new), kept (same type, same resolved
 *    properties: not touched at all, so a table keeps its items and a function its warm
 *    sandboxes), updated in place, or replaced (the new one created now);
 * 2. then, in reverse dependency order, the resources gone from the template and the old
 *    halves of replacements are deleted.
 *
 * A failure in phase 1 rolls back what this deploy did (creates deleted, updates undone) and
 * throws a StackDeployError naming the resource and the state the stack is left in. Types
 * with no local meaning (log groups, versions, permissions) are
 * accepted quietly; anything else unknown is a clear warning, never a crash.
 */
import { randomBytes } from 'node:crypto';
import {
  dependencyOrder,
  evaluateConditions,
  resolveValue,
  type StackContext,
} from '../cloudformation/intrinsics.ts';
import type { Template } from './package.ts';
import {
  changed,
  resourceError,
  type DeployedResource,
  type DeployedStack,
  type ProvisionContext,
  type ResourceProvider,
  type StackChange,
} from './provider.ts';

export type {
  DeployedResource,
  DeployedStack,
  ProvisionContext,
  Provisioned,
  ResourceProvider,
  StackChange,
} from './provider.ts';

/** Resource types that exist only for AWS's sake and need nothing locally. */
const QUIET_TYPES = new Set([
  'AWS::Lambda::Version',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventInvokeConfig',
]);

export interface DeployOptions {
  stackName: string;
  serviceDir: string;
  region: string;
  accountId: string;
  providers: Record<string, ResourceProvider>;
  /** The stack as the last deploy of this name left it; absent on a first deploy. */
  previous?: DeployedStack;
  warn(message: string): void;
  /** Each resource's steps as they happen, for CloudFormation's stack events. */
  onEvent?(event: ResourceEvent): void;
  /** The deploy moves to its cleanup (phase 2) or to a rollback. */
  onPhase?(phase: 'cleanup' | 'rollback'): void;
}

/** One step of one resource, in CloudFormation's words (`CREATE_IN_PROGRESS`, `DELETE_FAILED`...). */
export interface ResourceEvent {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  reason?: string;
}

/** A deploy that failed: `message` names the resource and says what state the stack is in. */
export class StackDeployError extends Error {
  override readonly name = 'StackDeployError';
  constructor(
    message: string,
    /** The stack as it now stands in the local cloud: the previous one when the rollback worked. */
    readonly left: DeployedStack | undefined,
  ) {
    super(message);
  }
}

/** A step of phase 1, remembered so a failure can undo it. */
type Done =
  | { kind: 'created'; resource: DeployedResource }
  | { kind: 'updated'; before: DeployedResource; after: DeployedResource };

export async function deployTemplate(template: Template, options: DeployOptions): Promise<DeployedStack> {
  const previous = options.previous;
  const stack: DeployedStack = {
    name: options.stackName,
    serviceDir: options.serviceDir,
    template,
    resources: new Map(),
    outputs: {},
    warnings: [],
    changes: [],
  };
  const warn = (m: string) => {
    stack.warnings.push(m);
    options.warn(m);
  };
  const ctx = stackContext(template, options.stackName, options, stack);
  const pctx = provisionContext(options);
  const event = (e: ResourceEvent) => options.onEvent?.(e);

  const done: Done[] = [];
  /** Old halves of replacements, deleted in phase 2. */
  const replaced = new Map<string, DeployedResource>();

  for (const logicalId of dependencyOrder(template)) {
    const resource = template.Resources[logicalId];
    if (resource.Condition && !ctx.conditions[resource.Condition]) continue;
    const type = resource.Type;
    const before = previous?.resources.get(logicalId);
    const supported = type in options.providers;
    if (!supported && !QUIET_TYPES.has(type)) {
      warn(
        `${logicalId} (${type}) is not supported by the local cloud: it was skipped. It will exist on AWS; nothing that depends on it can be checked locally.`,
      );
    }
    const p = options.providers[type] ?? standIn();
    try {
      const properties = supported
        ? (resolveValue(resource.Properties ?? {}, ctx, `${logicalId}.Properties`) as Record<string, any>)
        : {};
      if (before && before.type === type && !changed(before.properties, properties)) {
        stack.resources.set(logicalId, before);
        stack.changes.push({ logicalId, type, action: 'keep' });
        continue;
      }
      // A changed type cannot be updated: the new resource replaces the old one.
      const verb = before ? 'UPDATE' : 'CREATE';
      event({ logicalId, type, physicalId: before?.physicalId, status: `${verb}_IN_PROGRESS` });
      const updated =
        before && before.type === type && p.update
          ? await p.update(logicalId, properties, before, pctx)
          : 'replace';
      if (before && updated !== 'replace') {
        const after: DeployedResource = {
          logicalId,
          type,
          physicalId: updated.ref,
          properties,
          attributes: updated.attributes ?? {},
        };
        stack.resources.set(logicalId, after);
        done.push({ kind: 'updated', before, after });
        stack.changes.push({ logicalId, type, action: 'update' });
        event({ logicalId, type, physicalId: after.physicalId, status: 'UPDATE_COMPLETE' });
        continue;
      }
      const made = await p.create(logicalId, properties, pctx);
      const created: DeployedResource = {
        logicalId,
        type,
        physicalId: made.ref,
        properties,
        attributes: made.attributes ?? {},
      };
      stack.resources.set(logicalId, created);
      done.push({ kind: 'created', resource: created });
      if (before) replaced.set(logicalId, before);
      stack.changes.push({ logicalId, type, action: before ? 'replace' : 'create' });
      event({ logicalId, type, physicalId: made.ref, status: `${verb}_COMPLETE` });
    } catch (err) {
      const cause = resourceError(logicalId, type, err);
      event({
        logicalId,
        type,
        physicalId: before?.physicalId,
        status: `${before ? 'UPDATE' : 'CREATE'}_FAILED`,
        reason: err instanceof Error ? err.message : String(err),
      });
      options.onPhase?.('rollback');
      const failures = await rollback(done, options.providers, pctx, event);
      throw new StackDeployError(
        failureMessage(options.stackName, cause.message, previous, failures),
        failures.length ? leftStack(stack, previous, failures) : previous,
      );
    }
  }

  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    try {
      stack.outputs[name] = resolveValue(output.Value, ctx, `Outputs.${name}`);
    } catch (err) {
      warn(`Output ${name} could not be resolved locally: ${(err as Error).message}`);
    }
  }

  // Phase 2: what the template dropped, and the old halves of replacements, dependents first.
  options.onPhase?.('cleanup');
  if (previous) {
    const doomed = new Map(replaced);
    for (const [logicalId, r] of previous.resources)
      if (!stack.resources.has(logicalId)) doomed.set(logicalId, r);
    for (const r of reverseOrder(previous, doomed)) {
      const p = options.providers[r.type];
      try {
        event({
          logicalId: r.logicalId,
          type: r.type,
          physicalId: r.physicalId,
          status: 'DELETE_IN_PROGRESS',
        });
        await p?.delete(r, pctx);
        event({ logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, status: 'DELETE_COMPLETE' });
        if (!replaced.has(r.logicalId))
          stack.changes.push({ logicalId: r.logicalId, type: r.type, action: 'delete' });
      } catch (err) {
        event({
          logicalId: r.logicalId,
          type: r.type,
          physicalId: r.physicalId,
          status: 'DELETE_FAILED',
          reason: (err as Error).message,
        });
        // As CloudFormation does: a failed cleanup does not undo the update; the resource stays.
        warn(
          `${r.logicalId} (${r.type}, ${r.physicalId}) could not be deleted: ${(err as Error).message}. It is left in the local cloud; restart it to be rid of it.`,
        );
      }
    }
  }
  return stack;
}

/** Deletes every resource of a stack, dependents first; returns what could not be deleted. */
export async function deleteStack(
  stack: DeployedStack,
  options: Omit<DeployOptions, 'previous' | 'stackName' | 'serviceDir' | 'onPhase'>,
): Promise<string[]> {
  const pctx = provisionContext({ ...options, stackName: stack.name, serviceDir: stack.serviceDir });
  const problems: string[] = [];
  for (const r of reverseOrder(stack, stack.resources)) {
    const e = { logicalId: r.logicalId, type: r.type, physicalId: r.physicalId };
    try {
      options.onEvent?.({ ...e, status: 'DELETE_IN_PROGRESS' });
      await options.providers[r.type]?.delete(r, pctx);
      options.onEvent?.({ ...e, status: 'DELETE_COMPLETE' });
    } catch (err) {
      options.onEvent?.({ ...e, status: 'DELETE_FAILED', reason: (err as Error).message });
      problems.push(`${r.logicalId} (${r.type}): ${(err as Error).message}`);
    }
  }
  return problems;
}

/** Summarizes a deploy's changes for people: "2 created, 1 updated, 9 kept, 1 deleted". */
export function describeChanges(changes: StackChange[]): string {
  const count = (action: StackChange['action']) => changes.filter((c) => c.action === action).length;
  const words: Array<[StackChange['action'], string]> = [
    ['create', 'created'],
    ['update', 'updated'],
    ['replace', 'replaced'],
    ['delete', 'deleted'],
    ['keep', 'kept'],
  ];
  return (
    words
      .filter(([a]) => count(a) > 0)
      .map(([a, w]) => `${count(a)} ${w}`)
      .join(', ') || 'no resources'
  );
}

function stackContext(
  template: Template,
  stackName: string,
  options: DeployOptions,
  stack: DeployedStack,
): StackContext {
  const ctx: StackContext = {
    stackName,
    region: options.region,
    accountId: options.accountId,
    parameters: Object.fromEntries(Object.entries(template.Parameters ?? {}).map(([k, p]) => [k, p.Default])),
    mappings: template.Mappings,
    conditions: {},
    ref(logicalId) {
      const r = stack.resources.get(logicalId);
      if (!r) throw new Error(`Ref to ${logicalId}, which is not deployed (yet).`);
      return r.physicalId;
    },
    getAtt(logicalId, attribute) {
      const r = stack.resources.get(logicalId);
      if (!r) throw new Error(`Fn::GetAtt on ${logicalId}, which is not deployed (yet).`);
      if (!(attribute in r.attributes))
        throw new Error(
          `Fn::GetAtt: ${logicalId} (${r.type}) has no attribute ${attribute} in the local cloud.`,
        );
      return r.attributes[attribute];
    },
  };
  ctx.conditions = evaluateConditions(template, ctx);
  return ctx;
}

function provisionContext(options: {
  stackName: string;
  serviceDir: string;
  region: string;
  accountId: string;
}): ProvisionContext {
  return {
    stackName: options.stackName,
    serviceDir: options.serviceDir,
    region: options.region,
    accountId: options.accountId,
    // Like CloudFormation: stack and logical id, cut to fit, then a random suffix.
    generatedName: (logicalId, max = 64) =>
      `${`${options.stackName}-${logicalId}`.slice(0, max - 13)}-${randomBytes(6).toString('hex').toUpperCase()}`,
  };
}

/** A resource type the local cloud has no provider for: a placeholder, so Refs to it resolve. */
function standIn(): ResourceProvider {
  return {
    create: (logicalId, _p, ctx) => ({
      ref: ctx.generatedName(logicalId),
      attributes: { Arn: `arn:aws:local:${ctx.region}:${ctx.accountId}:${logicalId}` },
    }),
    delete() {},
  };
}

/** Undoes phase 1, newest first; returns what could not be undone. */
async function rollback(
  done: Done[],
  providers: Record<string, ResourceProvider>,
  ctx: ProvisionContext,
  event: (e: ResourceEvent) => void,
): Promise<Array<{ step: Done; error: string }>> {
  const failures: Array<{ step: Done; error: string }> = [];
  for (const step of [...done].reverse()) {
    const r = step.kind === 'created' ? step.resource : step.after;
    const verb = step.kind === 'created' ? 'DELETE' : 'UPDATE';
    const e = { logicalId: r.logicalId, type: r.type, physicalId: r.physicalId };
    try {
      event({ ...e, status: `${verb}_IN_PROGRESS` });
      if (step.kind === 'created') {
        await providers[step.resource.type]?.delete(step.resource, ctx);
      } else {
        const p = providers[step.after.type];
        const back = await p?.update?.(step.before.logicalId, step.before.properties, step.after, ctx);
        if (back === 'replace') throw new Error('its provider cannot change it back in place');
      }
      event({ ...e, status: `${verb}_COMPLETE` });
    } catch (err) {
      event({ ...e, status: `${verb}_FAILED`, reason: (err as Error).message });
      failures.push({ step, error: (err as Error).message });
    }
  }
  return failures;
}

function failureMessage(
  stackName: string,
  cause: string,
  previous: DeployedStack | undefined,
  failures: Array<{ step: Done; error: string }>,
): string {
  if (!failures.length) {
    return previous
      ? `${cause}\nStack ${stackName} was rolled back: it is as the previous deploy left it. Fix the resource and deploy again.`
      : `${cause}\nStack ${stackName} was not created: what this deploy had made is deleted again. Fix the resource and deploy again.`;
  }
  const stuck = failures.map(({ step, error }) => {
    const r = step.kind === 'created' ? step.resource : step.after;
    return `  ${r.logicalId} (${r.type}) is left ${step.kind === 'created' ? 'created' : 'with its new properties'}: ${error}`;
  });
  return `${cause}\nStack ${stackName} could not be rolled back completely:\n${stuck.join('\n')}\nRestart the local cloud for a clean state.`;
}

/** The stack as it stands when a rollback failed: the previous one, plus what could not be undone. */
function leftStack(
  attempt: DeployedStack,
  previous: DeployedStack | undefined,
  failures: Array<{ step: Done; error: string }>,
): DeployedStack {
  const resources = new Map(previous?.resources ?? []);
  for (const { step } of failures) {
    const r = step.kind === 'created' ? step.resource : step.after;
    resources.set(r.logicalId, r);
  }
  return { ...(previous ?? attempt), resources };
}

/** The given resources of a stack in reverse dependency order (dependents first). */
function reverseOrder(stack: DeployedStack, which: Map<string, DeployedResource>): DeployedResource[] {
  let order: string[];
  try {
    order = dependencyOrder(stack.template);
  } catch {
    order = [...stack.resources.keys()];
  }
  const out = order
    .filter((id) => which.has(id))
    .reverse()
    .map((id) => which.get(id)!);
  for (const [id, r] of which) if (!order.includes(id)) out.push(r);
  return out;
}
