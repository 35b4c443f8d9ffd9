/** Amazon SQS in the local cloud: queues on the virtual clock (service.ts), its JSON API (api.ts), AWS::SQS::* (provisioners.ts). */
export {
  SqsService,
  type SqsDeps,
  type SendInput,
  type ReceiveInput,
  type ReceivedMessage,
} from './service.ts';
export { registerSqsApi, isSqsRequest, sqsApi, type SqsAuthorize } from './api.ts';
export { sqsProviders } from './provisioners.ts';
export type { MessageAttributeValue } from './md5.ts';
