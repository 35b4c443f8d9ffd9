import type { AWS } from 'osls';
import { dynamodbResources } from './resources/dynamodb.ts';
import { eventBridgeResources } from './resources/eventbridge.ts';
import { schedulerResources } from './resources/scheduler.ts';
import { scheduler } from './state-machines/scheduler.ts';
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
          {
            Effect: 'Allow',
            Action: ['events:PutEvents'],
            Resource: { 'Fn::GetAtt': ['DojoEventBus', 'Arn'] },
          },
          // The statements startSchedule and stopSchedule need go here (see TODO 10 below).
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
    // Schedule Start: checks the request, keeps the schedule, starts its loop (the scheduler state machine).
    startSchedule: {
      handler: 'functions/startSchedule/handler.main',
      // TODO 10: run startSchedule on every 'Schedule Start' event on our bus (an `eventBridge` event with eventBus
      // { Ref: 'DojoEventBus' } and a pattern on the detail-type), with the environment variables SCHEDULE_TABLE_NAME
      // ({ Ref: 'ScheduleTable' }), SCHEDULER_STATE_MACHINE_ARN ({ Ref: 'SchedulerStateMachine' }) and EVENT_BUS_NAME.
      // The same for stopSchedule below, on 'Schedule Stop' events, with SCHEDULE_TABLE_NAME only. And in the
      // role above: dynamodb:PutItem and dynamodb:DeleteItem on { 'Fn::GetAtt': ['ScheduleTable', 'Arn'] }, and
      // states:StartExecution on the scheduler, its ARN written out:
      // { 'Fn::Sub': 'arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:dojo-serverless-${sls:stage}-scheduler' }.
    },
    // Schedule Stop: forgets the schedule; its loop ends at its next tick.
    stopSchedule: {
      handler: 'functions/stopSchedule/handler.main',
      // Its rule and environment: see TODO 10 above.
    },
    // TODO 18: part 2's wiring. A function scheduleNext (functions/scheduleNext/handler.main) on the Schedule Tick
    // events (source 'dojo-serverless') of our bus whose detail has a token (`exists` matching: part 1's ticks
    // have none). startSchedule and scheduleNext get TICK_SCHEDULE_GROUP ({ Ref: 'TickScheduleGroup' }),
    // EVENT_BUS_ARN ({ 'Fn::GetAtt': ['DojoEventBus', 'Arn'] }) and TICK_ROLE_ARN ({ 'Fn::GetAtt':
    // ['TickSchedulerRole', 'Arn'] }); stopSchedule TICK_SCHEDULE_GROUP; scheduleNext SCHEDULE_TABLE_NAME too.
    // In the role: dynamodb:GetItem on ScheduleTable; scheduler:CreateSchedule and scheduler:DeleteSchedule on
    // the schedules of our group, { 'Fn::Sub': 'arn:aws:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/dojo-serverless-${sls:stage}-ticks/*' };
    // scheduler:ListSchedules on '*'; and iam:PassRole on TickSchedulerRole.
    // The NextTime state of the scheduler.
    nextTime: {
      handler: 'functions/nextTime/handler.main',
    },
    // A wave of viruses on every tick of an outbreak.
    spawnWave: {
      handler: 'functions/spawnWave/handler.main',
      environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } },
      // TODO 11: run spawnWave on the Schedule Tick events (source 'dojo-serverless') of our bus whose detail.id
      // starts with 'outbreak:' — and on no other tick.
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
