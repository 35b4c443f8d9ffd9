import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, scheduleTableName } from '../../lib/dynamodb.ts';
import type { BusEvent } from '../../lib/lambda.ts';
import { requestedId } from '../../lib/schedule.ts';
import { cancelTicks } from '../../lib/scheduler.ts';

/**
 * A `Schedule Stop` event: forget the schedule. A loop of part 1 finds it gone at its next
 * tick, and ends; the pending tick of a chain of part 2 is deleted, so that it never fires.
 */
export const main = async (event: BusEvent<unknown>): Promise<{ stopped: string | null }> => {
  const id = requestedId(event.detail);
  if (!id) {
    console.error('Schedule Stop refused: it needs a detail like { "id": "outbreak:every-5" }.');
    return { stopped: null };
  }
  const { Item } = await ddb.send(new GetCommand({ TableName: scheduleTableName(), Key: { id }, ConsistentRead: true }));
  if (Item?.via === 'scheduler') await cancelTicks(Item.token);
  // Deleting a schedule that is not there is fine: stopping twice is stopping.
  await ddb.send(new DeleteCommand({ TableName: scheduleTableName(), Key: { id } }));
  console.log(`schedule ${id} stopped`);
  return { stopped: id };
};
