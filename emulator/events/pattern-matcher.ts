/**
 * Matches compiled event patterns against events, with event-ruler's semantics:
 *
 * - the event is flattened to leaves named by their dotted path ("detail.state"), so a
 *   pattern field "a.b" and nested fields {"a": {"b": ...}} name the same leaf; objects and
 *   empty arrays are not leaves;
 * - an array contributes each of its elements under the array's own name, so a field matches
 *   when any element matches;
 * - the fields of a branch must be satisfied by leaves from the same element of any array
 *   they share (array consistency): {"items": {"a": [1], "b": [2]}} needs an item with both;
 * - values keep their JSON type: the string "5" never matches the number 5, prefix and
 *   friends only see strings, numeric only numbers; anything-but matches any present value
 *   of another type, null included, and never an absent field;
 * - `exists: false` holds when no leaf has the field's name anywhere in the event.
 */
import type { Branch, Matcher } from './pattern-compiler.ts';
import { inRange, parseIp } from './ip.ts';

export function matchesBranches(branches: readonly Branch[], event: unknown): boolean {
  const leaves = flatten(event);
  return branches.some((branch) => matchesBranch(branch, leaves));
}

type Scalar = string | number | boolean | null;

interface Leaf {
  readonly value: Scalar;
  /** [array id, element index] for each array around the leaf, outermost first. */
  readonly elements: ReadonlyArray<readonly [number, number]>;
}

interface Field {
  readonly candidates: readonly Leaf[];
  readonly mayBeAbsent: boolean;
}

function flatten(event: unknown): Map<string, Leaf[]> {
  const leaves = new Map<string, Leaf[]>();
  let arrays = 0;
  const walk = (value: unknown, path: string, elements: ReadonlyArray<readonly [number, number]>): void => {
    if (Array.isArray(value)) {
      const id = arrays++;
      value.forEach((element, index) => walk(element, path, [...elements, [id, index]]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value))
        walk(child, path === '' ? key : `${path}.${key}`, elements);
    } else if (path !== '' && isScalar(value)) {
      const list = leaves.get(path) ?? [];
      list.push({ value, elements });
      leaves.set(path, list);
    }
  };
  walk(event, '', []);
  return leaves;
}

function isScalar(value: unknown): value is Scalar {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  );
}

function matchesBranch(branch: Branch, leaves: Map<string, Leaf[]>): boolean {
  const fields: Field[] = [];
  for (const [name, matchers] of branch) {
    const present = leaves.get(name) ?? [];
    const field: Field = {
      candidates: present.filter((leaf) => matchers.some((matcher) => matchesValue(matcher, leaf.value))),
      mayBeAbsent:
        present.length === 0 && matchers.some((matcher) => matcher.kind === 'exists' && !matcher.value),
    };
    if (field.candidates.length === 0 && !field.mayBeAbsent) return false;
    fields.push(field);
  }
  return consistent(fields, 0, new Map());
}

// Picks one candidate per field so that leaves sharing an array come from the same element.
function consistent(fields: readonly Field[], at: number, chosen: Map<number, number>): boolean {
  if (at === fields.length) return true;
  const field = fields[at];
  if (field.mayBeAbsent) return consistent(fields, at + 1, chosen);
  for (const leaf of field.candidates) {
    const conflict = leaf.elements.some(([array, index]) => chosen.has(array) && chosen.get(array) !== index);
    if (conflict) continue;
    const added = leaf.elements.filter(([array]) => !chosen.has(array));
    for (const [array, index] of added) chosen.set(array, index);
    if (consistent(fields, at + 1, chosen)) return true;
    for (const [array] of added) chosen.delete(array);
  }
  return false;
}

function matchesValue(matcher: Matcher, value: Scalar): boolean {
  switch (matcher.kind) {
    case 'exact':
      return value === matcher.value;
    case 'address':
    case 'cidr':
      return typeof value === 'string' && isAddressIn(value, matcher.range);
    case 'number':
      return typeof value === 'number' && value === matcher.value;
    case 'literal':
      return value === matcher.value;
    case 'prefix':
      return (
        typeof value === 'string' &&
        (matcher.ignoreCase ? foldedTest(value, matcher.value, startsWith) : value.startsWith(matcher.value))
      );
    case 'suffix':
      return (
        typeof value === 'string' &&
        (matcher.ignoreCase ? foldedTest(value, matcher.value, endsWith) : value.endsWith(matcher.value))
      );
    case 'equals-ignore-case':
      return typeof value === 'string' && foldedTest(value, matcher.value, equals);
    case 'wildcard':
      return typeof value === 'string' && matcher.test(value);
    case 'anything-but':
      if (typeof value === 'string') return !matcher.strings.has(value);
      if (typeof value === 'number') return !matcher.numbers.includes(value);
      return true;
    case 'anything-but-ignore-case':
      return (
        typeof value !== 'string' || !matcher.values.some((excluded) => foldedTest(value, excluded, equals))
      );
    case 'anything-but-prefix':
      return typeof value !== 'string' || !matcher.values.some((excluded) => value.startsWith(excluded));
    case 'anything-but-suffix':
      return typeof value !== 'string' || !matcher.values.some((excluded) => value.endsWith(excluded));
    case 'anything-but-wildcard':
      return typeof value !== 'string' || !matcher.tests.some((test) => test(value));
    case 'range':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        aboveBottom(value, matcher.bottom) &&
        belowTop(value, matcher.top)
      );
    case 'exists':
      return matcher.value;
  }
}

function isAddressIn(value: string, range: Parameters<typeof inRange>[1]): boolean {
  const address = parseIp(value);
  return address !== undefined && inRange(address, range);
}

function aboveBottom(value: number, bottom: { value: number; open: boolean } | undefined): boolean {
  if (!bottom) return true;
  return bottom.open ? value > bottom.value : value >= bottom.value;
}

function belowTop(value: number, top: { value: number; open: boolean } | undefined): boolean {
  if (!top) return true;
  return top.open ? value < top.value : value <= top.value;
}

const startsWith = (value: string, part: string): boolean => value.startsWith(part);
const endsWith = (value: string, part: string): boolean => value.endsWith(part);
const equals = (value: string, part: string): boolean => value === part;

// event-ruler folds case character by character, accepting either the lower or upper form.
function foldedTest(value: string, part: string, test: (value: string, part: string) => boolean): boolean {
  return test(value.toLowerCase(), part.toLowerCase()) || test(value.toUpperCase(), part.toUpperCase());
}
