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

/** The lab table's name (`LAB_TABLE_NAME`): the lab's counters. */
export function labTableName(): string {
  const name = process.env.LAB_TABLE_NAME;
  if (!name) throw new Error("LAB_TABLE_NAME is not set: give the function `environment: { LAB_TABLE_NAME: { Ref: 'LabTable' } }` in serverless.ts.");
  return name;
}

/** The approval table's name (`APPROVAL_TABLE_NAME`): task tokens waiting for a decision, by virus id. */
export function approvalTableName(): string {
  const name = process.env.APPROVAL_TABLE_NAME;
  if (!name) throw new Error("APPROVAL_TABLE_NAME is not set: give the function `environment: { APPROVAL_TABLE_NAME: { Ref: 'ApprovalTable' } }` in serverless.ts.");
  return name;
}
