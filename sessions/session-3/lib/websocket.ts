import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';

/**
 * The bonus part (TODOs 4 to 6): what API Gateway sends the WebSocket routes, what a DynamoDB
 * stream hands a function, and what the board receives. Just enough of AWS's shapes for our
 * handlers (the full ones live in @types/aws-lambda).
 */

/** What API Gateway sends `$connect` and `$disconnect`: the request context says which connection. */
export interface WebSocketEvent {
  requestContext: {
    /** AWS's id of the connection, like `L0SM9cOFvHcCIhw=`: the address PostToConnection needs. */
    connectionId: string;
    routeKey: string; // '$connect', '$disconnect', ...
    eventType?: 'CONNECT' | 'DISCONNECT' | 'MESSAGE';
    /** Epoch ms. */
    connectedAt?: number;
  };
}

/** What a `$connect` or `$disconnect` integration answers; a non-2xx `$connect` refuses the client. */
export interface WebSocketResponse {
  statusCode: number;
}

/** An attribute as a stream record carries it: typed, like `{ S: 'text' }` or `{ N: '42' }`. */
export type AttributeValue = { S?: string; N?: string; BOOL?: boolean; NULL?: boolean };

/** One change of the virus table, as its stream hands it to a function. */
export interface StreamRecord {
  eventID?: string;
  /** INSERT: a new item; MODIFY: an item changed; REMOVE: an item deleted. */
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb: {
    /** The item's key, in every record whatever the view type. */
    Keys: Record<string, AttributeValue>;
    /** The item after the change (INSERT, MODIFY) when the view type is NEW_IMAGE or NEW_AND_OLD_IMAGES. */
    NewImage?: Record<string, AttributeValue>;
    /** The item before the change (MODIFY, REMOVE) when the view type is OLD_IMAGE or NEW_AND_OLD_IMAGES. */
    OldImage?: Record<string, AttributeValue>;
    SequenceNumber?: string;
    StreamViewType?: string;
  };
}

/** What Lambda invokes a function with for a `stream` event: a batch of records, oldest first. */
export interface DynamoDBStreamEvent {
  Records: StreamRecord[];
}

/**
 * What the board receives over the WebSocket for each change of the virus table, named after
 * the stream's own eventName: `{ "type": "INSERT", "virus": { "id", "createdAt" } }` when a
 * virus appears, `{ "type": "REMOVE", "virus": { "id" } }` when one is killed.
 */
export interface BoardMessage {
  type: 'INSERT' | 'REMOVE';
  virus: { id: string; createdAt?: string };
}

/** The board's message for a stream record; undefined for a change the board does not show (MODIFY). */
export function boardMessage(record: StreamRecord): BoardMessage | undefined {
  const id = record.dynamodb.Keys.id?.S;
  if (!id) return undefined;
  if (record.eventName === 'INSERT') {
    const createdAt = record.dynamodb.NewImage?.createdAt?.S;
    return { type: 'INSERT', virus: createdAt ? { id, createdAt } : { id } };
  }
  if (record.eventName === 'REMOVE') return { type: 'REMOVE', virus: { id } };
  return undefined;
}

/** The connection table's name, given to the function by serverless.ts (`CONNECTION_TABLE_NAME`). */
export function connectionTableName(): string {
  const name = process.env.CONNECTION_TABLE_NAME;
  if (!name) {
    throw new Error("CONNECTION_TABLE_NAME is not set: give the function `environment: { CONNECTION_TABLE_NAME: { Ref: 'ConnectionTable' } }` in serverless.ts.");
  }
  return name;
}

let client: ApiGatewayManagementApiClient | undefined;

/**
 * The `@connections` API of our WebSocket API, one client for the sandbox. Its endpoint is the
 * API's https address with the stage, `https://{api}.execute-api.{region}.amazonaws.com/{stage}`:
 * serverless.ts gives it as WEBSOCKET_ENDPOINT.
 */
export function connections(): ApiGatewayManagementApiClient {
  const endpoint = process.env.WEBSOCKET_ENDPOINT;
  if (!endpoint) {
    throw new Error('WEBSOCKET_ENDPOINT is not set: give pushVirus the WebSocket API\'s https address with the stage in serverless.ts (see TODO 5).');
  }
  client ??= new ApiGatewayManagementApiClient({ endpoint });
  return client;
}
