/**
 * The string of an `Fn::Sub`, cut into literal text and `${...}` variables. `${!Literal}`
 * is CloudFormation's escape: it stands for the text `${Literal}`, not a variable.
 */
import { TemplateError } from './template-error.ts';

export type SubPart = { text: string } | { variable: string };

export function parseSub(template: string, where: string): SubPart[] {
  const parts: SubPart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('${', i);
    if (open < 0) {
      text += template.slice(i);
      break;
    }
    text += template.slice(i, open);
    const close = template.indexOf('}', open + 2);
    if (close < 0) {
      throw new TemplateError(
        where,
        `Fn::Sub has an unclosed "\${" in "${excerpt(template, open)}". Close it with "}", or write "\${!" for a literal "\${".`,
      );
    }
    const inside = template.slice(open + 2, close);
    if (inside.startsWith('!')) {
      text += `\${${inside.slice(1)}}`;
    } else {
      const variable = inside.trim();
      if (!variable)
        throw new TemplateError(where, `Fn::Sub has an empty "\${}" in "${excerpt(template, open)}".`);
      if (text) parts.push({ text });
      text = '';
      parts.push({ variable });
    }
    i = close + 1;
  }
  if (text) parts.push({ text });
  return parts;
}

/** The variable names an `Fn::Sub` string uses, in order of first use. */
export function subVariables(template: string, where: string): string[] {
  const names = new Set<string>();
  for (const part of parseSub(template, where)) if ('variable' in part) names.add(part.variable);
  return [...names];
}

function excerpt(template: string, at: number): string {
  const start = Math.max(0, at - 20);
  return `${start > 0 ? '…' : ''}${template.slice(start, at + 30)}${at + 30 < template.length ? '…' : ''}`;
}
