import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, virusTableName } from '../../lib/dynamodb.ts';
import { json, type HttpResponse } from '../../lib/http.ts';
import { newestFirst, type Virus } from '../../lib/virus.ts';

/** GET /viruses: every virus on the board, newest first. */
export const main = async (): Promise<HttpResponse> => {
  // A Scan reads the whole table. Fine for a board of a few hundred viruses; a Scan returns
  // at most 1 MB per call (then LastEvaluatedKey says where to go on).
  const { Items = [] } = await ddb.send(new ScanCommand({ TableName: virusTableName() }));
  return json(200, { viruses: newestFirst(Items as Virus[]) });
};
