// EventBridge Scheduler for the second design of the scheduler (part 2): where its one-time
// tick schedules live, and the role Scheduler takes to put each tick on our bus.
export const schedulerResources = {
  // TODO 17: TickScheduleGroup, an AWS::Scheduler::ScheduleGroup named '${self:service}-${sls:stage}-ticks';
  // and TickSchedulerRole, an AWS::IAM::Role that scheduler.amazonaws.com may assume (sts:AssumeRole), with one
  // policy: events:PutEvents on our bus ({ 'Fn::GetAtt': ['DojoEventBus', 'Arn'] }), and nothing else.
};
