/**
 * Session 6's demo: the human in the loop. Start labAlert (what the board's approvals list
 * shows), find the waiting execution, and send its task token back with SendTaskSuccess.
 */
import type { DemoStep } from '../../core/demo.ts';

export const demo: DemoStep[] = [
  {
    say: 'Start labAlert for a strong virus: AskForApproval hands its task token to requestApproval and waits',
    startExecution: { machine: 'labAlert', input: { virusId: 'demo-virus', strength: 9 } },
    keep: 'execution',
  },
  {
    say: 'The execution waits, for free (the board lists it under "Waiting for approval")',
    running: 'labAlert',
  },
  {
    say: 'Approve it: the token from the execution history, sent back with SendTaskSuccess',
    sendTaskSuccess: { machine: 'labAlert', output: { approved: true } },
  },
];
