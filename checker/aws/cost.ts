/**
 * What an hour of a service costs on AWS, from what it does in that hour (measured on the
 * local cloud, see measure.ts) and list prices. Approximate on purpose: us-east-1 prices
 * (other regions differ by up to about 15 %), no free tier, Lambda durations as measured
 * locally (on AWS, calls to other services take longer), DynamoDB reads of the service
 * itself not counted (the board's are).
 */
export interface Price {
  usd: number;
  /** The unit the price is quoted in, as the pricing page says it: "per 1,000 state transitions". */
  per: string;
  /** How many units the quote covers: 1,000 for "per 1,000". */
  quantum: number;
  source: string;
}

/** List prices in us-east-1 as published by AWS in 2025 (pages checked: see `source`). */
export const PRICES_AS_OF = '2025, us-east-1';

export const PRICES = {
  sfnTransition: {
    usd: 0.025,
    per: '1,000 state transitions',
    quantum: 1000,
    source: 'https://aws.amazon.com/step-functions/pricing/ (Standard workflows)',
  },
  lambdaRequest: {
    usd: 0.2,
    per: '1M requests',
    quantum: 1_000_000,
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  lambdaGbSecond: {
    usd: 0.0000166667,
    per: 'GB-second',
    quantum: 1,
    source: 'https://aws.amazon.com/lambda/pricing/ (x86)',
  },
  eventsCustom: {
    usd: 1.0,
    per: '1M custom events',
    quantum: 1_000_000,
    source: 'https://aws.amazon.com/eventbridge/pricing/ (scheduled events are free)',
  },
  dynamoWrite: {
    usd: 0.625,
    per: '1M write request units',
    quantum: 1_000_000,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  dynamoRead: {
    usd: 0.125,
    per: '1M read request units',
    quantum: 1_000_000,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  httpRequest: {
    usd: 1.0,
    per: '1M requests',
    quantum: 1_000_000,
    source: 'https://aws.amazon.com/api-gateway/pricing/ (HTTP APIs)',
  },
  logsIngested: {
    usd: 0.5,
    per: 'GB ingested',
    quantum: 1024 ** 3,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs, standard)',
  },
} satisfies Record<string, Price>;

/** What a service did, counted the way AWS bills it. */
export interface Usage {
  transitions: number;
  invocations: number;
  gbSeconds: number;
  customEvents: number;
  writeUnits: number;
  readUnits: number;
  httpRequests: number;
  logBytes: number;
}

export const NO_USAGE: Usage = {
  transitions: 0,
  invocations: 0,
  gbSeconds: 0,
  customEvents: 0,
  writeUnits: 0,
  readUnits: 0,
  httpRequests: 0,
  logBytes: 0,
};

export interface CostLine {
  service: string;
  /** "540 state transitions × $0.025 per 1,000 state transitions" */
  arithmetic: string;
  usd: number;
}

export function priceUsage(u: Usage): CostLine[] {
  const line = (service: string, quantity: number, what: string, price: Price): CostLine => ({
    service,
    arithmetic: `${count(quantity)} ${what} × ${unitPrice(price.usd)} per ${price.per}`,
    usd: (quantity / price.quantum) * price.usd,
  });
  const lines = [
    line('Step Functions', u.transitions, 'state transitions', PRICES.sfnTransition),
    line('Lambda requests', u.invocations, 'invocations', PRICES.lambdaRequest),
    line('Lambda compute', u.gbSeconds, 'GB-s', PRICES.lambdaGbSecond),
    line('EventBridge', u.customEvents, 'custom events', PRICES.eventsCustom),
    line('DynamoDB writes', u.writeUnits, 'write units', PRICES.dynamoWrite),
    line('DynamoDB reads', u.readUnits, 'read units', PRICES.dynamoRead),
    line('HTTP API', u.httpRequests, 'requests', PRICES.httpRequest),
    {
      ...line('CloudWatch Logs', u.logBytes / 1024 ** 2, 'MB', PRICES.logsIngested),
      usd: (u.logBytes / PRICES.logsIngested.quantum) * PRICES.logsIngested.usd,
    },
  ];
  return lines.filter((l) => l.usd > 0);
}

export function total(lines: CostLine[]): number {
  return lines.reduce((sum, l) => sum + l.usd, 0);
}

export function addUsage(a: Usage, b: Usage): Usage {
  const out = { ...a };
  for (const k of Object.keys(b) as Array<keyof Usage>) out[k] += b[k];
  return out;
}

/** The lines of a cost table, aligned, each with its arithmetic. */
export function formatCostLines(lines: CostLine[], indent = '  '): string[] {
  const width = Math.max(0, ...lines.map((l) => l.service.length));
  const arith = Math.max(0, ...lines.map((l) => l.arithmetic.length));
  return lines.map(
    (l) => `${indent}${l.service.padEnd(width)}  ${l.arithmetic.padEnd(arith)}  = ${usd(l.usd)}`,
  );
}

/** Dollars with the precision the amount needs: $12.40, $0.32, $0.0135, $0.000047. */
export function usd(amount: number): string {
  if (amount === 0) return '$0';
  if (amount >= 1) return `$${amount.toFixed(2)}`;
  if (amount >= 0.1) return `$${amount.toFixed(3)}`;
  if (amount >= 0.0001) return `$${amount.toFixed(4)}`;
  return `$${amount.toLocaleString('en-US', { maximumSignificantDigits: 2 })}`;
}

/** A price as the pricing pages write it: $0.025, $0.20, $1.00, $0.0000166667. */
export function unitPrice(amount: number): string {
  const text = amount.toLocaleString('en-US', { maximumFractionDigits: 10, useGrouping: false });
  return `$${/\.\d\d/.test(text) ? text : amount.toFixed(2)}`;
}

export function scaleUsage(u: Usage, factor: number): Usage {
  const out = { ...u };
  for (const k of Object.keys(out) as Array<keyof Usage>) out[k] *= factor;
  return out;
}

/** 1800 → "1,800"; 12.345 → "12.3". */
export function count(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n >= 10
    ? n.toLocaleString('en-US', { maximumFractionDigits: 1 })
    : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
