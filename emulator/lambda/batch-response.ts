/**
 * A batch's partial response (FunctionResponseTypes ReportBatchItemFailures), read the same
 * way for queues and streams (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html):
 * no response, no list or an empty one is a success; a list that is not a list, or an
 * itemIdentifier that is empty, null or not in the batch, fails the whole batch.
 */
export type BatchOutcome = { all: true } | { all: false; failed: string[] };

export function reportedFailures(payload: unknown, ids: readonly string[]): BatchOutcome {
  const list =
    payload && typeof payload === 'object'
      ? (payload as { batchItemFailures?: unknown }).batchItemFailures
      : undefined;
  if (list === undefined || list === null) return { all: false, failed: [] };
  if (!Array.isArray(list)) return { all: true };
  const failed: string[] = [];
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.includes(id)) return { all: true };
    failed.push(id);
  }
  return { all: false, failed };
}
