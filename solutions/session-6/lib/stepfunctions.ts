import { SFNClient } from '@aws-sdk/client-sfn';

/** One Step Functions client for the whole sandbox, created once. The environment gives it its region. */
export const sfn = new SFNClient({});

/** The scheduler state machine's ARN, given to the function by serverless.ts (`SCHEDULER_STATE_MACHINE_ARN`). */
export function schedulerArn(): string {
  const arn = process.env.SCHEDULER_STATE_MACHINE_ARN;
  if (!arn) {
    throw new Error("SCHEDULER_STATE_MACHINE_ARN is not set: give the function `environment: { SCHEDULER_STATE_MACHINE_ARN: { Ref: 'SchedulerStateMachine' } }` in serverless.ts.");
  }
  return arn;
}
