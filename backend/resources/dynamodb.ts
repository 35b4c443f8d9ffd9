// The DynamoDB table that holds the viruses on the board.
export const dynamodbResources = {
  // TODO 1: declare the virus table: a resource `VirusTable` of Type 'AWS::DynamoDB::Table', named
  // '${self:service}-${sls:stage}-viruses', billed PAY_PER_REQUEST, with a string partition key `id`.
};
