/** Observation helpers shared by the session checks: AWS API calls only, local or AWS alike. */
import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { Target } from './target.ts';

/** An execution's whole history, page after page (GetExecutionHistory returns 1000 at most). */
export async function executionHistory(target: Target, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await target
      .clients()
      .sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
