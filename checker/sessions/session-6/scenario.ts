/**
 * What the session-6 check runs through the virus lab: one execution per case, each with an
 * input chosen so that its path is known in advance. All cases run side by side on the
 * virtual clock; the approvals are answered after `approveAfter`, and the unanswered one
 * times out an hour after it started.
 */
const MINUTE = 60_000;

export interface AnalysisCase {
  key: string;
  input: { virusId: string; sample: string };
  genome: string;
  strength: number;
  branch: 'Quarantine' | 'Treat' | 'Release';
}

// Samples come from the board in any case and with noise: SequenceVirus cleans them.
export const ANALYSES: AnalysisCase[] = [
  {
    key: 'a90',
    input: { virusId: 'lab-a90', sample: 'GGCCGGCCGA' },
    genome: 'GGCCGGCCGA',
    strength: 90,
    branch: 'Quarantine',
  },
  {
    key: 'a70',
    input: { virusId: 'lab-a70', sample: 'gggg-ggg aaa' },
    genome: 'GGGGGGGAAA',
    strength: 70,
    branch: 'Quarantine',
  },
  {
    key: 'a50',
    input: { virusId: 'lab-a50', sample: 'GGCCAATTAG' },
    genome: 'GGCCAATTAG',
    strength: 50,
    branch: 'Treat',
  },
  {
    key: 'a40',
    input: { virusId: 'lab-a40', sample: 'ggggaaaaaa' },
    genome: 'GGGGAAAAAA',
    strength: 40,
    branch: 'Treat',
  },
  {
    key: 'a20',
    input: { virusId: 'lab-a20', sample: 'AT-AT-AT-AT-GC' },
    genome: 'ATATATATGC',
    strength: 20,
    branch: 'Release',
  },
];

export interface CultureCase {
  key: string;
  input: { virusId: string; contamination: number; frozenSample?: boolean };
  attempts: number;
  /** Seconds between a failed attempt and the next. */
  waits: number[];
  /** The states after GrowCulture. */
  then: string[];
  status: 'SUCCEEDED' | 'FAILED';
}

export const CULTURE_ERROR = 'CultureContaminated';
export const FAIL_ERROR = 'Lab.CultureFailed';
/** The Retry asked for: 2 s, then twice as long each time, 3 more attempts. */
export const RETRY = { IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 } as const;
/** How far a retry's wait may be from its due time (the Lambda's own run time is real time). */
export const WAIT_TOLERANCE_MS = 500;

export const CULTURES: CultureCase[] = [
  {
    key: 'c0',
    input: { virusId: 'lab-c0', contamination: 0 },
    attempts: 1,
    waits: [],
    then: ['Incubate', 'CultureReady'],
    status: 'SUCCEEDED',
  },
  {
    key: 'c2',
    input: { virusId: 'lab-c2', contamination: 2 },
    attempts: 3,
    waits: [2, 4],
    then: ['Incubate', 'CultureReady'],
    status: 'SUCCEEDED',
  },
  {
    key: 'c9-frozen',
    input: { virusId: 'lab-c9-frozen', contamination: 9, frozenSample: true },
    attempts: 4,
    waits: [2, 4, 8],
    then: ['HasFrozenSample', 'UseFrozenSample', 'Incubate', 'CultureReady'],
    status: 'SUCCEEDED',
  },
  {
    key: 'c9',
    input: { virusId: 'lab-c9', contamination: 9 },
    attempts: 4,
    waits: [2, 4, 8],
    then: ['HasFrozenSample', 'CultureFailed'],
    status: 'FAILED',
  },
];

export const RESPONSES = [
  { key: 'r1', input: { virusId: 'lab-r1', strength: 85 } },
  { key: 'r2', input: { virusId: 'lab-r2', strength: 95 } },
];

export const WAVE = { key: 'w7', input: { waveId: 'lab-w7', size: 7 }, maxConcurrency: 3 } as const;

export const ALERTS = {
  approved: { key: 'p-approved', input: { virusId: 'lab-p-approved', strength: 92 } },
  rejected: { key: 'p-rejected', input: { virusId: 'lab-p-rejected', strength: 88 } },
  silent: { key: 'p-silent', input: { virusId: 'lab-p-silent', strength: 97 } },
} as const;
/** What the board sends: SendTaskSuccess with this output, or SendTaskFailure with this error. */
export const APPROVAL_OUTPUT = { approved: true };
export const REJECTION = { error: 'Rejected', cause: 'Rejected by the checker' };
/** Between two StartExecution calls. */
export const STAGGER_MS = 3000;

/**
 * The moments that depend on the check's configuration (session.json's check.periods):
 * locally the approvals go out after 10 virtual minutes and the silent alert times out after
 * the hour the learner wrote; on AWS, where minutes are real, after 2 minutes and 300 s (the
 * check deploys AskForApproval with that TimeoutSeconds), within an 8-minute watch.
 */
export interface Scenario {
  /** AskForApproval's TimeoutSeconds as the learner writes it (the local check's). */
  approvalTimeoutS: number;
  /** What the check deploys: the same locally, shorter on AWS. */
  deployedTimeoutS: number;
  approveAfter: number;
  /** The end of the observation: after the unanswered alert timed out. */
  endAfter: number;
}

export function scenarioFor(
  periods: Record<string, number | string>,
  minutes: number,
  local: Record<string, number | string>,
): Scenario {
  const number = (from: Record<string, number | string>, name: string) => {
    const v = from[name];
    if (typeof v !== 'number')
      throw new Error(`sessions/session-6/session.json: check.periods has no number "${name}"`);
    return v;
  };
  return {
    approvalTimeoutS: number(local, 'approvalTimeout'),
    deployedTimeoutS: number(periods, 'approvalTimeout'),
    approveAfter: number(periods, 'approveAfter') * MINUTE,
    endAfter: minutes * MINUTE,
  };
}
