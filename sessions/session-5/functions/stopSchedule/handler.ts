import type { BusEvent } from '../../lib/lambda.ts';
import { requestedId } from '../../lib/schedule.ts';

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
  // TODO 16: first read the schedule (a GetCommand, ConsistentRead): if it went via 'scheduler', its pending tick
  // schedule fires whatever the table says: cancelTicks(its token) (lib/scheduler.ts).
  // TODO 5: delete the schedule `id` from the schedule table (a DeleteCommand through ddb, lib/dynamodb.ts),
  // then answer { stopped: id }.
  return { stopped: null };
};
