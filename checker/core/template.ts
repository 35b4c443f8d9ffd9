/**
 * Questions the checks ask of a packaged template, answered without deploying: which
 * function has which schedule, which rule targets what, what a role allows.
 */
import type { Template } from '../../emulator/index.ts';

export type Resource = Template['Resources'][string] & { logicalId: string };

export function resourcesOfType(template: Template, type: string): Resource[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([logicalId, r]) => ({ logicalId, ...r }));
}

/** The Lambda resource for a function name as written in serverless.ts (e.g. `createVirus`). */
export function lambdaFor(template: Template, fn: string): Resource | undefined {
  return resourcesOfType(template, 'AWS::Lambda::Function').find((r) => {
    const name = String(r.Properties?.FunctionName ?? '');
    return name.endsWith(`-${fn}`) || r.logicalId.toLowerCase() === `${fn}LambdaFunction`.toLowerCase();
  });
}

/** Logical ids a value refers to through Ref, Fn::GetAtt or Fn::Sub. */
export function referencedIds(value: unknown): string[] {
  const ids: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (k === 'Ref' && typeof inner === 'string') ids.push(inner);
        else if (k === 'Fn::GetAtt')
          ids.push(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]);
        else if (k === 'Fn::Sub') {
          const text = Array.isArray(inner) ? String(inner[0]) : String(inner);
          for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}/g)) ids.push(m[1]);
          if (Array.isArray(inner)) walk(inner[1]);
        } else walk(inner);
      }
    }
  };
  walk(value);
  return ids;
}

/** Rules whose targets refer to `logicalId`. */
export function rulesTargeting(template: Template, logicalId: string): Resource[] {
  return resourcesOfType(template, 'AWS::Events::Rule').filter((r) =>
    (r.Properties?.Targets ?? []).some((t: { Arn: unknown }) => referencedIds(t.Arn).includes(logicalId)),
  );
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of every IAM role in the template (osls puts them on one shared role). */
export function roleStatements(template: Template): Statement[] {
  const out: Statement[] = [];
  for (const role of resourcesOfType(template, 'AWS::IAM::Role')) {
    for (const policy of role.Properties?.Policies ?? []) {
      const st = policy.PolicyDocument?.Statement ?? [];
      out.push(...(Array.isArray(st) ? st : [st]));
    }
  }
  return out;
}

export function actionsOf(s: Statement): string[] {
  return (Array.isArray(s.Action) ? s.Action : [s.Action]).map(String);
}

export function resourcesOf(s: Statement): unknown[] {
  return Array.isArray(s.Resource) ? s.Resource : [s.Resource];
}

/** Does any Allow statement grant `action` (exactly or by wildcard)? Returns those statements. */
export function statementsAllowing(template: Template, action: string): Statement[] {
  const [svc, act] = action.toLowerCase().split(':');
  return roleStatements(template).filter(
    (s) =>
      s.Effect === 'Allow' &&
      actionsOf(s).some((a) => {
        const [as, aa = ''] = a.toLowerCase().split(':');
        if (a === '*') return true;
        if (as !== svc) return false;
        const re = new RegExp(
          `^${aa
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
        );
        return re.test(act);
      }),
  );
}

/** A Step Functions definition from its DefinitionString, placeholders left as text. */
export function stateMachineDefinition(
  resource: Resource,
): { States: Record<string, any>; StartAt: string } | undefined {
  const def = resource.Properties?.DefinitionString ?? resource.Properties?.Definition;
  let text: string | undefined;
  if (typeof def === 'string') text = def;
  else if (def && typeof def === 'object' && 'Fn::Sub' in def) {
    const sub = (def as { 'Fn::Sub': unknown })['Fn::Sub'];
    text = Array.isArray(sub) ? String(sub[0]) : String(sub);
  } else if (def && typeof def === 'object') return def as { States: Record<string, any>; StartAt: string };
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Short JSON for messages. */
export function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? 'nothing' : s.length > 160 ? `${s.slice(0, 160)}…` : s;
}
