/**
 * EventBridge's wire API on the gateway: the JSON protocol (`X-Amz-Target: AWSEvents.*`),
 * checked against the caller's role, then handed to the service.
 */
import type { Authorizer } from '../gateway/authorize.ts';
import type { Gateway } from '../gateway/server.ts';
import type { EventBridgeService } from './service.ts';

export function registerEventsApi(
  gateway: Gateway,
  events: EventBridgeService,
  authorizer: Authorizer,
): void {
  // No gateway hold for these: the invocation holds the clock itself, and lets it go while
  // the handler only waits for virtual timers (a Lambda sleeping 10 virtual minutes).
  gateway.jsonService('AWSEvents', (action, input, req) => {
    authorizer.authorize(req, 'events', action, input);
    return events.handle(action, input, { cause: req.caller?.invokeSeq, caller: req.caller?.functionName });
  });
}
