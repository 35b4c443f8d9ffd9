import type { BusEvent } from '../../lib/lambda.ts';
import { requestedId } from '../../lib/schedule.ts';

/** A `Schedule Stop` event: forget the schedule. Its loop finds it gone at its next tick, and ends. */
export const main = async (event: BusEvent<unknown>): Promise<{ stopped: string | null }> => {
  const id = requestedId(event.detail);
  if (!id) {
    console.error('Schedule Stop refused: it needs a detail like { "id": "outbreak:every-5" }.');
    return { stopped: null };
  }
  // TODO 5: delete the schedule `id` from the schedule table (a DeleteCommand through ddb, lib/dynamodb.ts),
  // then answer { stopped: id }.
  return { stopped: null };
};
