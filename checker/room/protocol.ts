/**
 * What a learner's checker and the instructor's room say to each other, in one place: the
 * report a check sends (and nothing else: no code, no credentials, no paths), the room's
 * view for the page and for scripts, and the limits both sides keep to.
 */
import { ROOM_PORT } from '../core/defaults.ts';
import { SESSION_IDS } from '../core/repo.ts';

/** `npm run room` listens here unless `--port` says otherwise. */
export const DEFAULT_ROOM_PORT = ROOM_PORT;
/** Minutes on the same failing TODO before the room calls a learner stuck. */
export const DEFAULT_STUCK_MINUTES = 15;

export const ROOM_SESSIONS = SESSION_IDS;
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One check as the room sees it: which, its outcome, its TODO, and for a ✖ the checker's own hint. */
export interface ReportedCheck {
  id: string;
  title: string;
  status: CheckStatus;
  todo?: number;
  /** The checker's hint for a ✖, scrubbed of paths: what the room shows next to the check. */
  hint?: string;
}

/** The body of `POST /api/report`. */
export interface RoomReport {
  session: string;
  ok: boolean;
  target: 'local' | 'aws';
  /** The kit's version (package.json): tells the instructor who runs an old copy. */
  kit: string;
  /** Milliseconds per stage (package, deploy, observe, …). */
  durations: Record<string, number>;
  checks: ReportedCheck[];
}

/** The body of `POST /api/join`. */
export interface JoinRequest {
  code: string;
  name: string;
}

/** What a join answers: the learner's id and the secret that alone may report as them. */
export interface JoinAnswer {
  learner: string;
  secret: string;
  name: string;
}

/** The last check of one learner in one session. */
export interface Cell {
  ok: boolean;
  /** Epoch ms, the room's clock. */
  at: number;
  target: 'local' | 'aws';
  kit: string;
  passed: number;
  total: number;
  failing: Array<{ id: string; title: string; todo?: number; hint?: string }>;
  durationMs: number;
  checks: number;
}

export interface LearnerView {
  id: string;
  name: string;
  joinedAt: number;
  lastAt?: number;
  /** The session of the last check. */
  current?: string;
  cells: Record<string, Cell>;
  /** Set once the same check has been the first ✖ for stuckMinutes or more. */
  stuck?: Focus;
}

/** The first ✖ of a learner's last check, and since when it has been the first. */
export interface Focus {
  session: string;
  todo?: number;
  title: string;
  since: number;
}

export interface FailingCheck {
  session: string;
  id: string;
  title: string;
  todo?: number;
  hint?: string;
  /** How many learners' last check of that session fails it. */
  count: number;
  names: string[];
}

/** `GET /api/progress`. */
export interface RoomView {
  now: number;
  startedAt: number;
  stuckMinutes: number;
  sessions: readonly string[];
  learners: LearnerView[];
  failingMost: FailingCheck[];
}

/** Sizes the room accepts: anything bigger is refused, not truncated silently. */
export const LIMITS = {
  nameChars: 40,
  idChars: 80,
  titleChars: 200,
  hintChars: 300,
  kitChars: 32,
  checks: 100,
  durations: 12,
  /** Bytes of a request body. */
  body: 16 * 1024,
  learners: 500,
} as const;
