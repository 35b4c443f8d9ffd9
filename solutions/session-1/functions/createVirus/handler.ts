import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, virusTableName } from '../../lib/dynamodb.ts';
import { newVirus, type Virus } from '../../lib/virus.ts';

/** Creates one virus, writes it into the virus table and returns it. */
export const main = async (): Promise<Virus> => {
  const virus = newVirus();
  await ddb.send(new PutCommand({ TableName: virusTableName(), Item: virus }));
  return virus;
};
