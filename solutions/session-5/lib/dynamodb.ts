import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One DynamoDB client for the whole sandbox: created once, when the module loads, and reused
 * by every invocation. The document client turns plain objects into DynamoDB items and back.
 * No region or endpoint here: the Lambda environment provides them.
 */
export const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** The virus table's name, given to the function by serverless.ts (`VIRUS_TABLE_NAME`). */
export function virusTableName(): string {
  const name = process.env.VIRUS_TABLE_NAME;
  if (!name) {
    throw new Error('VIRUS_TABLE_NAME is not set: give the function `environment: { VIRUS_TABLE_NAME: { Ref: \'VirusTable\' } }` in serverless.ts.');
  }
  return name;
}

/** The schedule table's name, given to the function by serverless.ts (`SCHEDULE_TABLE_NAME`). */
export function scheduleTableName(): string {
  const name = process.env.SCHEDULE_TABLE_NAME;
  if (!name) {
    throw new Error('SCHEDULE_TABLE_NAME is not set: give the function `environment: { SCHEDULE_TABLE_NAME: { Ref: \'ScheduleTable\' } }` in serverless.ts.');
  }
  return name;
}
