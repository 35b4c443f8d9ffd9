/** ARNs of state machines and executions, and the naming rules they follow. */
import { apiErrors } from './errors.ts';

export interface ArnScope {
  region: string;
  accountId: string;
}

export function stateMachineArnOf(scope: ArnScope, name: string): string {
  return `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;
}

export function executionArnOf(scope: ArnScope, stateMachineName: string, name: string): string {
  return `arn:aws:states:${scope.region}:${scope.accountId}:execution:${stateMachineName}:${name}`;
}

export interface ParsedStatesArn {
  resourceType: string;
  /** State machine name (for both kinds). */
  stateMachineName: string;
  /** Execution name, for an execution ARN. */
  executionName?: string;
}

/**
 * Checks an ARN is a Step Functions ARN of the expected kind, with AWS's InvalidArn words
 * when it is not. Whether it exists is for the caller to say.
 */
export function parseStatesArn(
  arn: unknown,
  expected: 'stateMachine' | 'execution' | 'mapRun',
): ParsedStatesArn {
  if (typeof arn !== 'string' || arn === '')
    throw apiErrors.invalidArn(`Invalid ARN prefix: ${String(arn ?? '')}`);
  const m = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:([^:]+):(.*)$/.exec(arn);
  if (!m) throw apiErrors.invalidArn(`Invalid ARN prefix: ${arn}`);
  const [, resourceType, rest] = m;
  if (resourceType !== expected)
    throw apiErrors.invalidArn(`Resource type not valid in this context: ${resourceType.toLowerCase()}`);
  const parts = rest.split(':');
  if (expected === 'stateMachine' && parts.length === 1 && parts[0])
    return { resourceType, stateMachineName: parts[0] };
  // A map run is Machine/Label:id, as a child execution is Machine/Label:name.
  if ((expected === 'execution' || expected === 'mapRun') && parts.length === 2 && parts[0] && parts[1])
    return { resourceType, stateMachineName: parts[0], executionName: parts[1] };
  throw apiErrors.invalidArn(`Invalid ARN: ${arn}`);
}

// AWS: 1-80 characters, none of whitespace, brackets, wildcards, these specials or control characters.
const FORBIDDEN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

export function validateName(name: unknown): asserts name is string {
  if (
    typeof name !== 'string' ||
    name.length < 1 ||
    name.length > 80 ||
    FORBIDDEN_NAME.test(name) ||
    hasControlCharacter(name)
  ) {
    throw apiErrors.invalidName(String(name));
  }
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}
