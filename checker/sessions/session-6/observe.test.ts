import { describe, expect, it } from 'vitest';
import type { Template } from '../../../emulator/index.ts';
import { payloadHasToken } from './observe.ts';

/** labAlert as osls packages it, with AskForApproval's Payload as given. */
const alertWith = (payload: Record<string, unknown>): Template =>
  ({
    Resources: {
      LabAlertStateMachine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          Definition: {
            StartAt: 'AskForApproval',
            States: { AskForApproval: { Type: 'Task', Parameters: { Payload: payload }, End: true } },
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
});
