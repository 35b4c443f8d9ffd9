/**
 * A template's text as CreateStack, UpdateStack, CreateChangeSet and ValidateTemplate take
 * it, checked the way CloudFormation checks it before any resource is touched, with its
 * words ("Template format error: ..."). JSON only: osls and `aws cloudformation deploy
 * --template-file x.json` send JSON; a YAML template is refused saying so.
 */
import { AwsError } from '../core/errors.ts';
import type { Template } from '../stack/package.ts';

export function parseTemplate(body: string): Template {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    const looksYaml = /^\s*(AWSTemplateFormatVersion|Resources|Description|Parameters)\s*:/m.test(body);
    throw new AwsError(
      'ValidationError',
      looksYaml
        ? 'Template format error: the local cloud reads JSON templates only, and this one is YAML. Convert it to JSON (osls deploy always sends JSON).'
        : `Template format error: JSON not well-formed. (${(err as Error).message})`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new AwsError('ValidationError', 'Template format error: the template must be a JSON object.');
  const t = parsed as Template;
  if (!t.Resources || typeof t.Resources !== 'object' || Object.keys(t.Resources).length === 0)
    throw new AwsError(
      'ValidationError',
      'Template format error: At least one Resources member must be defined.',
    );
  for (const [id, r] of Object.entries(t.Resources)) {
    if (!r || typeof r !== 'object' || typeof r.Type !== 'string')
      throw new AwsError(
        'ValidationError',
        `Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`,
      );
  }
  return t;
}
