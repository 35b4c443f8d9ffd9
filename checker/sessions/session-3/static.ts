/** Static checks for session 3, on the template `osls package` produced. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from '../../../emulator/index.ts';
import type { CheckResult } from '../../core/result.ts';
import { fail, pass, skip, warn } from '../../core/result.ts';
import type { StaticContext } from '../../core/session-check.ts';
import { lambdaFor, referencedIds, resourcesOfType, type Resource } from '../../core/template.ts';
import { describeFrequency, EVERY_MINUTE, everyMinute, refusal } from './schedule.ts';

const SNIPPET = "events: [{ schedule: 'rate(1 minute)' }]";

interface ScheduleRule {
  rule: Resource;
  expression: string;
  /** Names (as in serverless.ts) of the functions it invokes. */
  targets: string[];
  enabled: boolean;
}

export function scheduleRules(template: Template): ScheduleRule[] {
  return resourcesOfType(template, 'AWS::Events::Rule')
    .filter((r) => r.Properties?.ScheduleExpression !== undefined)
    .map((rule) => ({
      rule,
      expression: String(rule.Properties?.ScheduleExpression),
      targets: (rule.Properties?.Targets ?? [])
        .flatMap((t: { Arn: unknown }) => referencedIds(t.Arn))
        .map((id: string) => shortName(template, id)),
      enabled: (rule.Properties?.State ?? 'ENABLED') === 'ENABLED',
    }));
}

function shortName(template: Template, logicalId: string): string {
  const name = template.Resources[logicalId]?.Properties?.FunctionName;
  return typeof name === 'string' ? (name.split('-').pop() ?? name) : logicalId;
}

const capital = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/** A cron is TODO 3's bonus; anything else about the schedule is TODO 1. */
const todoFor = (expr: string) => (expr.startsWith('cron(') ? 3 : 1);

export function staticChecks({ template, dir }: StaticContext): CheckResult[] {
  const rules = scheduleRules(template);
  const refused = rules.flatMap((r) => {
    const why = refusal(r.expression);
    return why ? [{ ...r, why }] : [];
  });
  const results: CheckResult[] = [];
  if (refused.length) {
    // osls lets through any six-field cron; EventBridge would refuse these at deploy time.
    const r = refused[0];
    const todo = todoFor(r.expression);
    results.push(
      fail('s3.expression', 'EventBridge accepts the schedule expression', {
        observed: `${r.targets.join(', ') || 'a rule'} has the schedule ${r.expression}: EventBridge refuses it (ValidationException: Parameter ScheduleExpression is not valid.)`,
        expected: EVERY_MINUTE,
        hint: `${capital(r.why)}.`,
        todo,
      }),
    );
  } else {
    results.push(scheduleCheck(template, rules), targetCheck(template, rules));
  }
  results.push(cronBonus(dir));
  return results;
}

function scheduleCheck(template: Template, rules: ScheduleRule[]): CheckResult {
  const id = 's3.schedule';
  const title = 'createVirus runs every minute (an EventBridge schedule)';
  const where = { todo: 1 };
  if (!lambdaFor(template, 'createVirus'))
    return fail(id, title, {
      observed: 'no createVirus function in serverless.ts',
      hint: 'Keep the createVirus function from the starter.',
      ...where,
    });
  const own = rules.filter((r) => r.targets.includes('createVirus'));
  if (own.length === 0) {
    const elsewhere = rules.find((r) => r.targets.length);
    return fail(id, title, {
      observed: elsewhere
        ? `the schedule ${elsewhere.expression} is on ${elsewhere.targets.join(', ')}, not on createVirus`
        : 'createVirus has no schedule',
      expected: `${SNIPPET} on createVirus`,
      hint: elsewhere
        ? `Move the schedule event to createVirus: it is the function that makes viruses${elsewhere.targets.includes('spawnVirus') ? " (spawnVirus answers the board's POST)" : ''}.`
        : `Give createVirus ${SNIPPET} in serverless.ts.`,
      ...where,
    });
  }
  if (own.length > 1) {
    return fail(id, title, {
      observed: `createVirus has ${own.length} schedules: ${own.map((r) => r.expression).join(', ')}`,
      expected: 'one schedule, so one virus a minute',
      hint: 'Keep one schedule event; write the other as a comment (TODO 3 asks for the cron as a comment).',
      ...where,
    });
  }
  const expr = own[0].expression;
  if (!everyMinute(expr)) {
    const todo = todoFor(expr);
    const hint = expr.startsWith('cron(')
      ? 'In cron, every minute is cron(* * * * ? *): a * in the minutes field (a number there means "at that minute of the hour").'
      : `The game wants a virus a minute: ${SNIPPET}.`;
    return fail(id, title, {
      observed: `createVirus runs ${describeFrequency(expr)} (${expr})`,
      expected: `every minute: ${EVERY_MINUTE}`,
      hint,
      todo,
    });
  }
  return pass(id, `createVirus runs every minute (${expr})`);
}

function targetCheck(template: Template, rules: ScheduleRule[]): CheckResult {
  const id = 's3.target';
  const title = 'The schedule is on, and EventBridge may invoke createVirus';
  const where = { todo: 1 };
  const own = rules.filter((r) => r.targets.includes('createVirus'));
  const lambda = lambdaFor(template, 'createVirus');
  if (own.length === 0 || !lambda) return skip(id, title, 'createVirus has no schedule yet (TODO 1).');
  const off = own.find((r) => !r.enabled);
  if (off) {
    return fail(id, title, {
      observed: `the rule for ${off.expression} is ${String(off.rule.Properties?.State)}: it never fires`,
      expected: 'State: ENABLED',
      hint: "Remove enabled: false from the schedule event (or write just { schedule: 'rate(1 minute)' }).",
      ...where,
    });
  }
  const permitted = resourcesOfType(template, 'AWS::Lambda::Permission').some(
    (p) =>
      p.Properties?.Principal === 'events.amazonaws.com' &&
      referencedIds(p.Properties?.FunctionName).includes(lambda.logicalId),
  );
  if (!permitted) {
    return fail(id, title, {
      observed: 'no AWS::Lambda::Permission lets events.amazonaws.com invoke createVirus',
      expected: 'the permission osls adds for a schedule event',
      hint: `Declare the schedule as a schedule event of createVirus (${SNIPPET}) rather than a hand-written rule: osls then adds the permission.`,
      ...where,
    });
  }
  return pass(id, title);
}

/** TODO 3 is a bonus: a cron written in a comment of serverless.ts. Never a ✖. */
function cronBonus(dir: string): CheckResult {
  const id = 's3.cron';
  const title = 'Bonus: the same schedule in cron';
  const where = { todo: 3 };
  let text = '';
  try {
    text = readFileSync(join(dir, 'serverless.ts'), 'utf8');
  } catch {
    return skip(id, title, 'serverless.ts could not be read');
  }
  // The TODO line itself shows the shape with dots: it is not an attempt.
  const crons = text
    .split('\n')
    .filter((line) => !/TODO/.test(line))
    .flatMap((line) => [...line.matchAll(/cron\([^)]*\)/g)].map((m) => m[0]));
  if (crons.length === 0) return skip(id, title, 'not tried yet (TODO 3, a bonus).');
  for (const c of crons) {
    const why = refusal(c);
    if (why)
      return warn(id, title, {
        observed: `${c}: EventBridge would refuse it`,
        expected: 'cron(* * * * ? *)',
        hint: `${capital(why)}.`,
        ...where,
      });
  }
  const same = crons.find(everyMinute);
  if (!same)
    return warn(id, title, {
      observed: `${crons[0]} runs ${describeFrequency(crons[0])}`,
      expected: 'every minute: cron(* * * * ? *)',
      hint: 'Every minute of every hour of every day: * in minutes, hours, month and year, ? in one of the day fields.',
      ...where,
    });
  return pass(id, `${title}: ${same}`);
}
