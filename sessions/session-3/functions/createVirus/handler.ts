import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, virusTableName } from '../../lib/dynamodb.ts';
import type { LambdaContext, ScheduledEvent } from '../../lib/lambda.ts';
import { newVirus, type Virus } from '../../lib/virus.ts';

/** Every minute, a new virus. */
export const main = async (event: ScheduledEvent, context: LambdaContext): Promise<Virus> => {
  // TODO 2: give the virus this invocation's request id as its id: newVirus(context.awsRequestId).
  const virus = newVirus();
  await ddb.send(new PutCommand({ TableName: virusTableName(), Item: virus }));
  console.log('virus created', virus.id, 'by request', context.awsRequestId, 'at', event.time);
  return virus;
};
