/**
 * What a rule's target receives for a matched event: the event itself, or what its Input,
 * InputPath or InputTransformer makes of it.
 *
 * - Input: the constant JSON text, as given.
 * - InputPath: the JSON of the part of the event the path selects (`$.detail`).
 * - InputTransformer: InputPathsMap names values of the event, InputTemplate places them as
 *   `<name>`, with the predefined `<aws.events.rule-name>`, `<aws.events.rule-arn>`,
 *   `<aws.events.event.ingestion-time>`, `<aws.events.event>` (the envelope without its
 *   detail, with `detailType`) and `<aws.events.event.json>` (the whole envelope).
 *
 * How a value is written depends on where its placeholder stands, as AWS does it:
 * - a template that is a JSON object (starts with `{`): outside quotes a value is written as
 *   JSON (`"id": <id>` gives `"id": "i-123"`); inside quotes a string or number goes in bare
 *   (`"path": "users/<id>"`), while an object or array there breaks the JSON; the result must
 *   be valid JSON or the event is not delivered (InputTransformationError);
 * - any other template (a quoted string, lines of text): strings go in bare, objects and
 *   arrays as their JSON without double quotes (`{acc_id:1,sf_id:baz}`, `[HIGH]`);
 * - a path that reaches nothing gives an empty string (`""` outside quotes).
 *
 * `validateTargetInput` is PutTargets' check, with AWS's ValidationException messages;
 * `targetInput` runs it on the paths too, so a bad path never slips through.
 */
import { AwsError } from '../core/errors.ts';
import { parseJsonPath, readJsonPath, type PathStep } from './json-path.ts';

export interface TargetInputConfig {
  /** The target's id, which AWS names in its messages. */
  Id?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
}

export interface TargetInputContext {
  ruleName?: string;
  ruleArn?: string;
  /** When EventBridge received the event; defaults to the event's `time`. */
  ingestionTime?: string;
}

/** The transformed input is not valid JSON: AWS drops the delivery (a failed invocation). */
export class InputTransformationError extends Error {}

export function targetInput(
  target: TargetInputConfig,
  event: object,
  context: TargetInputContext = {},
): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    const value = readJsonPath(pathOrThrow(target, target.InputPath), event);
    // What AWS sends when the path reaches nothing is not documented; null is our choice.
    return JSON.stringify(value ?? null);
  }
  if (target.InputTransformer !== undefined)
    return transform(target, target.InputTransformer, event, context);
  return JSON.stringify(event);
}

export function validateTargetInput(target: TargetInputConfig): void {
  const given = [target.Input, target.InputPath, target.InputTransformer].filter(
    (option) => option !== undefined,
  );
  if (given.length > 1)
    throw validation(
      `Only one of Input, InputPath, or InputTransformer must be provided for target ${target.Id}.`,
    );
  if (target.Input !== undefined && !isJson(target.Input))
    throw validation(`Input for target ${target.Id} is not a valid JSON text.`);
  if (target.InputPath !== undefined) pathOrThrow(target, target.InputPath);
  const transformer = target.InputTransformer;
  if (transformer === undefined) return;
  for (const path of Object.values(transformer.InputPathsMap ?? {})) pathOrThrow(target, path);
  for (const name of placeholders(transformer.InputTemplate)) {
    if (!Object.hasOwn(transformer.InputPathsMap ?? {}, name) && !PREDEFINED.has(name)) {
      throw validation(`InputTemplate for target ${target.Id} contains invalid placeholder ${name}.`);
    }
  }
}

const PREDEFINED = new Set([
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
]);

const PLACEHOLDER = /<([^<>]+)>/g;

function transform(
  target: TargetInputConfig,
  transformer: NonNullable<TargetInputConfig['InputTransformer']>,
  event: object,
  context: TargetInputContext,
): string {
  const values = new Map<string, unknown>(Object.entries(predefined(event, context)));
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {}))
    values.set(name, readJsonPath(pathOrThrow(target, path), event));
  const template = transformer.InputTemplate;
  const json = template.trimStart().startsWith('{');
  let output = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (!values.has(name)) continue;
    const before = template.slice(last, match.index);
    output += before;
    last = match.index + match[0].length;
    const value = values.get(name);
    output += json ? jsonTemplateText(value, insideString(template, match.index)) : textTemplateText(value);
  }
  output += template.slice(last);
  if (json && !isJson(output))
    throw new InputTransformationError(
      `The transformed input for target ${target.Id} is not valid JSON: ${output}`,
    );
  return output;
}

function jsonTemplateText(value: unknown, quoted: boolean): string {
  if (value === undefined) return quoted ? '' : '""';
  if (quoted && typeof value !== 'object') return String(value);
  if (quoted && value === null) return 'null';
  return JSON.stringify(value);
}

function textTemplateText(value: unknown): string {
  if (value === undefined) return '';
  if (value !== null && typeof value === 'object') return JSON.stringify(value).replaceAll('"', '');
  return String(value);
}

// Whether `index` falls inside a JSON string literal of the template.
function insideString(template: string, index: number): boolean {
  let inside = false;
  for (let i = 0; i < index; i++) {
    if (template[i] === '\\' && inside) i++;
    else if (template[i] === '"') inside = !inside;
  }
  return inside;
}

function predefined(event: object, context: TargetInputContext): Record<string, unknown> {
  const envelope = event as Record<string, unknown>;
  return {
    'aws.events.rule-arn': context.ruleArn ?? '',
    'aws.events.rule-name': context.ruleName ?? '',
    'aws.events.event.ingestion-time': context.ingestionTime ?? envelope.time,
    // AWS's own rendering of the envelope without its detail: camelCase detailType, its order.
    'aws.events.event': {
      id: envelope.id,
      account: envelope.account,
      detailType: envelope['detail-type'],
      time: envelope.time,
      source: envelope.source,
      region: envelope.region,
      resources: envelope.resources,
      version: envelope.version,
    },
    'aws.events.event.json': event,
  };
}

function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]);
}

function pathOrThrow(target: TargetInputConfig, path: string): PathStep[] {
  const steps = parseJsonPath(path);
  if (!steps) throw validation(`InputPath for target ${target.Id} is invalid.`);
  return steps;
}

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
