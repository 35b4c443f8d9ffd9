// The custom event bus of the game: our events travel here, apart from AWS's default bus.
export const eventBridgeResources = {
  DojoEventBus: {
    Type: 'AWS::Events::EventBus',
    Properties: {
      // One bus per stage, so learners sharing an AWS account never trigger each other's rules.
      Name: 'dojo-serverless-${sls:stage}',
    },
  },
};
