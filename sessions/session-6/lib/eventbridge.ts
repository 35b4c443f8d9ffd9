import { EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

/** One EventBridge client for the whole sandbox, created once. The environment gives it its region. */
export const eventBridge = new EventBridgeClient({});

/** Who sends the game's events (the `source` of every event). */
export const EVENT_SOURCE = 'dojo-serverless';

/** "Please create a virus": the `detail-type` the virus-creation state machine listens for. */
export const VIRUS_CREATION_REQUESTED = 'VIRUS_CREATION_REQUESTED';

/** The scheduler's events (their `detail-type`), each with the schedule's `id` in its detail. */
export const SCHEDULE_START = 'Schedule Start';
export const SCHEDULE_STOP = 'Schedule Stop';
export const SCHEDULE_TICK = 'Schedule Tick';
/** Sent instead of starting, when a Schedule Start asks for something we cannot do: `{ id?, reason }`. */
export const SCHEDULE_REJECTED = 'Schedule Rejected';

/** The custom bus's name, given to the function by serverless.ts (`EVENT_BUS_NAME`). */
export function eventBusName(): string {
  const name = process.env.EVENT_BUS_NAME;
  if (!name) {
    throw new Error('EVENT_BUS_NAME is not set: give the function `environment: { EVENT_BUS_NAME: { Ref: \'DojoEventBus\' } }` in serverless.ts.');
  }
  return name;
}

/** One VIRUS_CREATION_REQUESTED event for the bus, ready for PutEvents. */
export function virusCreationRequest(busName: string): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: EVENT_SOURCE,
    DetailType: VIRUS_CREATION_REQUESTED,
    // Detail is a JSON string; nothing to say beyond "please".
    Detail: '{}',
  };
}

/** "No, and here is why": a Schedule Rejected event for a Start we refused. */
export function scheduleRejected(busName: string, id: string | undefined, reason: string): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: EVENT_SOURCE,
    DetailType: SCHEDULE_REJECTED,
    // JSON.stringify leaves out an undefined id: a Start without an id gets a rejection without one.
    Detail: JSON.stringify({ id, reason }),
  };
}
