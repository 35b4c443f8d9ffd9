/** CloudWatch Logs in the local cloud: Lambda's logs, the Logs API, AWS::Logs::LogGroup. */
export { LogsService, MAX_EVENTS_PER_GROUP, lambdaStreamName, type LogsDeps } from './service.ts';
export { registerLogsApi, logsActions, logsApi } from './api.ts';
export { logsProviders } from './provisioners.ts';
