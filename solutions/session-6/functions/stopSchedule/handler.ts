import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, scheduleTableName } from '../../lib/dynamodb.ts';
import type { BusEvent } from '../../lib/lambda.ts';
import { requestedId } from '../../lib/schedule.ts';

/** A `Schedule Stop` event: forget the schedule. Its loop finds it gone at its next tick, and ends. */
export const main = async (event: BusEvent<unknown>): Promise<{ stopped: string | null }> => {
  const id = requestedId(event.detail);
  if (!id) {
    console.error('Schedule Stop refused: it needs a detail like { "id": "outbreak:every-5" }.');
    return { stopped: null };
  }
  // Deleting a schedule that is not there is fine: stopping twice is stopping.
  await ddb.send(new DeleteCommand({ TableName: scheduleTableName(), Key: { id } }));
  console.log(`schedule ${id} stopped`);
  return { stopped: id };
};
