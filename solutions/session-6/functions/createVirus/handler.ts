import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, virusTableName } from '../../lib/dynamodb.ts';
import type { LambdaContext } from '../../lib/lambda.ts';
import { newVirus, type Virus } from '../../lib/virus.ts';

/** What the state machine hands createVirus: ChooseWaitTime's output, passed on by WaitXSeconds. */
export interface VirusCreationInput {
  numberOfSeconds?: number;
}

/** The CreateVirus state: a new virus, its id the request id, so a retried invocation writes the same virus. */
export const main = async (event: VirusCreationInput, context: LambdaContext): Promise<Virus> => {
  const virus = newVirus(context.awsRequestId);
  await ddb.send(new PutCommand({ TableName: virusTableName(), Item: virus }));
  console.log('virus created', virus.id, `after waiting ${event.numberOfSeconds ?? '?'} s`);
  return virus;
};
