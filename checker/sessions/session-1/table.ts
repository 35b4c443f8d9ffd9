/**
 * The virus table and who may touch it, as the template says. Sessions 2 and 3 ask the
 * same questions of the same table, so they import these from here.
 */
import type { Template } from '../../../emulator/index.ts';
import { fail, pass, warn, type CheckResult } from '../../core/result.ts';
import {
  resourcesOf,
  resourcesOfType,
  show,
  statementsAllowing,
  type Resource,
} from '../../core/template.ts';

export const TABLE_ID = 'VirusTable';

/** The virus table: `VirusTable` if declared, else the only DynamoDB table there is. */
export function virusTable(template: Template): Resource | undefined {
  const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');
  return tables.find((t) => t.logicalId === TABLE_ID) ?? (tables.length === 1 ? tables[0] : undefined);
}

/**
 * How far a policy Resource reaches, seen from the virus table:
 * - `table`: exactly its ARN (GetAtt Arn, an ARN built with Sub or Join, or the literal ARN);
 * - `star` / `wildcard`: `*`, or an ARN pattern that covers it and other tables too;
 * - `name`: `{ Ref: 'VirusTable' }`, the table's name, which is not an ARN and matches nothing;
 * - `elsewhere`: something else (another table, another service).
 */
export type Scope = 'table' | 'star' | 'wildcard' | 'name' | 'elsewhere';

export function scopeOf(resource: unknown, table: Resource | undefined): Scope {
  if (resource === '*') return 'star';
  const id = table?.logicalId;
  const name =
    typeof table?.Properties?.TableName === 'string' ? (table.Properties.TableName as string) : undefined;
  if (typeof resource === 'string') {
    const arn = /^arn:aws[a-z-]*:dynamodb:[^:]*:[^:]*:table\/([^/]+)$/.exec(resource);
    if (!arn || !name) return 'elsewhere';
    if (arn[1] === name && !/[*?]/.test(resource)) return 'table';
    return globMatches(resource, `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}`) ||
      globMatches(arn[1], name)
      ? 'wildcard'
      : 'elsewhere';
  }
  if (!resource || typeof resource !== 'object' || !id) return 'elsewhere';
  const r = resource as Record<string, unknown>;
  const getAtt = r['Fn::GetAtt'];
  if (getAtt !== undefined) {
    const [target, attr] = Array.isArray(getAtt) ? getAtt.map(String) : String(getAtt).split('.');
    return target === id && attr === 'Arn' ? 'table' : 'elsewhere';
  }
  if (r.Ref !== undefined) return r.Ref === id ? 'name' : 'elsewhere';
  const text = JSON.stringify(resource);
  // An ARN put together by hand: `arn:...:table/${VirusTable}` (Sub) or a Join around Ref.
  if ('Fn::Sub' in r && (text.includes(`\${${id}.Arn}`) || text.includes(`table/\${${id}}`))) return 'table';
  if ('Fn::Join' in r && text.includes('table/') && text.includes(`{"Ref":"${id}"}`)) return 'table';
  return 'elsewhere';
}

function globMatches(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}

export interface Access {
  action: string;
  /** The best scope any Allow statement gives `action`, or `none` when none allows it. */
  scope: Scope | 'none';
  /** Every Resource of the statements that allow `action`, for messages. */
  resources: unknown[];
  /** Those of them that reach further than the table (`*`, wildcards). */
  broad: unknown[];
}

const RANK: Array<Scope | 'none'> = ['none', 'elsewhere', 'name', 'wildcard', 'star', 'table'];

export function accessTo(template: Template, action: string, table: Resource | undefined): Access {
  const resources = statementsAllowing(template, action).flatMap(resourcesOf);
  let scope: Scope | 'none' = 'none';
  const broad: unknown[] = [];
  for (const r of resources) {
    const s = scopeOf(r, table);
    if (s === 'star' || s === 'wildcard') broad.push(r);
    if (RANK.indexOf(s) > RANK.indexOf(scope)) scope = s;
  }
  return { action, scope, resources, broad };
}

export const TABLE_ARN = "{ 'Fn::GetAtt': ['VirusTable', 'Arn'] }";

/**
 * ✔ when the role allows every one of `actions` on the table's ARN and nowhere else, ⚠ when
 * it allows them on `*` or a wildcard (it works, but every table of the account is open),
 * ✖ otherwise: the function would get AccessDeniedException, on AWS as on the local cloud.
 */
export function permissionCheck(
  template: Template,
  o: { id: string; title: string; actions: string[]; todo: number },
): CheckResult {
  const table = virusTable(template);
  const accesses = o.actions.map((a) => accessTo(template, a, table));
  const missing = accesses.filter((a) => a.scope === 'none' || a.scope === 'elsewhere' || a.scope === 'name');
  const where = { todo: o.todo };
  const granted = accesses.filter((a) => a.scope === 'table');
  if (missing.length) {
    const observed = missing.map((a) =>
      a.scope === 'none'
        ? `no IAM statement allows ${a.action}`
        : a.scope === 'name'
          ? `${a.action} is allowed on { Ref: '${TABLE_ID}' }, which is the table's name, not its ARN`
          : `${a.action} is allowed on ${show(a.resources)}, not on the virus table`,
    );
    const byName = missing.some((a) => a.scope === 'name');
    return fail(o.id, o.title, {
      observed: observed.join('; '),
      expected: `an Allow statement for ${o.actions.map((a) => `'${a}'`).join(', ')} on ${TABLE_ARN}`,
      hint: `${
        byName
          ? `IAM matches ARNs: use Resource: ${TABLE_ARN} (Fn::GetAtt gives the ARN, Ref the name).`
          : missing.some((a) => a.scope === 'elsewhere')
            ? `Point the statement at the virus table: Resource: ${TABLE_ARN}.`
            : granted.length
              ? `Add ${missing.map((a) => `'${a.action}'`).join(' and ')} to the Action list of the statement that allows ${granted.map((a) => a.action).join(', ')} on the table.`
              : 'Add the statement to provider.iam.role.statements in serverless.ts.'
      } Without it, AWS answers AccessDeniedException, and so does the local cloud, which checks IAM the same way.`,
      ...where,
    });
  }
  const broad = accesses.filter((a) => a.broad.length);
  if (broad.length) {
    return warn(o.id, o.title, {
      observed: `${broad.map((a) => a.action).join(', ')} allowed on ${show([...new Set(broad.flatMap((a) => a.broad))])}: every table of the account, not just the virus table`,
      expected: `the virus table's ARN only: ${TABLE_ARN}`,
      hint: `It works, but a bug (or an attacker) could then empty any table. Scope the statement: Resource: ${TABLE_ARN}.`,
      ...where,
    });
  }
  return pass(o.id, o.title);
}
