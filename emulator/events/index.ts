/** EventBridge in the local cloud: buses, rules, schedules on the virtual clock, its API, AWS::Events::*. */
export {
  EventBridgeService,
  type EventBridgeDeps,
  type PutEventsEntry,
  type PutEventsResult,
  type Target,
} from './service.ts';
export { matchesPattern, parseEventPattern, type EventPattern } from './pattern.ts';
export { nextFireTime, parseScheduleExpression, type Schedule } from './schedule.ts';
export { eventsApi, registerEventsApi } from './api.ts';
export { eventsProviders } from './provisioners.ts';
