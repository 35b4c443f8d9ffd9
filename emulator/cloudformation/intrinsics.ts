/**
 * CloudFormation's intrinsic functions, resolved the way CloudFormation does while it creates
 * a stack: `Ref`, `Fn::GetAtt`, `Fn::Sub` (both forms), `Fn::Join`, `Fn::Select`, `Fn::Split`,
 * `Fn::If` with the template's Conditions, the condition functions, `Fn::GetAZs`, `Fn::Base64`,
 * `Fn::ToJsonString`, `Fn::FindInMap`, `Fn::Length` and the pseudo parameters. What a resource
 * `Ref`s or `GetAtt`s comes from the stack loader, through `ref` and `getAtt`.
 */
import {
  availabilityZones,
  isPseudoParameter,
  pseudoParameterValue,
  PSEUDO_PARAMETERS,
  type PseudoContext,
} from './pseudo-parameters.ts';
import { parseSub } from './sub.ts';
import { childPath, didYouMean, indexPath, TemplateError } from './template-error.ts';
import { intrinsicName, isPlainObject, type TemplateLike } from './template.ts';

export { TemplateError } from './template-error.ts';
export { dependencyOrder } from './dependencies.ts';
export type { TemplateLike } from './template.ts';

export interface StackContext extends PseudoContext {
  /** Parameter values by name: the template's Defaults, or values the caller chose. */
  parameters?: Record<string, unknown>;
  /** The template's Mappings, for `Fn::FindInMap`. */
  mappings?: Record<string, unknown>;
  /** Each Condition's value, from `evaluateConditions`. */
  conditions: Record<string, boolean>;
  /** What `Ref` returns for a resource (its physical id). May throw: the message is kept. */
  ref(logicalId: string): unknown;
  /** What `Fn::GetAtt` returns. May throw: the message is kept. */
  getAtt(logicalId: string, attribute: string): unknown;
}

/** What Conditions may use: parameters and pseudo parameters, never resources. */
export type ConditionContext = PseudoContext & Pick<StackContext, 'parameters' | 'mappings'>;

/**
 * `value` with every intrinsic function resolved. `where` is the path of `value` in the
 * template (`VirusTable.Properties`, `Outputs.ApiUrl`): errors say it. A property whose value
 * is `{"Ref": "AWS::NoValue"}` disappears, like an array element that is; a top-level
 * `AWS::NoValue` resolves to undefined.
 */
export function resolveValue(value: unknown, ctx: StackContext, where = ''): unknown {
  const scope: Scope = {
    ctx,
    condition(name, at) {
      if (!Object.hasOwn(ctx.conditions, name)) {
        throw new TemplateError(
          at,
          `Fn::If names unknown condition "${name}".${didYouMean(name, Object.keys(ctx.conditions))}`,
        );
      }
      return ctx.conditions[name];
    },
    ref: (logicalId) => ctx.ref(logicalId),
    getAtt: (logicalId, attribute) => ctx.getAtt(logicalId, attribute),
  };
  const out = resolve(value, scope, where);
  return out === NO_VALUE ? undefined : out;
}

/**
 * The value of every Condition in the template. A condition may use another one
 * (`{"Condition": "IsProd"}`); a loop between conditions is an error.
 */
export function evaluateConditions(
  template: Pick<TemplateLike, 'Conditions'>,
  ctx: ConditionContext,
): Record<string, boolean> {
  const definitions = template.Conditions ?? {};
  const results: Record<string, boolean> = {};
  const evaluating: string[] = [];
  const evaluate = (name: string, at: string): boolean => {
    if (Object.hasOwn(results, name)) return results[name];
    if (!Object.hasOwn(definitions, name)) {
      throw new TemplateError(
        at,
        `unknown condition "${name}".${didYouMean(name, Object.keys(definitions))}`,
      );
    }
    if (evaluating.includes(name)) {
      throw new TemplateError(
        `Conditions.${name}`,
        `conditions use each other in a circle: ${[...evaluating.slice(evaluating.indexOf(name)), name].join(' → ')}.`,
      );
    }
    evaluating.push(name);
    const value = conditionValue(definitions[name], scope, `Conditions.${name}`);
    evaluating.pop();
    results[name] = value;
    return value;
  };
  const scope: Scope = { ctx, condition: evaluate };
  for (const name of Object.keys(definitions)) evaluate(name, `Conditions.${name}`);
  return results;
}

// ---------------------------------------------------------------------------------------

/** Marks "no value here": the enclosing object key or array element is dropped. */
const NO_VALUE = Symbol('AWS::NoValue');

interface Scope {
  ctx: ConditionContext;
  condition(name: string, where: string): boolean;
  /** Absent while evaluating Conditions, which cannot use resources. */
  ref?(logicalId: string): unknown;
  getAtt?(logicalId: string, attribute: string): unknown;
}

/** Functions CloudFormation has that the local cloud does not resolve. */
const UNSUPPORTED = new Set([
  'Fn::ImportValue',
  'Fn::Cidr',
  'Fn::Transform',
  'Fn::ForEach',
  'Fn::GetStackOutput',
]);

function resolve(value: unknown, scope: Scope, where: string): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((element, i) => {
      const resolved = resolve(element, scope, indexPath(where, i));
      if (resolved !== NO_VALUE) out.push(resolved);
    });
    return out;
  }
  if (!isPlainObject(value)) return value;
  const fn = intrinsicName(value);
  if (fn) return callIntrinsic(fn, value[fn], scope, where);
  const out: Record<string, unknown> = {};
  for (const [key, element] of Object.entries(value)) {
    const resolved = resolve(element, scope, childPath(where, key));
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function callIntrinsic(fn: string, arg: unknown, scope: Scope, where: string): unknown {
  const argPath = childPath(where, fn);
  switch (fn) {
    case 'Ref':
      if (typeof arg !== 'string')
        throw new TemplateError(
          where,
          `Ref takes the logical id of a resource or parameter as a string, not ${describe(arg)}.`,
        );
      return refValue(arg, scope, where);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = getAttArgs(arg, scope, where);
      return getAttValue(logicalId, attribute, scope, where);
    }
    case 'Fn::Sub':
      return sub(arg, scope, where);
    case 'Fn::Join': {
      const [delimiter, list] = args(fn, arg, 2, where);
      if (typeof delimiter !== 'string')
        throw new TemplateError(where, `Fn::Join's delimiter must be a string, not ${describe(delimiter)}.`);
      const items = resolve(list, scope, indexPath(argPath, 1));
      if (!Array.isArray(items))
        throw new TemplateError(where, `Fn::Join needs a list to join, got ${describe(items)}.`);
      return items
        .map((item, i) => scalarText(item, indexPath(indexPath(argPath, 1), i), 'Fn::Join'))
        .join(delimiter);
    }
    case 'Fn::Select': {
      const [indexArg, listArg] = args(fn, arg, 2, where);
      const index = Number(resolve(indexArg, scope, indexPath(argPath, 0)));
      const list = resolve(listArg, scope, indexPath(argPath, 1));
      if (!Array.isArray(list))
        throw new TemplateError(where, `Fn::Select needs a list to select from, got ${describe(list)}.`);
      if (!Number.isInteger(index) || index < 0 || index >= list.length) {
        throw new TemplateError(
          where,
          `Fn::Select index ${JSON.stringify(indexArg)} is out of range: the list has ${list.length} element${list.length === 1 ? '' : 's'} (indexes start at 0).`,
        );
      }
      return list[index];
    }
    case 'Fn::Split': {
      const [delimiter, sourceArg] = args(fn, arg, 2, where);
      if (typeof delimiter !== 'string' || !delimiter)
        throw new TemplateError(
          where,
          `Fn::Split's delimiter must be a non-empty string, not ${describe(delimiter)}.`,
        );
      const source = resolve(sourceArg, scope, indexPath(argPath, 1));
      if (typeof source !== 'string')
        throw new TemplateError(where, `Fn::Split needs a string to split, got ${describe(source)}.`);
      return source.split(delimiter);
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = args(fn, arg, 3, where);
      if (typeof condition !== 'string')
        throw new TemplateError(
          where,
          `Fn::If's first element must be a condition name, not ${describe(condition)}.`,
        );
      return scope.condition(condition, where)
        ? resolve(whenTrue, scope, indexPath(argPath, 1))
        : resolve(whenFalse, scope, indexPath(argPath, 2));
    }
    case 'Fn::Equals': {
      const [a, b] = args(fn, arg, 2, where);
      return sameValue(resolve(a, scope, indexPath(argPath, 0)), resolve(b, scope, indexPath(argPath, 1)));
    }
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(arg) || arg.length < 2 || arg.length > 10)
        throw new TemplateError(where, `${fn} takes a list of 2 to 10 conditions.`);
      const values = arg.map((c, i) => conditionValue(c, scope, indexPath(argPath, i)));
      return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    case 'Fn::Not': {
      const [condition] = args(fn, arg, 1, where);
      return !conditionValue(condition, scope, indexPath(argPath, 0));
    }
    case 'Fn::GetAZs': {
      const region = resolve(arg, scope, argPath);
      if (typeof region !== 'string')
        throw new TemplateError(where, `Fn::GetAZs takes a region name (or ""), not ${describe(region)}.`);
      return availabilityZones(region || scope.ctx.region);
    }
    case 'Fn::Base64': {
      const text = resolve(arg, scope, argPath);
      if (typeof text !== 'string')
        throw new TemplateError(where, `Fn::Base64 encodes a string, not ${describe(text)}.`);
      return Buffer.from(text, 'utf8').toString('base64');
    }
    case 'Fn::ToJsonString': {
      const resolved = resolve(arg, scope, argPath);
      if (typeof resolved !== 'object' || resolved === null)
        throw new TemplateError(
          where,
          `Fn::ToJsonString takes an object or a list, not ${describe(resolved)}.`,
        );
      return JSON.stringify(resolved);
    }
    case 'Fn::Length': {
      const list = resolve(arg, scope, argPath);
      if (!Array.isArray(list))
        throw new TemplateError(where, `Fn::Length counts a list, not ${describe(list)}.`);
      return list.length;
    }
    case 'Fn::FindInMap':
      return findInMap(arg, scope, where);
    default:
      if (UNSUPPORTED.has(fn)) throw new TemplateError(where, `${fn} is not supported by the local cloud.`);
      throw new TemplateError(where, `unknown intrinsic function "${fn}".${didYouMean(fn, KNOWN_FUNCTIONS)}`);
  }
}

const KNOWN_FUNCTIONS = [
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::If',
  'Fn::Equals',
  'Fn::And',
  'Fn::Or',
  'Fn::Not',
  'Fn::GetAZs',
  'Fn::Base64',
  'Fn::ToJsonString',
  'Fn::Length',
  'Fn::FindInMap',
  ...UNSUPPORTED,
];

function refValue(name: string, scope: Scope, where: string): unknown {
  if (name.startsWith('AWS::')) {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (!isPseudoParameter(name))
      throw new TemplateError(
        where,
        `Ref to unknown pseudo parameter "${name}".${didYouMean(name, PSEUDO_PARAMETERS)}`,
      );
    return pseudoParameterValue(name, scope.ctx);
  }
  const parameters = scope.ctx.parameters ?? {};
  if (Object.hasOwn(parameters, name)) {
    const value = parameters[name];
    if (value === undefined)
      throw new TemplateError(where, `parameter "${name}" has no value: give it a Default.`);
    return value;
  }
  const ref = scope.ref;
  if (!ref)
    throw new TemplateError(
      where,
      `Conditions can use parameters and pseudo parameters only, not "${name}".`,
    );
  return keepingMessage(where, () => ref(name));
}

function getAttValue(logicalId: string, attribute: string, scope: Scope, where: string): unknown {
  const getAtt = scope.getAtt;
  if (!getAtt)
    throw new TemplateError(
      where,
      `Conditions can use parameters and pseudo parameters only, not Fn::GetAtt ${logicalId}.${attribute}.`,
    );
  return keepingMessage(where, () => getAtt(logicalId, attribute));
}

/** `["Table", "Arn"]`, `"Table.Arn"`, or `["Table", {"Ref": "AttrParam"}]`. */
function getAttArgs(arg: unknown, scope: Scope, where: string): [string, string] {
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    if (dot > 0 && dot < arg.length - 1) return [arg.slice(0, dot), arg.slice(dot + 1)];
  } else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string') {
    const attribute = resolve(arg[1], scope, indexPath(childPath(where, 'Fn::GetAtt'), 1));
    if (typeof attribute === 'string' && attribute) return [arg[0], attribute];
  }
  throw new TemplateError(
    where,
    `Fn::GetAtt takes ["LogicalId", "Attribute"] or "LogicalId.Attribute", not ${JSON.stringify(arg)}.`,
  );
}

function sub(arg: unknown, scope: Scope, where: string): string {
  const argPath = childPath(where, 'Fn::Sub');
  let template: unknown = arg;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    if (arg.length !== 2 || !isPlainObject(arg[1]))
      throw new TemplateError(where, `Fn::Sub takes a string, or ["string", { "name": value }].`);
    template = arg[0];
    variables = Object.fromEntries(
      Object.entries(arg[1]).map(([name, value]) => [
        name,
        resolve(value, scope, childPath(indexPath(argPath, 1), name)),
      ]),
    );
  }
  if (typeof template !== 'string')
    throw new TemplateError(where, `Fn::Sub's template must be a string, not ${describe(template)}.`);
  return parseSub(template, where)
    .map((part) => {
      if ('text' in part) return part.text;
      const name = part.variable;
      let value: unknown;
      if (Object.hasOwn(variables, name)) value = variables[name];
      else if (!name.startsWith('AWS::') && name.includes('.'))
        value = getAttValue(
          name.slice(0, name.indexOf('.')),
          name.slice(name.indexOf('.') + 1),
          scope,
          where,
        );
      else value = refValue(name, scope, where);
      return scalarText(value, where, `Fn::Sub's \${${name}}`);
    })
    .join('');
}

function findInMap(arg: unknown, scope: Scope, where: string): unknown {
  const argPath = childPath(where, 'Fn::FindInMap');
  const keys = args('Fn::FindInMap', arg, 3, where).map((k, i) => resolve(k, scope, indexPath(argPath, i)));
  if (!keys.every((k) => typeof k === 'string' || typeof k === 'number'))
    throw new TemplateError(
      where,
      `Fn::FindInMap takes three names: ["MapName", "TopLevelKey", "SecondLevelKey"].`,
    );
  const [mapName, top, second] = keys.map(String);
  const mappings = scope.ctx.mappings ?? {};
  const map = mappings[mapName];
  if (!isPlainObject(map))
    throw new TemplateError(
      where,
      `Fn::FindInMap names unknown mapping "${mapName}".${didYouMean(mapName, Object.keys(mappings))}`,
    );
  const level = map[top];
  if (!isPlainObject(level))
    throw new TemplateError(
      where,
      `mapping "${mapName}" has no key "${top}".${didYouMean(top, Object.keys(map))}`,
    );
  if (!Object.hasOwn(level, second))
    throw new TemplateError(
      where,
      `mapping "${mapName}.${top}" has no key "${second}".${didYouMean(second, Object.keys(level))}`,
    );
  return level[second];
}

/** A condition: `{"Condition": "Name"}`, a condition function, or an already-boolean value. */
function conditionValue(value: unknown, scope: Scope, where: string): boolean {
  if (isPlainObject(value) && Object.keys(value).length === 1 && typeof value.Condition === 'string') {
    return scope.condition(value.Condition, where);
  }
  const resolved = resolve(value, scope, where);
  if (typeof resolved !== 'boolean') {
    throw new TemplateError(
      where,
      `expected a condition (Fn::Equals, Fn::And, Fn::Or, Fn::Not or {"Condition": "Name"}), got ${describe(resolved)}.`,
    );
  }
  return resolved;
}

/** Fn::Equals compares what the template means: `"3"` equals `3`, as parameters are strings. */
function sameValue(a: unknown, b: unknown): boolean {
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (scalar(a) && scalar(b)) return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function scalarText(value: unknown, where: string, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === NO_VALUE) throw new TemplateError(where, `${what} cannot be AWS::NoValue.`);
  throw new TemplateError(where, `${what} must be a string, but it is ${describe(value)}.`);
}

function args(fn: string, arg: unknown, count: number, where: string): unknown[] {
  if (!Array.isArray(arg) || arg.length !== count) {
    throw new TemplateError(
      where,
      `${fn} takes a list of ${count} element${count === 1 ? '' : 's'}, not ${JSON.stringify(arg)}.`,
    );
  }
  return arg;
}

function keepingMessage<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TemplateError) throw err;
    throw new TemplateError(where, err instanceof Error ? err.message : String(err));
  }
}

function describe(value: unknown): string {
  if (value === NO_VALUE) return 'AWS::NoValue';
  if (Array.isArray(value)) return `a list (${truncate(JSON.stringify(value))})`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `an object (${truncate(JSON.stringify(value))})`;
  return `${typeof value} ${truncate(JSON.stringify(value))}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
