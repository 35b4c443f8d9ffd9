// The DynamoDB tables: the viruses on the board, and the boards connected over the WebSocket.
export const dynamodbResources = {
  VirusTable: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      // One table per stage, so learners sharing an AWS account never see each other's viruses.
      TableName: '${self:service}-${sls:stage}-viruses',
      // Pay per request: no capacity to plan, nothing to pay while nobody plays.
      BillingMode: 'PAY_PER_REQUEST',
      // Only key attributes are declared; the other attributes (createdAt, ...) need no schema.
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      // TODO 5: (bonus) give the table a stream (StreamSpecification) whose records carry the new
      // item, so that pushVirus sees each new virus with its createdAt.
    },
  },
  // Bonus: who is connected to the WebSocket API right now, one item per connection.
  ConnectionTable: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      TableName: '${self:service}-${sls:stage}-connections',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'connectionId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
    },
  },
};
