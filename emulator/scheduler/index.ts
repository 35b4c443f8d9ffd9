/** EventBridge Scheduler: the domain (service.ts), its wire API (api.ts), its CloudFormation resources (provisioners.ts). */
export {
  SchedulerService,
  type SchedulerDeps,
  type ScheduleInput,
  type ScheduleView,
  type GroupView,
} from './service.ts';
export { registerSchedulerApi, isSchedulerRequest, schedulerApi, type SchedulerAuthorize } from './api.ts';
export { schedulerProviders } from './provisioners.ts';
export { parseScheduleExpression, nextFiring, type ScheduleExpression } from './expression.ts';
