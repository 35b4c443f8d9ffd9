import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, labTableName } from '../../lib/dynamodb.ts';
import { CultureContaminated } from '../../lib/lab.ts';

export interface CultureInput {
  virusId: string;
  /** How many attempts in a row come out contaminated before one grows: the lab's flakiness, on purpose. */
  contamination?: number;
}

export interface Culture {
  virusId: string;
  grown: true;
  /** Which attempt grew (1 for the first). */
  attempt: number;
}

/**
 * The GrowCulture state: a flaky step, made predictable. It counts its attempts per virus in
 * the lab table and fails the first `contamination` of them, so a Retry has something to do.
 */
export const main = async (input: CultureInput): Promise<Culture> => {
  const { Attributes } = await ddb.send(
    new UpdateCommand({
      TableName: labTableName(),
      Key: { id: `culture:${input.virusId}` },
      // ADD creates the counter at 0 the first time: no read, no race.
      UpdateExpression: 'ADD attempts :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const attempt = Number(Attributes?.attempts ?? 1);
  if (attempt <= (input.contamination ?? 0)) {
    throw new CultureContaminated(`The culture of ${input.virusId} is contaminated (attempt ${attempt}).`);
  }
  return { virusId: input.virusId, grown: true, attempt };
};
