import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, virusTableName } from '../../lib/dynamodb.ts';
import type { BusEvent } from '../../lib/lambda.ts';
import { newVirus } from '../../lib/virus.ts';

/** How many viruses an outbreak tick brings. */
export const WAVE_SIZE = 5;

/** A `Schedule Tick` of an outbreak (an id starting with `outbreak:`): a wave of viruses on the board. */
export const main = async (event: BusEvent<{ id?: string }>): Promise<{ spawned: number }> => {
  const viruses = Array.from({ length: WAVE_SIZE }, () => newVirus());
  const table = virusTableName();
  await Promise.all(viruses.map((virus) => ddb.send(new PutCommand({ TableName: table, Item: virus }))));
  console.log(`${event.detail.id ?? 'an outbreak'}: a wave of ${WAVE_SIZE} viruses`);
  return { spawned: viruses.length };
};
