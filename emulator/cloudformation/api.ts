/**
 * CloudFormation's wire API: the AWS Query protocol (a form-encoded POST with
 * `Action=...&Version=2010-05-15`, answered in XML), as the AWS SDK v3, the AWS CLI and osls
 * speak it. Errors go back as `<ErrorResponse>` with AWS's codes (ValidationError,
 * AlreadyExistsException, ChangeSetNotFound).
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/Welcome.html)
 */
import type { ServerResponse } from 'node:http';
import { AwsError } from '../core/errors.ts';
import { settledWithin } from '../core/real-time.ts';
import { send, type Gateway } from '../gateway/server.ts';
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';
import { parseTemplate } from './template-body.ts';
import type { ChangeSet, CloudFormationService, StackRecord, Tag } from './stacks.ts';

const VERSION = '2010-05-15';
const XMLNS = `http://cloudformation.amazonaws.com/doc/${VERSION}/`;

export const cloudformationApi: ApiCatalogue = {
  service: 'CloudFormation',
  protocol: 'Query (form-encoded POST, Version 2010-05-15, XML answers)',
  actions: [
    'CreateStack',
    'UpdateStack',
    'DeleteStack',
    'DescribeStacks',
    'ListStacks',
    'DescribeStackEvents',
    'DescribeStackResources',
    'DescribeStackResource',
    'ListStackResources',
    'GetTemplate',
    'ValidateTemplate',
    'CreateChangeSet',
    'DescribeChangeSet',
    'ExecuteChangeSet',
    'DeleteChangeSet',
    'ListChangeSets',
    'ListExports',
  ],
};

export function registerCloudFormationApi(gateway: Gateway, cfn: CloudFormationService): void {
  gateway.queryService(VERSION, (action, form, _req, res) => handle(cfn, action, form, res));
}

type Form = URLSearchParams;

/** `Tags.member.1.Key=a&Tags.member.1.Value=b` → [{Key:'a',Value:'b'}]; `X.member.1=a` → ['a']. */
export function members(form: Form, name: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  const prefix = `${name}.member.`;
  for (const [k, v] of form) {
    if (!k.startsWith(prefix)) continue;
    const [n, ...field] = k.slice(prefix.length).split('.');
    const i = Number(n) - 1;
    out[i] ??= {};
    out[i][field.join('.') || ''] = v;
  }
  return out.filter(Boolean);
}

function stackInput(form: Form) {
  const stackName = required(form, 'StackName');
  const tags =
    form.has('Tags') || [...form.keys()].some((k) => k.startsWith('Tags.member.'))
      ? (members(form, 'Tags') as unknown as Tag[])
      : undefined;
  const parameters = members(form, 'Parameters');
  if (parameters.some((p) => p.ParameterValue !== undefined))
    throw new AwsError(
      'ValidationError',
      'The local cloud does not take stack Parameters yet: give the template Default values instead.',
    );
  return {
    stackName,
    templateBody: form.get('TemplateBody') ?? undefined,
    templateUrl: form.get('TemplateURL') ?? undefined,
    tags,
    capabilities: members(form, 'Capabilities').map((c) => c['']),
  };
}

/**
 * How long DescribeStacks of a stack being deployed waits for the deploy to end, at most (real
 * time). A local stack settles in milliseconds, and a waiter that sees it in progress sleeps
 * its whole delay for nothing: the AWS CLI's `cloudformation deploy` waited 30 s after its
 * change set had run. The answer is still the stack as it is when sent, as on AWS: only its
 * latency grows, and never past what AWS's own can be.
 */
const DESCRIBE_HOLD_MS = 2000;

async function handle(
  cfn: CloudFormationService,
  action: string,
  form: Form,
  res: ServerResponse,
): Promise<void> {
  const ok = (result = '') => sendXml(res, action, result);
  switch (action) {
    case 'CreateStack': {
      const s = cfn.createStack(stackInput(form));
      return ok(`<StackId>${esc(s.stackId)}</StackId>`);
    }
    case 'UpdateStack': {
      const s = cfn.updateStack({
        ...stackInput(form),
        usePreviousTemplate: form.get('UsePreviousTemplate') === 'true',
      });
      return ok(`<StackId>${esc(s.stackId)}</StackId>`);
    }
    case 'DeleteStack':
      cfn.deleteStack(required(form, 'StackName'));
      return ok();
    case 'DescribeStacks': {
      const name = form.get('StackName');
      if (name) await settledWithin(cfn.settled(name), DESCRIBE_HOLD_MS);
      const stacks = name ? [cfn.get(name)] : cfn.liveStacks();
      return ok(`<Stacks>${stacks.map(stackXml).join('')}</Stacks>`);
    }
    case 'ListStacks': {
      const filter = members(form, 'StackStatusFilter').map((m) => m['']);
      const stacks = cfn.list().filter((s) => !filter.length || filter.includes(s.status));
      return ok(
        `<StackSummaries>${stacks
          .map(
            (s) =>
              `<member><StackId>${esc(s.stackId)}</StackId><StackName>${esc(s.stackName)}</StackName><StackStatus>${s.status}</StackStatus>${s.statusReason ? `<StackStatusReason>${esc(s.statusReason)}</StackStatusReason>` : ''}<CreationTime>${iso(s.createdAt)}</CreationTime>${s.updatedAt ? `<LastUpdatedTime>${iso(s.updatedAt)}</LastUpdatedTime>` : ''}${s.deletedAt ? `<DeletionTime>${iso(s.deletedAt)}</DeletionTime>` : ''}${s.description ? `<TemplateDescription>${esc(s.description)}</TemplateDescription>` : ''}</member>`,
          )
          .join('')}</StackSummaries>`,
      );
    }
    case 'DescribeStackEvents': {
      const s = cfn.get(required(form, 'StackName'));
      const page = paginate(s.events, form.get('NextToken'), 100);
      return ok(
        `<StackEvents>${page.items.map((e) => `<member>${fields(e)}</member>`).join('')}</StackEvents>${page.next ? `<NextToken>${page.next}</NextToken>` : ''}`,
      );
    }
    case 'DescribeStackResources': {
      const s = cfn.get(required(form, 'StackName'));
      const logical = form.get('LogicalResourceId');
      const rs = [...s.resources.values()].filter((r) => !logical || r.logicalId === logical);
      return ok(
        `<StackResources>${rs.map((r) => `<member>${resourceXml(s, r)}</member>`).join('')}</StackResources>`,
      );
    }
    case 'DescribeStackResource': {
      const s = cfn.get(required(form, 'StackName'));
      const id = required(form, 'LogicalResourceId');
      const r = s.resources.get(id);
      if (!r) throw new AwsError('ValidationError', `Resource ${id} does not exist for stack ${s.stackName}`);
      return ok(
        `<StackResourceDetail>${resourceXml(s, r, 'LastUpdatedTimestamp')}<Metadata>{}</Metadata></StackResourceDetail>`,
      );
    }
    case 'ListStackResources': {
      const s = cfn.get(required(form, 'StackName'));
      return ok(
        `<StackResourceSummaries>${[...s.resources.values()]
          .map(
            (r) =>
              `<member><LogicalResourceId>${esc(r.logicalId)}</LogicalResourceId><PhysicalResourceId>${esc(r.physicalId)}</PhysicalResourceId><ResourceType>${esc(r.type)}</ResourceType><ResourceStatus>${r.status}</ResourceStatus>${r.reason ? `<ResourceStatusReason>${esc(r.reason)}</ResourceStatusReason>` : ''}<LastUpdatedTimestamp>${iso(r.updatedAt)}</LastUpdatedTimestamp></member>`,
          )
          .join('')}</StackResourceSummaries>`,
      );
    }
    case 'GetTemplate': {
      const changeSetName = form.get('ChangeSetName');
      const body = changeSetName
        ? cfn.changeSet(changeSetName, form.get('StackName') ?? undefined).changeSet.templateBody
        : cfn.get(required(form, 'StackName')).templateBody;
      return ok(
        `<TemplateBody>${esc(body)}</TemplateBody><StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>`,
      );
    }
    case 'ValidateTemplate': {
      const t = parseTemplate(
        cfn.templateOf({
          templateBody: form.get('TemplateBody') ?? undefined,
          templateUrl: form.get('TemplateURL') ?? undefined,
        }),
      );
      const params = Object.entries(t.Parameters ?? {})
        .map(
          ([k, p]) =>
            `<member><ParameterKey>${esc(k)}</ParameterKey>${p.Default !== undefined ? `<DefaultValue>${esc(String(p.Default))}</DefaultValue>` : ''}<NoEcho>false</NoEcho></member>`,
        )
        .join('');
      const iam = Object.values(t.Resources).some((r) => r.Type.startsWith('AWS::IAM::'));
      const description = (t as { Description?: unknown }).Description;
      return ok(
        `<Parameters>${params}</Parameters>${typeof description === 'string' ? `<Description>${esc(description)}</Description>` : ''}${iam ? '<Capabilities><member>CAPABILITY_IAM</member></Capabilities><CapabilitiesReason>The following resource(s) require capabilities: [AWS::IAM::Role]</CapabilitiesReason>' : '<Capabilities/>'}`,
      );
    }
    case 'CreateChangeSet': {
      const cs = cfn.createChangeSet({
        ...stackInput(form),
        changeSetName: required(form, 'ChangeSetName'),
        changeSetType: form.get('ChangeSetType') ?? undefined,
        description: form.get('Description') ?? undefined,
      });
      return ok(`<Id>${esc(cs.id)}</Id><StackId>${esc(cs.stackId)}</StackId>`);
    }
    case 'DescribeChangeSet': {
      const { stack, changeSet } = cfn.changeSet(
        required(form, 'ChangeSetName'),
        form.get('StackName') ?? undefined,
      );
      return ok(changeSetXml(stack, changeSet));
    }
    case 'ExecuteChangeSet':
      cfn.executeChangeSet(required(form, 'ChangeSetName'), form.get('StackName') ?? undefined);
      return ok();
    case 'DeleteChangeSet':
      cfn.deleteChangeSet(required(form, 'ChangeSetName'), form.get('StackName') ?? undefined);
      return ok();
    case 'ListChangeSets': {
      const s = cfn.get(required(form, 'StackName'));
      return ok(
        `<Summaries>${[...s.changeSets.values()]
          .map(
            (cs) =>
              `<member><StackId>${esc(s.stackId)}</StackId><StackName>${esc(s.stackName)}</StackName><ChangeSetId>${esc(cs.id)}</ChangeSetId><ChangeSetName>${esc(cs.name)}</ChangeSetName><ExecutionStatus>${cs.executionStatus}</ExecutionStatus><Status>${cs.status}</Status>${cs.statusReason ? `<StatusReason>${esc(cs.statusReason)}</StatusReason>` : ''}<CreationTime>${iso(cs.createdAt)}</CreationTime></member>`,
          )
          .join('')}</Summaries>`,
      );
    }
    case 'ListExports':
      return ok(
        `<Exports>${cfn
          .exports()
          .map(
            (e) =>
              `<member><ExportingStackId>${esc(e.stackId)}</ExportingStackId><Name>${esc(e.name)}</Name><Value>${esc(e.value)}</Value></member>`,
          )
          .join('')}</Exports>`,
      );
    default:
      throw new AwsError(
        'InvalidAction',
        `The action ${action} is not valid for this web service (the local cloud's CloudFormation serves stacks, their events and resources, change sets, templates and exports).`,
      );
  }
}

function stackXml(s: StackRecord): string {
  const tags = s.tags
    .map((t) => `<member><Key>${esc(t.Key)}</Key><Value>${esc(t.Value)}</Value></member>`)
    .join('');
  const outputs = s.outputs
    .map(
      (o) =>
        `<member><OutputKey>${esc(o.OutputKey)}</OutputKey><OutputValue>${esc(o.OutputValue)}</OutputValue>${o.Description ? `<Description>${esc(o.Description)}</Description>` : ''}${o.ExportName ? `<ExportName>${esc(o.ExportName)}</ExportName>` : ''}</member>`,
    )
    .join('');
  const caps = s.capabilities.map((c) => `<member>${esc(c)}</member>`).join('');
  return `<member><StackId>${esc(s.stackId)}</StackId><StackName>${esc(s.stackName)}</StackName>${s.description ? `<Description>${esc(s.description)}</Description>` : ''}<CreationTime>${iso(s.createdAt)}</CreationTime>${s.updatedAt ? `<LastUpdatedTime>${iso(s.updatedAt)}</LastUpdatedTime>` : ''}${s.deletedAt ? `<DeletionTime>${iso(s.deletedAt)}</DeletionTime>` : ''}<StackStatus>${s.status}</StackStatus>${s.statusReason ? `<StackStatusReason>${esc(s.statusReason)}</StackStatusReason>` : ''}<DisableRollback>false</DisableRollback><EnableTerminationProtection>false</EnableTerminationProtection><Capabilities>${caps}</Capabilities><Tags>${tags}</Tags><Outputs>${outputs}</Outputs><Parameters/><NotificationARNs/><DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation></member>`;
}

function resourceXml(
  s: StackRecord,
  r: {
    logicalId: string;
    type: string;
    physicalId: string;
    status: string;
    reason?: string;
    updatedAt: number;
  },
  timestamp = 'Timestamp',
): string {
  return `<StackName>${esc(s.stackName)}</StackName><StackId>${esc(s.stackId)}</StackId><LogicalResourceId>${esc(r.logicalId)}</LogicalResourceId><PhysicalResourceId>${esc(r.physicalId)}</PhysicalResourceId><ResourceType>${esc(r.type)}</ResourceType><ResourceStatus>${r.status}</ResourceStatus>${r.reason ? `<ResourceStatusReason>${esc(r.reason)}</ResourceStatusReason>` : ''}<${timestamp}>${iso(r.updatedAt)}</${timestamp}><DriftInformation><StackResourceDriftStatus>NOT_CHECKED</StackResourceDriftStatus></DriftInformation>`;
}

function changeSetXml(s: StackRecord, cs: ChangeSet): string {
  const changes = cs.changes
    .map(
      (c) =>
        `<member><Type>Resource</Type><ResourceChange><Action>${c.action}</Action><LogicalResourceId>${esc(c.logicalId)}</LogicalResourceId>${c.physicalId ? `<PhysicalResourceId>${esc(c.physicalId)}</PhysicalResourceId>` : ''}<ResourceType>${esc(c.type)}</ResourceType>${c.action === 'Modify' ? '<Replacement>Conditional</Replacement>' : ''}<Scope/><Details/></ResourceChange></member>`,
    )
    .join('');
  const tags = cs.tags
    .map((t) => `<member><Key>${esc(t.Key)}</Key><Value>${esc(t.Value)}</Value></member>`)
    .join('');
  return `<ChangeSetName>${esc(cs.name)}</ChangeSetName><ChangeSetId>${esc(cs.id)}</ChangeSetId><StackId>${esc(s.stackId)}</StackId><StackName>${esc(s.stackName)}</StackName>${cs.description ? `<Description>${esc(cs.description)}</Description>` : ''}<CreationTime>${iso(cs.createdAt)}</CreationTime><ExecutionStatus>${cs.executionStatus}</ExecutionStatus><Status>${cs.status}</Status>${cs.statusReason ? `<StatusReason>${esc(cs.statusReason)}</StatusReason>` : ''}<Capabilities>${cs.capabilities.map((c) => `<member>${esc(c)}</member>`).join('')}</Capabilities><Tags>${tags}</Tags><Parameters/><NotificationARNs/><Changes>${changes}</Changes>`;
}

function fields(o: object): string {
  return Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<${k}>${k === 'Timestamp' ? iso(v as number) : esc(String(v))}</${k}>`)
    .join('');
}

function paginate<T>(items: T[], token: string | null, size: number): { items: T[]; next?: string } {
  const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
  const page = items.slice(start, start + size);
  const next =
    start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { items: page, next };
}

function required(form: Form, name: string): string {
  const v = form.get(name);
  if (!v)
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  return v;
}

function sendXml(res: ServerResponse, action: string, result: string): void {
  const requestId = crypto.randomUUID();
  send(
    res,
    200,
    'text/xml',
    `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    { 'x-amzn-requestid': requestId },
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
