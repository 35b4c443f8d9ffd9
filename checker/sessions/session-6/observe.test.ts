import { describe, expect, it } from 'vitest';
import type { Template } from '../../../emulator/index.ts';
import { payloadHasToken } from './observe.ts';

/** labAlert as osls packages it, with AskForApproval's Payload (in Parameters, or in JSONata's Arguments) as given. */
const alertWith = (payload: unknown, field: 'Parameters' | 'Arguments' = 'Parameters'): Template =>
  ({
    Resources: {
      LabAlertStateMachine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          Definition: {
            StartAt: 'AskForApproval',
            States: { AskForApproval: { Type: 'Task', [field]: { Payload: payload }, End: true } },
          },
        },
      },
    },
  }) as unknown as Template;

describe('payloadHasToken', () => {
  it("sees whether AskForApproval hands the Lambda the task token: a missing token is TODO 8's, not requestApproval's", () => {
    expect(payloadHasToken(alertWith({ 'token.$': '$$.Task.Token', 'virusId.$': '$.virusId' }))).toBe(true);
    expect(payloadHasToken(alertWith({ 'virusId.$': '$.virusId' }))).toBe(false);
    expect(payloadHasToken({ Resources: {} } as unknown as Template)).toBe(false);
  });

  it('reads a JSONata Payload too: the token in one field, or in an expression for the whole Payload', () => {
    const field = { token: '{% $states.context.Task.Token %}', virusId: '{% $states.input.virusId %}' };
    expect(payloadHasToken(alertWith(field, 'Arguments'))).toBe(true);
    expect(payloadHasToken(alertWith("{% { 'token': $states.context.Task.Token } %}", 'Arguments'))).toBe(
      true,
    );
    expect(payloadHasToken(alertWith({ virusId: '{% $states.input.virusId %}' }, 'Arguments'))).toBe(false);
  });
});
