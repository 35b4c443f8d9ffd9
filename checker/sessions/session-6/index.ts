/** Session 6: Step Functions patterns in the virus lab. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unreachableState, type SessionCheckModule } from '../../core/session-check.ts';
import { judge } from './judge.ts';
import { observe } from './observe.ts';
import { MACHINES, staticChecks } from './static.ts';

/** The fields only a JSONPath state has (validation.ts has AWS's whole list). */
const JSONPATH_FIELDS = ['InputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'OutputPath'];

/** The first JSONPath field written in a JSONata machine's file, if it is one. */
function jsonPathFieldIn(file: string): string | undefined {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!/QueryLanguage:\s*'JSONata'/.test(text)) return undefined;
  return JSONPATH_FIELDS.find((field) => new RegExp(`^\\s*${field}:`, 'm').test(text));
}

const session6: SessionCheckModule = {
  staticChecks,
  packageHints: [
    {
      // CreateStateMachine refuses it (the local cloud too); osls lets it through.
      match: /States\.ALL must appear alone and at end of list/,
      title: 'States.ALL comes last, and alone',
      hint: 'States.ALL matches every error, so nothing after it could ever run: put the specific errors first, and States.ALL alone in the last catcher. Fix state-machines/lab/culture.ts.',
      todo: 4,
      explain: (message) =>
        /\/Retry\[/.test(message)
          ? {
              hint: 'States.ALL matches every error, so no retrier after it could ever run: put the specific errors first, and States.ALL alone in the last retrier.',
              todo: 3,
            }
          : undefined,
    },
    {
      match: /State machine "labAnalysis" definition is invalid/,
      title: 'labAnalysis is valid Amazon States Language',
      hint: 'Every Next and Default must name a state that exists, and every state must be reachable from StartAt. Fix state-machines/lab/analysis.ts.',
      todo: 1,
      // The chain (TODO 1) leads to HowStrong; HowStrong (TODO 2) leads to the verdicts.
      explain: unreachableState({
        MeasureStrength: { from: 'SequenceVirus', todo: 1 },
        HowStrong: { from: 'MeasureStrength', todo: 1 },
        Quarantine: { from: "HowStrong's Choices", todo: 2 },
        Treat: { from: "HowStrong's Choices", todo: 2 },
        Release: { from: "HowStrong's Default", todo: 2 },
      }),
    },
    {
      match: /State machine "labCulture" definition is invalid/,
      title: 'labCulture is valid Amazon States Language',
      hint: 'Each state after GrowCulture must be reachable: HasFrozenSample through the Catch, UseFrozenSample and CultureFailed from it. Fix state-machines/lab/culture.ts.',
      todo: 4,
    },
    {
      match: /State machine "labResponse" definition is invalid/,
      title: 'labResponse is valid Amazon States Language',
      hint: 'Each branch of a Parallel is a small state machine of its own: StartAt and States. Fix state-machines/lab/response.ts.',
      todo: 5,
    },
    {
      match: /State machine "labWave" definition is invalid/,
      title: 'labWave is valid Amazon States Language',
      hint: 'A Map needs ItemsPath and an ItemProcessor with StartAt and States. Fix state-machines/lab/wave.ts.',
      todo: 6,
    },
    {
      match: /State machine "labAlert" definition is invalid/,
      title: 'labAlert is valid Amazon States Language',
      hint: 'Every Next, Default and Catch must name a state that exists. Fix state-machines/lab/alert.ts.',
      todo: 8,
      // The plugin's validator only says "must match exactly one schema in oneOf": the file says which JSONPath field it is.
      explain: (_message, dir) => {
        const field = jsonPathFieldIn(join(dir, MACHINES.alert.file));
        return field
          ? {
              hint: `labAlert is a JSONata machine, and ${field} is a JSONPath field: AWS refuses it with "The QueryLanguage is set to 'JSONata', but field '${field}' is only supported for the 'JSONPath' QueryLanguage". Arguments is what a task gets, Output what the state gives (by default the task's result: IsApproved reads the answer as $states.input), and Assign keeps what must outlive it ($virusId, $strength). Fix state-machines/lab/alert.ts.`,
              todo: 8,
            }
          : undefined;
      },
    },
  ],
  async behaviourChecks(ctx) {
    return judge(await observe(ctx));
  },
};

export default session6;
