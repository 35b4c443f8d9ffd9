/**
 * An error that the gateway sends back in AWS's own shape: the error code as `__type`
 * (JSON protocols) or `Code` (query protocols), the message in AWS's words, and the HTTP
 * status AWS uses for it.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const notFound = (code: string, message: string) => new AwsError(code, message, 400);
export const validation = (message: string) => new AwsError('ValidationException', message, 400);
