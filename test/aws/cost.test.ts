import { describe, expect, it } from 'vitest';
import { formatCostLines, NO_USAGE, priceUsage, total, unitPrice, usd } from '../../checker/aws/cost.ts';
import { formatEstimate, priceMeasurement } from '../../checker/aws/estimate.ts';
import { measureHour, usageOf } from '../../checker/aws/measure.ts';
import type { TraceEntry } from '../../emulator/core/trace.ts';

describe('the cost model', () => {
  it('prices usage at list prices, with its arithmetic', () => {
    const lines = priceUsage({
      ...NO_USAGE,
      transitions: 540,
      invocations: 420,
      gbSeconds: 21,
      customEvents: 180,
      writeUnits: 180,
      httpRequests: 1800,
      logBytes: 1024 ** 2,
    });
    const by = Object.fromEntries(lines.map((l) => [l.service, l]));
    expect(by['Step Functions'].arithmetic).toBe(
      '540 state transitions × $0.025 per 1,000 state transitions',
    );
    expect(by['Step Functions'].usd).toBeCloseTo(0.0135, 12);
    expect(by['Lambda requests'].usd).toBeCloseTo(0.000084, 9);
    expect(by['Lambda compute'].usd).toBeCloseTo(21 * 0.0000166667, 12);
    expect(by['EventBridge'].usd).toBeCloseTo(0.00018, 9);
    expect(by['DynamoDB writes'].usd).toBeCloseTo(0.0001125, 9);
    expect(by['HTTP API'].usd).toBeCloseTo(0.0018, 9);
    expect(by['CloudWatch Logs']).toMatchObject({ arithmetic: '1 MB × $0.50 per GB ingested' });
    expect(by['CloudWatch Logs'].usd).toBeCloseTo(0.5 / 1024, 9);
    // What is not used is not listed.
    expect(by['DynamoDB reads']).toBeUndefined();
    expect(total(lines)).toBeCloseTo(
      0.0135 + 0.000084 + 21 * 0.0000166667 + 0.00018 + 0.0001125 + 0.0018 + 0.5 / 1024,
      9,
    );
    expect(formatCostLines(lines)[0]).toBe(
      '  Step Functions   540 state transitions × $0.025 per 1,000 state transitions  = $0.0135',
    );
  });

  it('writes dollars the way people read them', () => {
    expect([usd(0), usd(12.4), usd(0.32), usd(0.0135), usd(0.0000468)]).toEqual([
      '$0',
      '$12.40',
      '$0.320',
      '$0.0135',
      '$0.000047',
    ]);
    expect([unitPrice(0.025), unitPrice(0.2), unitPrice(1), unitPrice(0.0000166667)]).toEqual([
      '$0.025',
      '$0.20',
      '$1.00',
      '$0.0000166667',
    ]);
  });

  it('counts a trace the way AWS bills it', () => {
    const entries = [
      { kind: 'sfn.state.enter' },
      { kind: 'invoke.end', function: 'svc-local-a', durationMs: 2.2 },
      { kind: 'log', message: 'hello' },
      { kind: 'events.put' },
      { kind: 'dynamodb.write' },
      { kind: 'http.request' },
      { kind: 'rule.match' },
    ].map((e, i) => ({ seq: i, time: 0, ...e })) as TraceEntry[];
    const u = usageOf(entries, new Map([['svc-local-a', 1024]]));
    // 2.2 ms is billed as 3 ms, at 1 GB.
    expect(u).toEqual({
      transitions: 1,
      invocations: 1,
      gbSeconds: 0.003,
      customEvents: 1,
      writeUnits: 1,
      readUnits: 0,
      httpRequests: 1,
      logBytes: 320 + 60 + 5,
    });
  });

  it(
    'measures an hour of session 4 on the local cloud: 180 executions, 3 transitions each',
    { timeout: 120_000 },
    async () => {
      const m = await measureHour('solutions/session-4');
      expect(m.details.executions).toBe(180);
      expect(m.details.invocationsByFunction).toMatchObject({ spreadVirus: 60, chooseWaitTime: 180 });
      // The executions started in the last minute are still waiting when the hour ends.
      expect(m.alone.transitions).toBeGreaterThanOrEqual(530);
      expect(m.alone.transitions).toBeLessThanOrEqual(540);
      expect(m.alone.customEvents).toBe(180);
      expect(m.alone.httpRequests).toBe(0);
      expect(m.boardPoll).toMatchObject({ httpRequests: 1, invocations: 1 });

      const e = priceMeasurement(m);
      // Step Functions dominates: about 1.3 of the 1.4 cents.
      expect(e.aloneUsd).toBeGreaterThan(0.013);
      expect(e.aloneUsd).toBeLessThan(0.016);
      expect(e.board!.polls).toBe(1800);
      const text = formatEstimate(e).join('\n');
      expect(text).toContain(
        'Measured: 60 virtual minutes of the service on the local cloud: 180 Step Functions executions; invocations: spreadVirus 60, chooseWaitTime 180',
      );
      expect(text).toMatch(
        /Step Functions +5[34]\d state transitions × \$0\.025 per 1,000 state transitions += \$0\.013\d/,
      );
      expect(text).toMatch(/HTTP API +1,800 requests × \$1\.00 per 1M requests += \$0\.0018/);
      expect(text).toMatch(/by itself +≈ \$0\.01\d\d an hour, \$0\.3\d+ a day/);
    },
  );
});
