/**
 * Calls from the board to the local cloud (its `/_dojo/` endpoints and Step Functions) and
 * to the learner's own HTTP API. Every failure becomes a `BoardCallError` whose message a
 * learner can act on.
 */
import { CLOUD_URL } from '../../../../checker/core/defaults.ts';
import type { ClockState, HealthInfo, Speed, StackInfo, Virus } from './types.ts';

export const DEFAULT_CLOUD_URL = CLOUD_URL;

export class BoardCallError extends Error {
  constructor(
    message: string,
    /** True when the browser got no answer at all: not running, or blocked by CORS. */
    readonly unreachable = false,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BoardCallError';
  }
}

/** The cloud to talk to: `?cloud=` in the page's address, or the default port of `npm start`. */
export function cloudUrlFrom(search: string): string {
  const asked = new URLSearchParams(search).get('cloud');
  if (asked && /^https?:\/\/[^\s/]+/i.test(asked)) return asked.replace(/\/+$/, '');
  return DEFAULT_CLOUD_URL;
}

/**
 * The learner's own HTTP API to follow instead of the local cloud: `?api=` in the page's
 * address (npm start -- --aws puts the deployed stack's there), e.g.
 * `?api=https://abc123.execute-api.eu-west-1.amazonaws.com`.
 */
export function apiUrlFrom(search: string): string | undefined {
  const asked = new URLSearchParams(search).get('api');
  return asked && /^https?:\/\/[^\s/]+/i.test(asked) ? asked.replace(/\/+$/, '') : undefined;
}

export class CloudApi {
  constructor(readonly base: string) {}

  health(): Promise<HealthInfo> {
    return this.json<HealthInfo>(`${this.base}/_dojo/health`, { signal: AbortSignal.timeout(2500) });
  }

  clock(): Promise<ClockState> {
    return this.json<ClockState>(`${this.base}/_dojo/clock`);
  }

  setClock(change: { speed?: Speed; advance?: string }): Promise<ClockState> {
    return this.json<ClockState>(`${this.base}/_dojo/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
  }

  stack(): Promise<StackInfo> {
    return this.json<StackInfo>(`${this.base}/_dojo/stack`);
  }

  traceUrl(): string {
    return `${this.base}/_dojo/trace`;
  }

  /** The learner's GET /viruses. */
  async listViruses(apiUrl: string): Promise<Virus[]> {
    const body = await this.json<{ viruses?: unknown }>(`${apiUrl}/viruses`, {}, 'GET /viruses');
    if (!Array.isArray(body.viruses))
      throw new BoardCallError(
        'GET /viruses answered without a "viruses" list: it should answer { "viruses": [ { "id", "createdAt" } ] }.',
      );
    return body.viruses.filter((v): v is Virus => typeof v?.id === 'string');
  }

  /** The learner's POST /viruses: a new virus, as spawnVirus answers it (201 and the virus). */
  async spawnVirus(apiUrl: string): Promise<Virus> {
    const res = await this.call(`${apiUrl}/viruses`, { method: 'POST' }, 'POST /viruses');
    if (res.status !== 201)
      throw new BoardCallError(
        `POST /viruses answered ${res.status}${await messageOf(res)}, not 201 with the new virus. Its logs are in the timeline below.`,
        false,
        res.status,
      );
    const virus = (await res.json().catch(() => undefined)) as Virus | undefined;
    if (typeof virus?.id !== 'string')
      throw new BoardCallError(
        'POST /viruses answered 201 without the virus: it should answer { "id", "createdAt" }.',
      );
    return virus;
  }

  /** The learner's DELETE /viruses/{id}. Resolves when the virus is gone (404 counts: someone was quicker). */
  async killVirus(apiUrl: string, id: string): Promise<void> {
    const res = await this.call(
      `${apiUrl}/viruses/${encodeURIComponent(id)}`,
      { method: 'DELETE' },
      'DELETE /viruses/{id}',
    );
    if (res.ok || res.status === 404) return;
    throw new BoardCallError(
      `DELETE /viruses/{id} answered ${res.status}${await messageOf(res)}. Its logs are in the timeline below.`,
      false,
      res.status,
    );
  }

  sendTaskSuccess(region: string, taskToken: string, output: unknown): Promise<unknown> {
    return this.stepFunctions(region, 'SendTaskSuccess', { taskToken, output: JSON.stringify(output) });
  }

  sendTaskFailure(region: string, taskToken: string, error: string, cause: string): Promise<unknown> {
    return this.stepFunctions(region, 'SendTaskFailure', { taskToken, error, cause });
  }

  /** The AWS JSON protocol, as the SDK speaks it; the local cloud reads but does not verify the signature. */
  private async stepFunctions(region: string, action: string, input: unknown): Promise<unknown> {
    const res = await this.call(
      `${this.base}/`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `AWSStepFunctions.${action}`,
          authorization: `AWS4-HMAC-SHA256 Credential=local/20260101/${region}/states/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body: JSON.stringify(input),
      },
      action,
    );
    if (!res.ok)
      throw new BoardCallError(`${action} failed (${res.status})${await messageOf(res)}`, false, res.status);
    return res.json();
  }

  private async json<T>(url: string, init: RequestInit = {}, what?: string): Promise<T> {
    const res = await this.call(url, init, what);
    if (!res.ok)
      throw new BoardCallError(
        `${what ?? url} answered ${res.status}${await messageOf(res)}`,
        false,
        res.status,
      );
    try {
      return (await res.json()) as T;
    } catch {
      throw new BoardCallError(`${what ?? url} did not answer JSON.`);
    }
  }

  private async call(url: string, init: RequestInit, what?: string): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch {
      // fetch says nothing more on purpose (it could leak other origins): not running, or CORS.
      throw new BoardCallError(`${what ?? url}: no answer from ${new URL(url).origin}.`, true);
    }
  }
}

async function messageOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { message?: unknown; Message?: unknown };
    const message = body.message ?? body.Message;
    return typeof message === 'string' && message ? `: ${message}` : '';
  } catch {
    return '';
  }
}
