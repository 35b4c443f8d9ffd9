/**
 * Session 3: createVirus on an EventBridge schedule, keyed by its request id; and its bonus
 * part, the board followed over a WebSocket that a stream of the virus table pushes to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionCheckModule } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { judgePush } from './push-judge.ts';
import { observePush } from './push-observe.ts';
import { pushPart } from './push-part.ts';
import { pushStaticChecks, triedBonus } from './push-static.ts';
import { refusal, writtenSchedules } from './schedule.ts';
import { staticChecks } from './static.ts';

const session3: SessionCheckModule = {
  staticChecks: (ctx) => [...staticChecks(ctx), ...pushStaticChecks(ctx.template)],
  packageHints: [
    {
      // osls validates schedule expressions with a pattern; it names the event, not the rule broken.
      match: /Configuration error at 'functions\.\w+\.events\.\d+\.schedule'/,
      title: 'EventBridge accepts the schedule expression',
      hint: 'A rate is rate(value unit) with unit minute, hour or day: singular for 1, rate(1 minute), plural above, rate(5 minutes). So rate(1 minutes) and rate(5 minute) are refused, and so is rate(60 seconds) (a schedule goes down to one minute). A cron has six fields: cron(* * * * ? *).',
      todo: 1,
      // The expression itself says which rule it breaks: tell that rule, not all of them.
      explain(_message, dir) {
        const source = existsSync(join(dir, 'serverless.ts'))
          ? readFileSync(join(dir, 'serverless.ts'), 'utf8')
          : '';
        const expr = writtenSchedules(source.replace(/^\s*\/\/.*$/gm, '')).find((e) => refusal(e));
        if (!expr) return undefined;
        const why = refusal(expr)!;
        return { hint: `${expr}: ${why}.`, todo: expr.startsWith('cron(') ? 3 : 1 };
      },
    },
  ],
  async behaviourChecks(ctx) {
    const results = judge(await observe(ctx));
    // The bonus comes after the schedule's window: its viruses must not change the count.
    const tried = triedBonus(pushPart(ctx.template));
    if (!tried) return results;
    const push = await observePush(ctx.target, ctx.deployment, ctx.template);
    return [
      ...results,
      ...judgePush(push, 'the bonus part is not complete yet (the static checks above say what is missing).'),
    ];
  },
};

export default session3;
