import { boardMessage, type DynamoDBStreamEvent } from '../../lib/websocket.ts';

/** The virus table's stream: each new virus and each kill, pushed to every board that is connected. */
export const main = async (event: DynamoDBStreamEvent): Promise<void> => {
  const messages = event.Records.flatMap((record) => boardMessage(record) ?? []);
  if (messages.length === 0) return;
  // TODO 6: (bonus) Scan the connection table, and post each message (JSON.stringify) to every
  // connection with connections().send(new PostToConnectionCommand(...)). A connection that is
  // gone answers GoneException: delete it from the table, and go on with the others.
  console.log('to push', messages);
};
