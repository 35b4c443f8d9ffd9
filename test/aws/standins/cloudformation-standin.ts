/**
 * A stand-in for CloudFormation, for what only AWS can show: stacks as they are in a real
 * account (created hours ago, tagged by other people, failing to delete). DescribeStacks and
 * DescribeStackResources on AWS's query protocol (form POST in, XML out), so that the real SDK
 * client talks to it through `endpoint`. Tests put the stacks in directly (`put`); the osls
 * stand-in (osls-standin.ts) creates and deletes them as `osls deploy` and `osls remove` would.
 * Whatever the local cloud can answer is tested against its real CloudFormation instead.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface StandInResource {
  logicalId: string;
  type: string;
  physicalId: string;
}

export interface StandInStack {
  stackName: string;
  status: string;
  tags: Record<string, string>;
  outputs: Record<string, string>;
  createdAt: Date;
  resources: StandInResource[];
}

export class CloudFormationStandIn {
  readonly stacks = new Map<string, StandInStack>();
  /** Every query received, by action: lets a test say "no AWS call was made". */
  readonly calls: string[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<CloudFormationStandIn> {
    const server = createServer();
    const self = new CloudFormationStandIn(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void self.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  put(stack: Partial<StandInStack> & { stackName: string }): StandInStack {
    const before = this.stacks.get(stack.stackName);
    const value: StandInStack = {
      status: 'CREATE_COMPLETE',
      tags: {},
      outputs: {},
      createdAt: new Date(),
      resources: [],
      ...before,
      ...stack,
    };
    this.stacks.set(stack.stackName, value);
    return value;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const form = new URLSearchParams(body);
    const action = form.get('Action') ?? '';
    this.calls.push(action);
    const name = form.get('StackName');
    if (action === 'DescribeStacks') {
      if (name && !this.stacks.has(name)) return this.error(res, `Stack with id ${name} does not exist`);
      const stacks = name ? [this.stacks.get(name)!] : [...this.stacks.values()];
      return this.ok(res, action, `<Stacks>${stacks.map(stackXml).join('')}</Stacks>`);
    }
    if (action === 'DescribeStackResources') {
      const stack = name ? this.stacks.get(name) : undefined;
      if (!stack) return this.error(res, `Stack with id ${name} does not exist`);
      const members = stack.resources.map(
        (r) =>
          `<member><StackName>${esc(stack.stackName)}</StackName><LogicalResourceId>${esc(r.logicalId)}</LogicalResourceId><PhysicalResourceId>${esc(r.physicalId)}</PhysicalResourceId><ResourceType>${esc(r.type)}</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus><Timestamp>${stack.createdAt.toISOString()}</Timestamp></member>`,
      );
      return this.ok(res, action, `<StackResources>${members.join('')}</StackResources>`);
    }
    this.error(res, `The stand-in does not know ${action}`, 'InvalidAction');
  }

  private ok(res: ServerResponse, action: string, result: string): void {
    const xml = `<${action}Response xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
    res.writeHead(200, { 'content-type': 'text/xml' }).end(xml);
  }

  private error(res: ServerResponse, message: string, code = 'ValidationError'): void {
    const xml = `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
    res.writeHead(400, { 'content-type': 'text/xml' }).end(xml);
  }
}

function stackXml(s: StandInStack): string {
  const tags = Object.entries(s.tags)
    .map(([k, v]) => `<member><Key>${esc(k)}</Key><Value>${esc(v)}</Value></member>`)
    .join('');
  const outputs = Object.entries(s.outputs)
    .map(([k, v]) => `<member><OutputKey>${esc(k)}</OutputKey><OutputValue>${esc(v)}</OutputValue></member>`)
    .join('');
  return `<member><StackName>${esc(s.stackName)}</StackName><StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/${esc(s.stackName)}/1</StackId><StackStatus>${s.status}</StackStatus><CreationTime>${s.createdAt.toISOString()}</CreationTime><Tags>${tags}</Tags><Outputs>${outputs}</Outputs></member>`;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
