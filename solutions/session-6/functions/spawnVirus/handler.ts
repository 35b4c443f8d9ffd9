import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, virusTableName } from '../../lib/dynamodb.ts';
import { json, type HttpResponse } from '../../lib/http.ts';
import { newVirus } from '../../lib/virus.ts';

/** POST /viruses: a new virus appears on the board. */
export const main = async (): Promise<HttpResponse> => {
  const virus = newVirus();
  await ddb.send(new PutCommand({ TableName: virusTableName(), Item: virus }));
  return json(201, virus);
};
