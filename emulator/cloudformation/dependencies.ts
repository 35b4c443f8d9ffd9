/**
 * The template's resources in an order CloudFormation could create them: every resource
 * after the resources it uses through `Ref`, `Fn::GetAtt`, `Fn::Sub` variables or `DependsOn`.
 * Resources that do not depend on each other keep the template's order.
 *
 * On the way it checks every name those references use, so a typo is reported with its
 * place in the template before anything is deployed; a cycle names the resources in it.
 */
import { isPseudoParameter, PSEUDO_PARAMETERS } from './pseudo-parameters.ts';
import { subVariables } from './sub.ts';
import { childPath, didYouMean, indexPath, TemplateError } from './template-error.ts';
import { intrinsicName, isPlainObject, type ResourceLike, type TemplateLike } from './template.ts';

export function dependencyOrder(template: TemplateLike): string[] {
  const resources = template.Resources ?? {};
  const names: KnownNames = {
    resources: Object.keys(resources),
    parameters: Object.keys(template.Parameters ?? {}),
    conditions: Object.keys(template.Conditions ?? {}),
  };
  const dependencies = new Map(names.resources.map((id) => [id, dependenciesOf(id, resources[id], names)]));
  return topologicalOrder(names.resources, dependencies);
}

// ---------------------------------------------------------------------------------------

interface KnownNames {
  resources: string[];
  parameters: string[];
  conditions: string[];
}

function dependenciesOf(logicalId: string, resource: ResourceLike, names: KnownNames): string[] {
  const found = new Set<string>();
  collect(resource.Properties, `${logicalId}.Properties`, names, found);

  const dependsOn =
    resource.DependsOn === undefined
      ? []
      : Array.isArray(resource.DependsOn)
        ? resource.DependsOn
        : [resource.DependsOn];
  dependsOn.forEach((name, i) => {
    const where = Array.isArray(resource.DependsOn)
      ? indexPath(`${logicalId}.DependsOn`, i)
      : `${logicalId}.DependsOn`;
    if (typeof name !== 'string' || !names.resources.includes(name)) {
      throw new TemplateError(
        where,
        `DependsOn names unknown resource ${JSON.stringify(name)}.${typeof name === 'string' ? didYouMean(name, names.resources) : ''}`,
      );
    }
    found.add(name);
  });

  if (resource.Condition !== undefined && !names.conditions.includes(resource.Condition)) {
    throw new TemplateError(
      `${logicalId}.Condition`,
      `unknown condition "${resource.Condition}".${didYouMean(resource.Condition, names.conditions)}`,
    );
  }
  return [...found];
}

/** Adds to `found` every resource `value` refers to; throws on a reference to nothing. */
function collect(value: unknown, where: string, names: KnownNames, found: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((element, i) => collect(element, indexPath(where, i), names, found));
    return;
  }
  if (!isPlainObject(value)) return;
  const fn = intrinsicName(value);
  const arg = fn ? value[fn] : undefined;
  const argPath = fn ? childPath(where, fn) : where;

  if (fn === 'Ref' && typeof arg === 'string') {
    addRef(arg, where, 'Ref to', names, found);
    return;
  }
  if (fn === 'Fn::GetAtt') {
    const target = typeof arg === 'string' ? arg.split('.')[0] : Array.isArray(arg) ? arg[0] : undefined;
    if (typeof target === 'string') addResource(target, where, 'Fn::GetAtt on', names, found);
    if (Array.isArray(arg)) collect(arg[1], indexPath(argPath, 1), names, found);
    return;
  }
  if (fn === 'Fn::Sub') {
    const [template, variables] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    const local = isPlainObject(variables) ? variables : {};
    if (typeof template === 'string') {
      for (const name of subVariables(template, where)) {
        if (Object.hasOwn(local, name)) continue;
        const dot = name.indexOf('.');
        if (dot > 0 && !name.startsWith('AWS::'))
          addResource(name.slice(0, dot), where, `Fn::Sub (\${${name}}) refers to`, names, found);
        else addRef(name, where, `Fn::Sub (\${${name}}) refers to`, names, found);
      }
    }
    for (const [name, variable] of Object.entries(local))
      collect(variable, childPath(indexPath(argPath, 1), name), names, found);
    return;
  }
  if (
    fn === 'Fn::If' &&
    Array.isArray(arg) &&
    typeof arg[0] === 'string' &&
    !names.conditions.includes(arg[0])
  ) {
    throw new TemplateError(
      where,
      `Fn::If names unknown condition "${arg[0]}".${didYouMean(arg[0], names.conditions)}`,
    );
  }
  if (fn) {
    collect(arg, argPath, names, found);
    return;
  }
  for (const [key, element] of Object.entries(value)) collect(element, childPath(where, key), names, found);
}

/** A `Ref` may name a pseudo parameter, a parameter or a resource. */
function addRef(name: string, where: string, what: string, names: KnownNames, found: Set<string>): void {
  if (name.startsWith('AWS::')) {
    if (!isPseudoParameter(name))
      throw new TemplateError(
        where,
        `${what} unknown pseudo parameter "${name}".${didYouMean(name, PSEUDO_PARAMETERS)}`,
      );
    return;
  }
  if (names.parameters.includes(name)) return;
  addResource(name, where, what, names, found, names.parameters);
}

function addResource(
  name: string,
  where: string,
  what: string,
  names: KnownNames,
  found: Set<string>,
  alsoKnown: string[] = [],
): void {
  if (!names.resources.includes(name)) {
    throw new TemplateError(
      where,
      `${what} unknown resource "${name}".${didYouMean(name, [...names.resources, ...alsoKnown])}`,
    );
  }
  found.add(name);
}

function topologicalOrder(ids: string[], dependencies: Map<string, string[]>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (id: string) => {
    if (done.has(id)) return;
    if (path.includes(id)) {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new TemplateError(
        '',
        `Circular dependency between resources: ${cycle.join(' → ')}. Each needs the other to exist first, so neither can be created: ` +
          'remove one of these references (a Ref, Fn::GetAtt, Fn::Sub variable or DependsOn), for example by building a name or ARN from parameters instead.',
      );
    }
    path.push(id);
    for (const dependency of dependencies.get(id) ?? []) visit(dependency);
    path.pop();
    done.add(id);
    order.push(id);
  };
  ids.forEach(visit);
  return order;
}
