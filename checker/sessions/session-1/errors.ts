/**
 * A function failed: say why in the learner's terms. Sessions 1 to 3 meet the same few
 * failures (a starter placeholder, a missing permission, a missing table name), so they
 * share this; each says which of its TODOs is about what.
 */
export interface LambdaError {
  errorType?: string;
  errorMessage?: string;
}

export interface Explained {
  observed: string;
  hint: string;
  todo?: number;
}

export interface TodoNumbers {
  /** The TODO that gives the function VIRUS_TABLE_NAME, if this session has one. */
  env?: number;
  /** The TODO that writes the role's statements, if this session has one. */
  permission?: number;
}

export function explainFailure(fn: string, error: LambdaError, todos: TodoNumbers): Explained {
  const type = error.errorType ?? 'Error';
  const message = error.errorMessage ?? '';
  const observed = `${fn} failed with ${type}: ${message.length > 500 ? `${message.slice(0, 500)}…` : message}`;
  const placeholder = /\bTODO (\d+)\b/.exec(message);
  if (placeholder)
    return {
      observed,
      hint: `That error is the starter's placeholder: write TODO ${placeholder[1]}.`,
      todo: Number(placeholder[1]),
    };
  const denied = /is not authorized to perform: (\S+) on resource: (\S+)/.exec(message);
  if (type === 'AccessDeniedException' || denied) {
    return {
      observed,
      hint: `${fn}'s role does not allow ${denied?.[1] ?? 'this call'}${denied ? ` on ${denied[2]}` : ''}: allow it on the table's ARN in provider.iam.role.statements. The local cloud checks IAM like AWS does, so this would fail on AWS too.`,
      todo: todos.permission,
    };
  }
  if (/VIRUS_TABLE_NAME is not set/.test(message)) {
    return {
      observed,
      hint: `Give ${fn} environment: { VIRUS_TABLE_NAME: { Ref: 'VirusTable' } } in serverless.ts.`,
      todo: todos.env,
    };
  }
  if (
    type === 'ResourceNotFoundException' ||
    /Requested resource not found|Cannot do operations on a non-existent table/.test(message)
  ) {
    return {
      observed,
      hint: `${fn} writes to a table that does not exist: VIRUS_TABLE_NAME must be { Ref: 'VirusTable' }, the name CloudFormation gave the table.`,
      todo: todos.env,
    };
  }
  if (/Timedout|timed out/i.test(type + message)) {
    return {
      observed,
      hint: 'It ran out of time: is there a promise that never settles, or a wait inside the handler?',
    };
  }
  if (/ImportModuleError|HandlerNotFound|is undefined or not exported/.test(type + message)) {
    return {
      observed,
      hint: `Lambda could not load the handler: check handler: 'functions/${fn}/handler.main' in serverless.ts and that handler.ts exports main.`,
    };
  }
  return { observed, hint: `Read the error above; npm run invoke ${fn} shows the function's logs.` };
}
