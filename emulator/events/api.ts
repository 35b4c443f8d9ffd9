/**
 * EventBridge's wire API on the gateway: the JSON protocol (`X-Amz-Target: AWSEvents.*`),
 * checked against the caller's role, then handed to the service.
 */
import type { Authorizer } from '../gateway/authorize.ts';
import type { Gateway } from '../gateway/server.ts';
import type { EventBridgeService } from './service.ts';
import type { ApiCatalogue } from '../gateway/api-catalogue.ts';

/** What EventBridgeService.handle dispatches (a test sends each one through the gateway). */
export const eventsApi: ApiCatalogue = {
  service: 'EventBridge',
  protocol: 'JSON 1.1 (X-Amz-Target AWSEvents.*)',
  actions: [
    'CreateEventBus',
    'DeleteEventBus',
    'DeleteRule',
    'DescribeEventBus',
    'DescribeRule',
    'DisableRule',
    'EnableRule',
    'ListEventBuses',
    'ListRules',
    'ListTargetsByRule',
    'PutEvents',
    'PutRule',
    'PutTargets',
    'RemoveTargets',
    'TestEventPattern',
  ],
};

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
