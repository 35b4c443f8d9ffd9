import type { AWS } from 'osls';
import { dynamodbResources } from './resources/dynamodb.ts';
import { eventBridgeResources } from './resources/eventbridge.ts';
import { schedulerResources } from './resources/scheduler.ts';
import { scheduler } from './state-machines/scheduler.ts';
import { virusCreation, type StateMachine } from './state-machines/virusCreation.ts';

// osls's types do not know the serverless-step-functions plugin's `stepFunctions` section.
type Config = AWS & { stepFunctions: { validate?: boolean; stateMachines: Record<string, StateMachine> } };

// What a function that creates tick schedules needs to know (lib/scheduler.ts).
const tickEnvironment = {
  TICK_SCHEDULE_GROUP: { Ref: 'TickScheduleGroup' },
  // A schedule's target is an ARN; Fn::GetAtt on a bus gives it (Ref gives its name).
  EVENT_BUS_ARN: { 'Fn::GetAtt': ['DojoEventBus', 'Arn'] },
  TICK_ROLE_ARN: { 'Fn::GetAtt': ['TickSchedulerRole', 'Arn'] },
};

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
          {
            Effect: 'Allow',
            Action: ['events:PutEvents'],
            Resource: { 'Fn::GetAtt': ['DojoEventBus', 'Arn'] },
          },
          {
            Effect: 'Allow',
            Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem'],
            Resource: { 'Fn::GetAtt': ['ScheduleTable', 'Arn'] },
          },
          {
            Effect: 'Allow',
            Action: ['states:StartExecution'],
            // The ARN written out, not { Ref: 'SchedulerStateMachine' }: the state machine refers to
            // nextTime, whose role is this one, and a role that referred back would be a circle.
            Resource: { 'Fn::Sub': 'arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:dojo-serverless-${sls:stage}-scheduler' },
          },
          {
            Effect: 'Allow',
            Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
            // Schedules are arn:...:schedule/GROUP/NAME: only those of our group.
            Resource: { 'Fn::Sub': 'arn:aws:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/dojo-serverless-${sls:stage}-ticks/*' },
          },
          {
            Effect: 'Allow',
            // ListSchedules names no resource: AWS takes it on "*" only.
            Action: ['scheduler:ListSchedules'],
            Resource: '*',
          },
          {
            Effect: 'Allow',
            // CreateSchedule hands TickSchedulerRole to Scheduler: our functions may pass that role, no other.
            Action: ['iam:PassRole'],
            Resource: { 'Fn::GetAtt': ['TickSchedulerRole', 'Arn'] },
          },
        ],
      },
    },
  },
  functions: {
    // Not behind the API: the virusCreation state machine runs it (its CreateVirus state).
    createVirus: {
      handler: 'functions/createVirus/handler.main',
      environment: {
        // CloudFormation's Ref on a table gives its name, known only once the table exists.
        VIRUS_TABLE_NAME: { Ref: 'VirusTable' },
      },
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
      environment: {
        // Ref on an event bus gives its name.
        EVENT_BUS_NAME: { Ref: 'DojoEventBus' },
      },
      events: [{ schedule: 'rate(1 minute)' }],
    },
    // The ChooseWaitTime state of the state machine.
    chooseWaitTime: {
      handler: 'functions/chooseWaitTime/handler.main',
    },
    // Schedule Start: checks the request, keeps the schedule, starts its loop (the scheduler state
    // machine) or its first tick schedule (via: 'scheduler').
    startSchedule: {
      handler: 'functions/startSchedule/handler.main',
      environment: {
        SCHEDULE_TABLE_NAME: { Ref: 'ScheduleTable' },
        // Ref on a state machine gives its ARN.
        SCHEDULER_STATE_MACHINE_ARN: { Ref: 'SchedulerStateMachine' },
        EVENT_BUS_NAME: { Ref: 'DojoEventBus' },
        ...tickEnvironment,
      },
      events: [{ eventBridge: { eventBus: { Ref: 'DojoEventBus' }, pattern: { 'detail-type': ['Schedule Start'] } } }],
    },
    // Schedule Stop: forgets the schedule; its loop ends at its next tick, its pending tick schedule is deleted.
    stopSchedule: {
      handler: 'functions/stopSchedule/handler.main',
      environment: { SCHEDULE_TABLE_NAME: { Ref: 'ScheduleTable' }, TICK_SCHEDULE_GROUP: { Ref: 'TickScheduleGroup' } },
      events: [{ eventBridge: { eventBus: { Ref: 'DojoEventBus' }, pattern: { 'detail-type': ['Schedule Stop'] } } }],
    },
    // On each tick of a chain of one-time schedules: creates the schedule of the tick after.
    scheduleNext: {
      handler: 'functions/scheduleNext/handler.main',
      environment: { SCHEDULE_TABLE_NAME: { Ref: 'ScheduleTable' }, ...tickEnvironment },
      events: [
        {
          eventBridge: {
            eventBus: { Ref: 'DojoEventBus' },
            // Only the ticks of part 2 carry a token: those of the state machine are { id } alone.
            pattern: { source: ['dojo-serverless'], 'detail-type': ['Schedule Tick'], detail: { token: [{ exists: true }] } },
          },
        },
      ],
    },
    // The NextTime state of the scheduler.
    nextTime: {
      handler: 'functions/nextTime/handler.main',
    },
    // A wave of viruses on every tick of an outbreak.
    spawnWave: {
      handler: 'functions/spawnWave/handler.main',
      environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } },
      events: [
        {
          eventBridge: {
            eventBus: { Ref: 'DojoEventBus' },
            pattern: {
              source: ['dojo-serverless'],
              'detail-type': ['Schedule Tick'],
              // Prefix matching: outbreak:every-5, outbreak:boss... but not test:duration-5m.
              detail: { id: [{ prefix: 'outbreak:' }] },
            },
          },
        },
      ],
    },
  },
  stepFunctions: {
    // Check the state machines' Amazon States Language when packaging, not when deploying.
    validate: true,
    stateMachines: {
      virusCreation,
      scheduler,
    },
  },
  resources: {
    Resources: {
      ...dynamodbResources,
      ...eventBridgeResources,
      ...schedulerResources,
    },
  },
  custom: {
    esbuild: { bundle: true, minify: false, target: 'node22', platform: 'node', exclude: [] },
  },
};

module.exports = config;
