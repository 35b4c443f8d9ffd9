import type { AWS } from 'osls';
import { dynamodbResources } from './resources/dynamodb.ts';
import { eventBridgeResources } from './resources/eventbridge.ts';
import { virusCreation, type StateMachine } from './state-machines/virusCreation.ts';

// osls's types do not know the serverless-step-functions plugin's `stepFunctions` section.
type Config = AWS & { stepFunctions: { validate?: boolean; stateMachines: Record<string, StateMachine> } };

const config: Config = {
  service: 'dojo-serverless',
  plugins: ['serverless-esbuild', 'serverless-step-functions'],
  provider: {
    name: 'aws',
    runtime: 'nodejs22.x',
    region: 'eu-west-1',
    // `npm run check` packages with --stage local; on AWS every learner gets a stage of their own.
    stage: '${opt:stage, "local"}',
    // The board is a web page served from another origin: let browsers call the API (CORS).
    httpApi: {
      cors: true,
    },
    iam: {
      role: {
        // One role for all the functions of the service: allow only what they need, only on our resources.
        statements: [
          {
            Effect: 'Allow',
            Action: ['dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:DeleteItem'],
            Resource: { 'Fn::GetAtt': ['VirusTable', 'Arn'] },
          },
          // TODO 3: let spreadVirus put events on the bus: allow 'events:PutEvents' on the bus's ARN
          // ({ 'Fn::GetAtt': ['DojoEventBus', 'Arn'] }), and nothing more.
        ],
      },
    },
  },
  functions: {
    // Not behind the API: a schedule runs it, until the virusCreation state machine takes over (its CreateVirus state).
    createVirus: {
      handler: 'functions/createVirus/handler.main',
      environment: {
        // CloudFormation's Ref on a table gives its name, known only once the table exists.
        VIRUS_TABLE_NAME: { Ref: 'VirusTable' },
      },
      // TODO 8: remove this schedule: from now on, viruses come only from the state machine.
      events: [{ schedule: 'rate(1 minute)' }],
    },
    listViruses: {
      handler: 'functions/listViruses/handler.main',
      environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } },
      events: [{ httpApi: { method: 'GET', path: '/viruses' } }],
    },
    spawnVirus: {
      handler: 'functions/spawnVirus/handler.main',
      environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } },
      events: [{ httpApi: { method: 'POST', path: '/viruses' } }],
    },
    killVirus: {
      handler: 'functions/killVirus/handler.main',
      environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } },
      // {id} is a path parameter: the handler reads it from event.pathParameters.id.
      events: [{ httpApi: { method: 'DELETE', path: '/viruses/{id}' } }],
    },
    // Every minute, asks for 3 viruses: 3 events on the custom bus.
    spreadVirus: {
      handler: 'functions/spreadVirus/handler.main',
      // TODO 2: run spreadVirus every minute (a schedule event, 'rate(1 minute)'), and give it an `environment`
      // variable EVENT_BUS_NAME set to { Ref: 'DojoEventBus' } (Ref on a bus gives its name).
    },
    // The ChooseWaitTime state of the state machine.
    chooseWaitTime: {
      handler: 'functions/chooseWaitTime/handler.main',
    },
  },
  stepFunctions: {
    // Check the state machines' Amazon States Language when packaging, not when deploying.
    validate: true,
    stateMachines: {
      virusCreation,
    },
  },
  resources: {
    Resources: {
      ...dynamodbResources,
      ...eventBridgeResources,
    },
  },
  custom: {
    esbuild: { bundle: true, minify: false, target: 'node22', platform: 'node', exclude: [] },
  },
};

module.exports = config;
