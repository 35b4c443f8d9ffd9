/**
 * The statuses of an execution, as DescribeExecution and ListExecutions say them: a top-level
 * execution's (execution.ts) and a Distributed Map child's (map-runs.ts) alike.
 */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
