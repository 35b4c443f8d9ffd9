// EventBridge Scheduler for the second design of the scheduler (part 2): where its one-time
// tick schedules live, and the role Scheduler takes to put each tick on our bus.
export const schedulerResources = {
  // A group of our own: the tick schedules of one stage together, and deleted with the stack.
  TickScheduleGroup: {
    Type: 'AWS::Scheduler::ScheduleGroup',
    Properties: {
      Name: '${self:service}-${sls:stage}-ticks',
    },
  },
  // Scheduler calls the target as this role, not as our functions: it may only put events on our bus.
  TickSchedulerRole: {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Policies: [
        {
          PolicyName: 'put-ticks',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': ['DojoEventBus', 'Arn'] } }],
          },
        },
      ],
    },
  },
};
