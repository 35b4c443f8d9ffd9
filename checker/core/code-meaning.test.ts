import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { codeMeaning } from './code-meaning.ts';

const SOLUTION = 'solutions/session-4/functions/spreadVirus/handler.ts';

describe('codeMeaning', () => {
  it("makes a learner's own writing of session 4's spreadVirus equal to the solution", async () => {
    // What a learner writes: no comments, double quotes, other line breaks, no semicolon on one line.
    const learner = `import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { eventBridge, eventBusName, virusCreationRequest } from "../../lib/eventbridge.ts";

export const VIRUSES_PER_SPREAD = 3;

export const main = async (): Promise<{ requested: number }> => {
  const busName = eventBusName()
  const entries = Array.from({ length: VIRUSES_PER_SPREAD }, () =>
    virusCreationRequest(busName),
  );

  const { FailedEntryCount = 0, Entries = [] } = await eventBridge.send(
    new PutEventsCommand({ Entries: entries }),
  );
  if (FailedEntryCount > 0) {
    const reasons = Entries.filter((entry) => entry.ErrorCode).map((entry) => \`\${entry.ErrorCode}: \${entry.ErrorMessage}\`);
    throw new Error(\`EventBridge refused \${FailedEntryCount} of \${entries.length} events (\${reasons.join("; ")})\`);
  }
  return { requested: entries.length };
};
`;
    expect(await codeMeaning('handler.ts', learner)).toBe(
      await codeMeaning('handler.ts', readFileSync(SOLUTION, 'utf8')),
    );
  });

  it('still tells code that does something else', async () => {
    const solution = readFileSync(SOLUTION, 'utf8');
    const other = solution.replace('VIRUSES_PER_SPREAD = 3', 'VIRUSES_PER_SPREAD = 1');
    expect(await codeMeaning('handler.ts', other)).not.toBe(await codeMeaning('handler.ts', solution));
  });

  it('compares JSON by value, and a file that does not parse as written', async () => {
    expect(await codeMeaning('a.json', '{"a":1,\n "b": [1,2]}')).toBe(
      await codeMeaning('a.json', '{ "a": 1, "b": [1, 2] }\n'),
    );
    expect(await codeMeaning('broken.ts', 'export const = ;  \n')).toBe('export const = ;\n');
  });
});
