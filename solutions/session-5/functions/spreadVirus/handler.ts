import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridge, eventBusName, virusCreationRequest } from '../../lib/eventbridge.ts';

/** How many viruses each spread asks for. */
export const VIRUSES_PER_SPREAD = 3;

/** Every minute: ask for 3 new viruses, with one PutEvents call to the custom bus. */
export const main = async (): Promise<{ requested: number }> => {
  const busName = eventBusName();
  const entries = Array.from({ length: VIRUSES_PER_SPREAD }, () => virusCreationRequest(busName));
  // One call, up to 10 entries: fewer round trips than one call per event.
  const { FailedEntryCount = 0, Entries = [] } = await eventBridge.send(new PutEventsCommand({ Entries: entries }));
  // PutEvents does not throw when some entries fail: it says so in its answer.
  if (FailedEntryCount > 0) {
    const reasons = Entries.filter((entry) => entry.ErrorCode).map((entry) => `${entry.ErrorCode}: ${entry.ErrorMessage}`);
    throw new Error(`EventBridge refused ${FailedEntryCount} of ${entries.length} events (${reasons.join('; ')})`);
  }
  return { requested: entries.length };
};
