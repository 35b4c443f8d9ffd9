// The custom event bus of the game: our events travel here, apart from AWS's default bus.
export const eventBridgeResources = {
  // TODO 1: declare the bus: a resource `DojoEventBus` of Type 'AWS::Events::EventBus',
  // with the Name 'dojo-serverless-${sls:stage}' (one bus per stage).
};
