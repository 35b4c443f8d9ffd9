import { newVirus, type Virus } from '../../lib/virus.ts';

/** Creates one virus, writes it into the virus table and returns it. */
export const main = async (): Promise<Virus> => {
  const virus = newVirus();
  // TODO 5: write the virus into the table before returning it: send a PutCommand (from '@aws-sdk/lib-dynamodb')
  // through `ddb` (lib/dynamodb.ts), with TableName virusTableName() and Item virus.
  return virus;
};
