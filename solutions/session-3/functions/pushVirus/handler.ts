import { GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../../lib/dynamodb.ts';
import { boardMessage, connections, connectionTableName, type DynamoDBStreamEvent } from '../../lib/websocket.ts';

/** The virus table's stream: each new virus and each kill, pushed to every board that is connected. */
export const main = async (event: DynamoDBStreamEvent): Promise<void> => {
  const messages = event.Records.flatMap((record) => boardMessage(record) ?? []);
  if (messages.length === 0) return;
  const table = connectionTableName();
  const { Items = [] } = await ddb.send(new ScanCommand({ TableName: table }));
  // Every connection, side by side: one slow board must not hold the others up.
  await Promise.all(
    Items.map(async ({ connectionId }) => {
      try {
        for (const message of messages) {
          await connections().send(
            new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) }),
          );
        }
      } catch (error) {
        // $disconnect is best effort: a board that vanished may still be in the table. API
        // Gateway answers 410 Gone for it: forget it. Throwing instead fails the whole batch,
        // which Lambda retries until its records expire, holding up every change behind it.
        if (!(error instanceof GoneException)) throw error;
        await ddb.send(new DeleteCommand({ TableName: table, Key: { connectionId } }));
      }
    }),
  );
};
