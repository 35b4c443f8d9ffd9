/**
 * The cost of an hour of a service on AWS, measured on the local cloud and priced, with
 * the arithmetic printed so that anybody can follow it (and see what dominates).
 */
import {
  count,
  formatCostLines,
  priceUsage,
  PRICES_AS_OF,
  scaleUsage,
  total,
  usd,
  type CostLine,
} from './cost.ts';
import { BOARD_POLL_MS, BOARD_ROUTE, HOUR_MS, measureHour, type HourMeasurement } from './measure.ts';

export interface HourEstimate {
  measurement: HourMeasurement;
  alone: CostLine[];
  /** Per hour, the service alone. */
  aloneUsd: number;
  /** Per hour, what an open board adds (undefined when the service has no board route). */
  board?: { polls: number; lines: CostLine[]; usd: number };
}

export async function estimateHour(dir: string): Promise<HourEstimate> {
  const measurement = await measureHour(dir);
  return priceMeasurement(measurement);
}

export function priceMeasurement(measurement: HourMeasurement): HourEstimate {
  const alone = priceUsage(measurement.alone);
  const polls = HOUR_MS / BOARD_POLL_MS;
  const boardLines = measurement.boardPoll ? priceUsage(scaleUsage(measurement.boardPoll, polls)) : undefined;
  return {
    measurement,
    alone,
    aloneUsd: total(alone),
    board: boardLines ? { polls, lines: boardLines, usd: total(boardLines) } : undefined,
  };
}

export function formatEstimate(e: HourEstimate, indent = '  '): string[] {
  const d = e.measurement.details;
  const ran = Object.entries(d.invocationsByFunction)
    .map(([fn, n]) => `${fn} ${count(n)}`)
    .join(', ');
  const parts = [
    d.executions ? `${count(d.executions)} Step Functions executions` : '',
    ran ? `invocations: ${ran}` : '',
  ].filter(Boolean);
  const out = [
    `${indent}Measured: 60 virtual minutes of the service on the local cloud: ${parts.join('; ') || 'nothing ran by itself'}.`,
    `${indent}Priced at AWS list prices (${PRICES_AS_OF}; approximate: other regions differ a little, free tier not counted):`,
    ...formatCostLines(e.alone, `${indent}  `),
    `${indent}  ${'by itself'.padEnd(16)} ≈ ${usd(e.aloneUsd)} an hour, ${usd(e.aloneUsd * 24)} a day`,
  ];
  if (e.board) {
    out.push(
      `${indent}With the board open (${BOARD_ROUTE} every ${BOARD_POLL_MS / 1000} s: ${count(e.board.polls)} polls an hour), add:`,
    );
    out.push(...formatCostLines(e.board.lines, `${indent}  `));
    out.push(`${indent}  ${'board open'.padEnd(16)} ≈ +${usd(e.board.usd)} an hour`);
  }
  const all = e.aloneUsd + (e.board?.usd ?? 0);
  out.push(`${indent}Total ≈ ${usd(all)} an hour${e.board ? ' with the board open' : ''}.`);
  return out;
}
