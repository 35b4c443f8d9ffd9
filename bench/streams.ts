/**
 * `npm run bench -- --only streams`: what a table's stream costs its writes. A write to a
 * table with a stream reads the item before and after it (to make the stream record's
 * images) and runs one at a time; PutItem per second on a table without a stream is the
 * baseline, measured in the same run against the same cloud.
 */
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalCloud } from '../emulator/index.ts';

export async function benchStreams(report: (name: string, value: string) => void): Promise<void> {
  const cloud = await LocalCloud.start();
  const ddb = new DynamoDBClient(cloud.clientConfig());
  try {
    const putsPerSecond = async (TableName: string, stream: boolean): Promise<number> => {
      await ddb.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          ...(stream
            ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }
            : {}),
        }),
      );
      const n = 2000;
      let i = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (i < n) {
            // Half new items, half overwrites: INSERT and MODIFY records alike.
            const id = `v${i++ % (n / 2)}`;
            await ddb.send(new PutItemCommand({ TableName, Item: { id: { S: id }, n: { N: String(i) } } }));
          }
        }),
      );
      return (n / (performance.now() - t0)) * 1000;
    };
    const plain = await putsPerSecond('bench-plain', false);
    const streamed = await putsPerSecond('bench-streamed', true);
    report('DynamoDB PutItem per second, table without a stream (8 clients)', `${plain.toFixed(0)} /s`);
    report(
      'DynamoDB PutItem per second, table with a NEW_AND_OLD_IMAGES stream',
      `${streamed.toFixed(0)} /s (${((streamed / plain) * 100).toFixed(0)}% of it)`,
    );
  } finally {
    ddb.destroy();
    await cloud.stop();
  }
}
