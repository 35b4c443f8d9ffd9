/**
 * The parts of a CloudFormation template this folder reads. Structural on purpose: the stack
 * loader's own `Template` type (and any parsed JSON of the same shape) fits it.
 */
export interface TemplateLike {
  Parameters?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, ResourceLike>;
}

export interface ResourceLike {
  Type: string;
  Properties?: unknown;
  DependsOn?: string | string[];
  Condition?: string;
}

/** `{ "Ref": ... }` and `{ "Fn::X": ... }`: an object with one key naming an intrinsic function. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0];
  return key === 'Ref' || key.startsWith('Fn::') ? key : undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
