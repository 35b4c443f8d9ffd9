/**
 * CloudFormation's stacks, as its API shows them: stack records with AWS's statuses, stack
 * events (newest first, on the virtual clock), resources, outputs and exports, and change
 * sets. The work itself is the local cloud's one deployer (stack/deploy.ts, the same that
 * `npm run dev` uses): this module only drives it and keeps what CloudFormation would say.
 *
 * A create, update or delete returns at once (as CloudFormation's API does) and runs in the
 * background: CREATE_IN_PROGRESS → CREATE_COMPLETE, or CREATE_FAILED on a resource →
 * ROLLBACK_IN_PROGRESS → ROLLBACK_COMPLETE; UPDATE_IN_PROGRESS →
 * UPDATE_COMPLETE_CLEANUP_IN_PROGRESS → UPDATE_COMPLETE, or UPDATE_ROLLBACK_IN_PROGRESS →
 * UPDATE_ROLLBACK_COMPLETE; DELETE_IN_PROGRESS → DELETE_COMPLETE (or DELETE_FAILED).
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stack-resource-configuration-complete.html)
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../core/errors.ts';
import type { ResourceEvent } from '../stack/deploy.ts';
import type { Template } from '../stack/package.ts';
import type { DeployedStack } from '../stack/provider.ts';
import { loadStacks, saveStacks } from './disk.ts';
import type { ChangeSet, ResourceChange, StackRecord, Tag } from './records.ts';
import { parseTemplate } from './template-body.ts';

export type {
  ChangeSet,
  ResourceChange,
  StackEvent,
  StackRecord,
  StackResourceRecord,
  Tag,
} from './records.ts';

export interface CloudFormationDeps {
  now(): number;
  region: string;
  accountId: string;
  /** The one deployer: a stack update of the stack of that name (LocalCloud.deployTemplate). */
  deploy(
    template: Template,
    options: {
      stackName: string;
      serviceDir: string;
      onEvent(e: ResourceEvent): void;
      onPhase(phase: 'cleanup' | 'rollback'): void;
    },
  ): Promise<DeployedStack>;
  /** Deletes the stack's resources (LocalCloud.deleteStack). */
  remove(stackName: string, onEvent: (e: ResourceEvent) => void): Promise<unknown>;
  /** A template's text from a TemplateURL (the local S3), or an error saying why not. */
  fetchTemplate(url: string): string;
  /** Where the functions of stacks made through the API take their code from (their S3 zips). */
  serviceDir: string;
  /** Keep the stack records in this file, and find there those of an earlier run (npm run dev). */
  file?: string;
  /** Where a stack that could not be brought back after a restart is told. */
  warn?(message: string): void;
}

export interface StackInput {
  stackName: string;
  templateBody?: string;
  templateUrl?: string;
  tags?: Tag[];
  capabilities?: string[];
}

/** Statuses in which a stack has its resources: those brought back after a restart. */
const RESTORABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_ROLLBACK_FAILED',
  'DELETE_FAILED',
]);

const done = new Set([
  'CREATE_COMPLETE',
  'CREATE_FAILED',
  'ROLLBACK_COMPLETE',
  'ROLLBACK_FAILED',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_ROLLBACK_FAILED',
  'DELETE_FAILED',
  'REVIEW_IN_PROGRESS',
]);

export class CloudFormationService {
  private readonly live = new Map<string, StackRecord>();
  private readonly deleted: StackRecord[] = [];
  /** The background work of each stack, so tests (and shutdown) can wait for it. */
  private readonly work = new Map<string, Promise<void>>();
  /** Stacks whose create was given up for a delete requested meanwhile. */
  private readonly cancelled = new Set<string>();

  constructor(private readonly deps: CloudFormationDeps) {
    if (!deps.file) return;
    const kept = loadStacks(deps.file);
    for (const stack of kept.live) this.live.set(stack.stackName, stack);
    this.deleted.push(...kept.deleted);
  }

  /**
   * After a restart, the kept stacks' resources are deployed again from their templates (a
   * function's code from its folder or its zip in the local S3, which is kept as well), so that
   * what DescribeStacks lists is there. Their records and events stay as they were.
   */
  async restore(): Promise<void> {
    for (const stack of this.live.values()) {
      if (!RESTORABLE.has(stack.status) || !stack.templateBody) continue;
      const template = parseTemplate(stack.templateBody);
      try {
        const deployed = await this.deps.deploy(template, {
          stackName: stack.stackName,
          serviceDir: stack.serviceDir ?? this.deps.serviceDir,
          onEvent: () => undefined,
          onPhase: () => undefined,
        });
        for (const [id, r] of deployed.resources) {
          const record = stack.resources.get(id);
          if (record) record.physicalId = r.physicalId;
        }
        this.takeOutputs(stack, template, deployed);
      } catch (err) {
        this.deps.warn?.(
          `Stack ${stack.stackName} could not be brought back after the restart (${(err as Error).message}): deploy it again, or delete it with aws cloudformation delete-stack --stack-name ${stack.stackName}.`,
        );
      }
    }
    this.save();
  }

  /** A stack by name or StackId; a deleted one only by its StackId, as on AWS. */
  find(nameOrId: string): StackRecord | undefined {
    return (
      this.live.get(nameOrId) ??
      [...this.live.values()].find((s) => s.stackId === nameOrId) ??
      this.deleted.find((s) => s.stackId === nameOrId)
    );
  }

  get(nameOrId: string): StackRecord {
    const s = this.find(nameOrId);
    if (!s) throw new AwsError('ValidationError', `Stack with id ${nameOrId} does not exist`, 400);
    return s;
  }

  list(): StackRecord[] {
    return [...this.live.values(), ...this.deleted];
  }

  liveStacks(): StackRecord[] {
    return [...this.live.values()];
  }

  /** Resolves when the stack's create, update or delete under way has ended. */
  async settled(nameOrId: string): Promise<void> {
    const s = this.find(nameOrId);
    if (s) await this.work.get(s.stackId);
  }

  /** Every export of every live stack, by name. */
  exports(): Array<{ name: string; value: string; stackId: string }> {
    return this.liveStacks().flatMap((s) =>
      s.outputs
        .filter((o) => o.ExportName)
        .map((o) => ({ name: o.ExportName!, value: o.OutputValue, stackId: s.stackId })),
    );
  }

  templateOf(input: { templateBody?: string; templateUrl?: string }): string {
    if (input.templateBody !== undefined && input.templateUrl !== undefined)
      throw new AwsError('ValidationError', 'Specify exactly one of TemplateBody and TemplateURL, not both.');
    if (input.templateBody !== undefined) return input.templateBody;
    if (input.templateUrl !== undefined) return this.deps.fetchTemplate(input.templateUrl);
    throw new AwsError('ValidationError', 'Either Template URL or Template Body must be specified.');
  }

  createStack(input: StackInput): StackRecord {
    if (this.live.has(input.stackName))
      throw new AwsError('AlreadyExistsException', `Stack [${input.stackName}] already exists`, 400);
    const body = this.templateOf(input);
    const template = parseTemplate(body);
    const stack = this.newRecord(input, body, template);
    this.live.set(stack.stackName, stack);
    this.run(stack, 'CREATE', template, snapshot(stack)).catch(() => undefined);
    return stack;
  }

  /**
   * A deploy made without the API (`npm run dev`, `npm run invoke`): the stack's record is made
   * or updated as CreateStack or UpdateStack would, so that DescribeStacks, `sls info` and a later
   * `sls deploy` see the same stack. Unlike the API it never refuses (a learner's live loop must
   * deploy whatever state an earlier failure left), and gives back the deploy's own result or error.
   */
  deployDirect(input: { stackName: string; template: Template; serviceDir: string }): Promise<DeployedStack> {
    const body = JSON.stringify(input.template);
    let stack = this.live.get(input.stackName);
    // A first deploy that failed leaves nothing to update: on AWS it is deleted and made anew.
    if (stack?.status === 'ROLLBACK_COMPLETE' || stack?.status === 'REVIEW_IN_PROGRESS') {
      this.forget(stack);
      stack = undefined;
    }
    if (!stack) {
      stack = this.newRecord({ stackName: input.stackName }, body, input.template);
      this.live.set(stack.stackName, stack);
      return this.run(stack, 'CREATE', input.template, snapshot(stack), undefined, input.serviceDir);
    }
    const before = snapshot(stack);
    stack.templateBody = body;
    return this.run(stack, 'UPDATE', input.template, before, undefined, input.serviceDir);
  }

  updateStack(input: StackInput & { usePreviousTemplate?: boolean }): StackRecord {
    const stack = this.get(input.stackName);
    this.checkUpdatable(stack);
    const body = input.usePreviousTemplate ? stack.templateBody : this.templateOf(input);
    const template = parseTemplate(body);
    if (body === stack.templateBody && sameTags(input.tags, stack.tags))
      throw new AwsError('ValidationError', 'No updates are to be performed.');
    const before = snapshot(stack);
    stack.templateBody = body;
    if (input.tags) stack.tags = input.tags;
    if (input.capabilities) stack.capabilities = input.capabilities;
    this.run(stack, 'UPDATE', template, before).catch(() => undefined);
    return stack;
  }

  deleteStack(nameOrId: string): void {
    const stack = this.find(nameOrId);
    // Deleting a stack that does not exist succeeds, as on AWS.
    if (!stack || stack.status === 'DELETE_COMPLETE' || stack.status === 'DELETE_IN_PROGRESS') return;
    // A stack still being created can be deleted: CloudFormation gives up the create and
    // deletes what it made (what `osls remove` after a stopped `osls deploy` relies on). Any
    // other operation under way must end first, with AWS's refusal meanwhile.
    const creating = stack.status === 'CREATE_IN_PROGRESS';
    if (stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'REVIEW_IN_PROGRESS' && !creating)
      throw new AwsError(
        'ValidationError',
        `Stack [${stack.stackName}] cannot be deleted while in status ${stack.status}`,
      );
    // The create under way finishes its resources (the deployer cannot stop half-way) but no
    // longer ends the stack's status: the delete queued behind it does.
    if (creating) this.cancelled.add(stack.stackId);
    this.setStatus(stack, 'DELETE_IN_PROGRESS', 'User Initiated');
    const previous = this.work.get(stack.stackId) ?? Promise.resolve();
    const work = previous.then(async () => {
      let failed: string | undefined;
      await this.deps.remove(stack.stackName, (e) => {
        this.resourceEvent(stack, e);
        if (e.status === 'DELETE_FAILED') failed ??= e.logicalId;
      });
      if (failed) {
        this.setStatus(stack, 'DELETE_FAILED', `The following resource(s) failed to delete: [${failed}]. `);
        return;
      }
      this.setStatus(stack, 'DELETE_COMPLETE');
      this.forget(stack);
    });
    this.work.set(
      stack.stackId,
      work.catch(() => undefined),
    );
  }

  createChangeSet(
    input: StackInput & { changeSetName: string; changeSetType?: string; description?: string },
  ): ChangeSet {
    const type = input.changeSetType === 'CREATE' ? 'CREATE' : 'UPDATE';
    if (input.changeSetType === 'IMPORT')
      throw new AwsError(
        'ValidationError',
        'The local cloud does not import resources (ChangeSetType IMPORT).',
      );
    let stack = this.live.get(input.stackName);
    if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS')
      throw new AwsError('AlreadyExistsException', `Stack [${input.stackName}] already exists`, 400);
    if (type === 'UPDATE') {
      if (!stack || stack.status === 'REVIEW_IN_PROGRESS')
        throw new AwsError('ValidationError', `Stack [${input.stackName}] does not exist`);
      this.checkUpdatable(stack);
    }
    const body = this.templateOf(input);
    const template = parseTemplate(body);
    if (!stack) {
      // A change set that creates a stack makes it, empty, in REVIEW_IN_PROGRESS.
      stack = this.newRecord(input, body, { Resources: {} } as Template);
      stack.templateBody = '';
      this.live.set(stack.stackName, stack);
      this.stackEvent(stack, 'REVIEW_IN_PROGRESS', 'User Initiated');
    }
    if (stack.changeSets.has(input.changeSetName))
      throw new AwsError('AlreadyExistsException', `ChangeSet [${input.changeSetName}] already exists`, 400);
    const changes = diff(stack.templateBody ? parseTemplate(stack.templateBody) : undefined, template, stack);
    const unchanged = changes.length === 0 && type === 'UPDATE' && sameTags(input.tags, stack.tags);
    const cs: ChangeSet = {
      id: `arn:aws:cloudformation:${this.deps.region}:${this.deps.accountId}:changeSet/${input.changeSetName}/${randomUUID()}`,
      name: input.changeSetName,
      stackId: stack.stackId,
      type,
      status: unchanged ? 'FAILED' : 'CREATE_COMPLETE',
      statusReason: unchanged
        ? "The submitted information didn't contain changes. Submit different information to create a change set."
        : undefined,
      executionStatus: unchanged ? 'UNAVAILABLE' : 'AVAILABLE',
      createdAt: this.deps.now(),
      templateBody: body,
      tags: input.tags ?? stack.tags,
      capabilities: input.capabilities ?? [],
      changes,
      description: input.description,
    };
    stack.changeSets.set(cs.name, cs);
    this.save();
    return cs;
  }

  changeSet(name: string, stackName?: string): { stack: StackRecord; changeSet: ChangeSet } {
    for (const stack of stackName ? [this.get(stackName)] : this.list()) {
      for (const cs of stack.changeSets.values())
        if (cs.name === name || cs.id === name) return { stack, changeSet: cs };
    }
    throw new AwsError('ChangeSetNotFound', `ChangeSet [${name}] does not exist`, 404);
  }

  executeChangeSet(name: string, stackName?: string): void {
    const { stack, changeSet } = this.changeSet(name, stackName);
    if (changeSet.executionStatus !== 'AVAILABLE')
      throw new AwsError(
        'InvalidChangeSetStatus',
        `ChangeSet [${changeSet.id}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`,
      );
    if (changeSet.type === 'UPDATE') this.checkUpdatable(stack);
    changeSet.executionStatus = 'EXECUTE_IN_PROGRESS';
    const before = snapshot(stack);
    stack.templateBody = changeSet.templateBody;
    stack.tags = changeSet.tags;
    stack.capabilities = changeSet.capabilities;
    // The other change sets of the stack were made against what it was: executing one ends them.
    stack.changeSets.clear();
    this.run(stack, changeSet.type, parseTemplate(changeSet.templateBody), before, () => {
      changeSet.executionStatus = 'EXECUTE_COMPLETE';
    }).catch(() => undefined);
  }

  /** Deleting a change set that is not there succeeds, as on AWS (osls relies on it before each update). */
  deleteChangeSet(name: string, stackName?: string): void {
    if (stackName) this.get(stackName);
    let found;
    try {
      found = this.changeSet(name, stackName);
    } catch {
      return;
    }
    const { stack, changeSet } = found;
    if (changeSet.executionStatus === 'EXECUTE_IN_PROGRESS')
      throw new AwsError(
        'InvalidChangeSetStatus',
        `ChangeSet [${changeSet.id}] is being executed and cannot be deleted`,
      );
    stack.changeSets.delete(changeSet.name);
    this.save();
  }

  /** A stack gone: listed as deleted (ListStacks, DescribeStacks by StackId), no longer by name. */
  private forget(stack: StackRecord): void {
    stack.deletedAt = this.deps.now();
    this.live.delete(stack.stackName);
    this.deleted.push(stack);
    this.save();
  }

  private newRecord(input: StackInput, body: string, template: Template): StackRecord {
    return {
      stackId: `arn:aws:cloudformation:${this.deps.region}:${this.deps.accountId}:stack/${input.stackName}/${randomUUID()}`,
      stackName: input.stackName,
      status: 'CREATE_IN_PROGRESS',
      createdAt: this.deps.now(),
      description: descriptionOf(template),
      tags: input.tags ?? [],
      capabilities: input.capabilities ?? [],
      templateBody: body,
      outputs: [],
      events: [],
      resources: new Map(),
      changeSets: new Map(),
    };
  }

  private checkUpdatable(stack: StackRecord): void {
    const s = stack.status;
    if (
      s.endsWith('_IN_PROGRESS') ||
      s === 'ROLLBACK_COMPLETE' ||
      s === 'ROLLBACK_FAILED' ||
      s === 'CREATE_FAILED' ||
      s === 'DELETE_FAILED' ||
      s === 'UPDATE_ROLLBACK_FAILED'
    )
      throw new AwsError(
        'ValidationError',
        `Stack:${stack.stackId} is in ${s} state and can not be updated.`,
      );
  }

  /** Runs a create or an update in the background, moving the stack's status as CloudFormation does. */
  private run(
    stack: StackRecord,
    verb: 'CREATE' | 'UPDATE',
    template: Template,
    /** What the stack said before: a rolled-back update says it again. */
    before: Pick<StackRecord, 'templateBody' | 'tags' | 'capabilities'>,
    after?: () => void,
    /** Where the functions' code is: a direct deploy's service folder, else the API's S3 zips. */
    serviceDir = this.deps.serviceDir,
  ): Promise<DeployedStack> {
    if (verb === 'UPDATE') stack.updatedAt = this.deps.now();
    stack.serviceDir = serviceDir;
    this.setStatus(stack, `${verb}_IN_PROGRESS`, 'User Initiated');
    let failedResource: string | undefined;
    const previous = this.work.get(stack.stackId) ?? Promise.resolve();
    const work = previous.then(async (): Promise<DeployedStack> => {
      try {
        const deployed = await this.deps.deploy(template, {
          stackName: stack.stackName,
          serviceDir,
          onEvent: (e) => {
            if (e.status.endsWith('_FAILED') && !failedResource) failedResource = e.logicalId;
            this.resourceEvent(stack, e);
          },
          onPhase: (phase) => {
            if (phase === 'cleanup' && verb === 'UPDATE')
              this.setStatus(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
            if (phase === 'rollback')
              this.setStatus(
                stack,
                verb === 'CREATE' ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS',
                failedResource
                  ? `The following resource(s) failed to ${verb === 'CREATE' ? 'create' : 'update'}: [${failedResource}]. ${verb === 'CREATE' ? 'Rollback requested by user.' : ''}`.trim()
                  : undefined,
              );
          },
        });
        if (this.cancelled.delete(stack.stackId)) return deployed;
        this.takeOutputs(stack, template, deployed);
        // Resources the deploy deleted are no longer the stack's.
        for (const id of [...stack.resources.keys()])
          if (!deployed.resources.has(id)) stack.resources.delete(id);
        this.setStatus(stack, `${verb}_COMPLETE`);
        return deployed;
      } catch (err) {
        if (this.cancelled.delete(stack.stackId)) throw err;
        // What the rollback deleted is no longer the stack's; a rolled-back update has its old template.
        for (const id of [...stack.resources.keys()])
          if (stack.resources.get(id)!.status === 'DELETE_COMPLETE') stack.resources.delete(id);
        if (verb === 'UPDATE') Object.assign(stack, before);
        if (verb === 'CREATE') {
          this.setStatus(
            stack,
            stack.status === 'ROLLBACK_IN_PROGRESS' ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED',
          );
        } else {
          this.setStatus(stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
          this.setStatus(
            stack,
            stack.status.startsWith('UPDATE_ROLLBACK')
              ? 'UPDATE_ROLLBACK_COMPLETE'
              : 'UPDATE_ROLLBACK_FAILED',
          );
        }
        if (!failedResource) {
          // A template the deployer refused as a whole (not one resource): said on the stack.
          stack.statusReason = (err as Error).message;
        }
        throw err;
      } finally {
        after?.();
      }
    });
    this.work.set(
      stack.stackId,
      work.then(
        () => undefined,
        () => undefined,
      ),
    );
    return work;
  }

  private takeOutputs(stack: StackRecord, template: Template, deployed: DeployedStack): void {
    stack.outputs = Object.entries(deployed.outputs).map(([key, value]) => {
      const declared = (template.Outputs ?? {})[key] as
        { Description?: string; Export?: { Name?: unknown } } | undefined;
      const exportName = declared?.Export?.Name;
      return {
        OutputKey: key,
        OutputValue: typeof value === 'string' ? value : JSON.stringify(value),
        ...(declared?.Description ? { Description: declared.Description } : {}),
        ...(typeof exportName === 'string' ? { ExportName: exportName } : {}),
      };
    });
  }

  private setStatus(stack: StackRecord, status: string, reason?: string): void {
    stack.status = status;
    stack.statusReason = reason;
    this.stackEvent(stack, status, reason);
    this.save();
  }

  /** Writes the records down (npm run dev): at each status change, which follows its resources' events. */
  private save(): void {
    if (this.deps.file) saveStacks(this.deps.file, { live: this.liveStacks(), deleted: this.deleted });
  }

  private stackEvent(stack: StackRecord, status: string, reason?: string): void {
    stack.events.unshift({
      EventId: randomUUID(),
      StackId: stack.stackId,
      StackName: stack.stackName,
      LogicalResourceId: stack.stackName,
      PhysicalResourceId: stack.stackId,
      ResourceType: 'AWS::CloudFormation::Stack',
      Timestamp: this.deps.now(),
      ResourceStatus: status,
      ...(reason ? { ResourceStatusReason: reason } : {}),
    });
  }

  private resourceEvent(stack: StackRecord, e: ResourceEvent): void {
    const now = this.deps.now();
    const before = stack.resources.get(e.logicalId);
    const physicalId = e.physicalId ?? before?.physicalId ?? '';
    stack.resources.set(e.logicalId, {
      logicalId: e.logicalId,
      type: e.type,
      physicalId,
      status: e.status,
      reason: e.reason,
      updatedAt: now,
    });
    stack.events.unshift({
      EventId: `${e.logicalId}-${e.status}-${randomUUID()}`,
      StackId: stack.stackId,
      StackName: stack.stackName,
      LogicalResourceId: e.logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: e.type,
      Timestamp: now,
      ResourceStatus: e.status,
      ...(e.reason ? { ResourceStatusReason: e.reason } : {}),
    });
  }
}

function snapshot(stack: StackRecord): Pick<StackRecord, 'templateBody' | 'tags' | 'capabilities'> {
  return { templateBody: stack.templateBody, tags: stack.tags, capabilities: stack.capabilities };
}

function descriptionOf(template: Template): string | undefined {
  const d = (template as { Description?: unknown }).Description;
  return typeof d === 'string' ? d : undefined;
}

/** Whether a stack is done moving (nothing under way). */
export function isSettled(status: string): boolean {
  return done.has(status) || status === 'DELETE_COMPLETE';
}

function sameTags(a: Tag[] | undefined, b: Tag[]): boolean {
  if (!a) return true;
  const key = (t: Tag[]) => JSON.stringify([...t].sort((x, y) => (x.Key < y.Key ? -1 : 1)));
  return key(a) === key(b);
}

/** What a change set would do, resource by resource, comparing the templates as written. */
function diff(before: Template | undefined, after: Template, stack: StackRecord): ResourceChange[] {
  const changes: ResourceChange[] = [];
  const old = before?.Resources ?? {};
  for (const [id, r] of Object.entries(after.Resources ?? {})) {
    const o = old[id];
    if (!o) changes.push({ action: 'Add', logicalId: id, type: r.Type });
    else if (JSON.stringify(o) !== JSON.stringify(r))
      changes.push({
        action: 'Modify',
        logicalId: id,
        type: r.Type,
        physicalId: stack.resources.get(id)?.physicalId,
      });
  }
  for (const [id, r] of Object.entries(old))
    if (!(id in (after.Resources ?? {})))
      changes.push({
        action: 'Remove',
        logicalId: id,
        type: r.Type,
        physicalId: stack.resources.get(id)?.physicalId,
      });
  // Outputs alone changing is a change too (CloudFormation runs it as an update).
  if (
    !changes.length &&
    before &&
    JSON.stringify(before.Outputs ?? {}) !== JSON.stringify(after.Outputs ?? {})
  )
    return [{ action: 'Modify', logicalId: stack.stackName, type: 'AWS::CloudFormation::Stack' }];
  return changes;
}
