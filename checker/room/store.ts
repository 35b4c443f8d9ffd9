/**
 * The room's state: who joined, the last check of each learner in each session, and what
 * follows from it (who is stuck, which checks fail most). No HTTP here; the server feeds it
 * and serves its view. A learner is known by a secret issued at join and kept only as a
 * hash: a report names no learner, so nobody can write into someone else's row.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import {
  LIMITS,
  ROOM_SESSIONS,
  type Cell,
  type FailingCheck,
  type Focus,
  type JoinAnswer,
  type LearnerView,
  type RoomReport,
  type RoomView,
} from './protocol.ts';

export class RoomFullError extends Error {
  name = 'RoomFullError';
}

interface Learner {
  id: string;
  name: string;
  secretHash: string;
  joinedAt: number;
  lastAt?: number;
  current?: string;
  cells: Record<string, Cell>;
  /** Per session: its first ✖ and since when (a learner may go back to an earlier session and return). */
  focus: Record<string, Focus>;
}

/** What a restart reads back: the same code and token, so nobody joins again. */
export interface StoredRoom {
  version: 1;
  code: string;
  token: string;
  startedAt: number;
  learners: Learner[];
}

export interface RoomStoreOptions {
  stuckMinutes: number;
  now?: () => number;
  /** A room saved earlier (same code, token and learners). */
  restore?: StoredRoom;
  /** Called after every change, for saving. */
  onChange?: () => void;
}

/** Readable on a projector and easy to type: no 0/O, 1/I/L. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const FAILING_MOST = 8;

export class RoomStore {
  readonly code: string;
  readonly token: string;
  readonly startedAt: number;
  private readonly learners = new Map<string, Learner>();
  private readonly bySecret = new Map<string, Learner>();
  private readonly now: () => number;

  constructor(private readonly options: RoomStoreOptions) {
    this.now = options.now ?? Date.now;
    const r = options.restore;
    this.code = r?.code ?? newCode();
    this.token = r?.token ?? randomBytes(18).toString('base64url');
    this.startedAt = r?.startedAt ?? this.now();
    for (const l of r?.learners ?? []) {
      this.learners.set(l.id, l);
      this.bySecret.set(l.secretHash, l);
    }
  }

  get stuckMinutes(): number {
    return this.options.stuckMinutes;
  }

  get size(): number {
    return this.learners.size;
  }

  isCode(code: string): boolean {
    return sameText(code.trim().toUpperCase(), this.code);
  }

  isToken(token: string | undefined): boolean {
    return token !== undefined && sameText(token, this.token);
  }

  join(name: string): JoinAnswer {
    if (this.learners.size >= LIMITS.learners)
      throw new RoomFullError(`The room is full (${LIMITS.learners} learners).`);
    let id: string;
    do id = `l-${randomBytes(4).toString('hex')}`;
    while (this.learners.has(id));
    const secret = randomBytes(24).toString('base64url');
    const learner: Learner = {
      id,
      name,
      secretHash: hash(secret),
      joinedAt: this.now(),
      cells: {},
      focus: {},
    };
    this.learners.set(id, learner);
    this.bySecret.set(learner.secretHash, learner);
    this.options.onChange?.();
    return { learner: id, secret, name };
  }

  /** The learner this secret was issued to (the lookup is by hash: no timing on the secret itself). */
  learnerOf(secret: string | undefined): string | undefined {
    return secret ? this.bySecret.get(hash(secret))?.id : undefined;
  }

  leave(learnerId: string): void {
    const l = this.learners.get(learnerId);
    if (!l) return;
    this.learners.delete(learnerId);
    this.bySecret.delete(l.secretHash);
    this.options.onChange?.();
  }

  report(learnerId: string, report: RoomReport): void {
    const l = this.learners.get(learnerId);
    if (!l) return;
    const at = this.now();
    const failing = report.checks.filter((c) => c.status === 'fail');
    l.cells[report.session] = {
      ok: report.ok,
      at,
      target: report.target,
      kit: report.kit,
      passed: report.checks.filter((c) => c.status === 'pass').length,
      total: report.checks.length,
      failing: failing.map((c) => ({ id: c.id, title: c.title, todo: c.todo, hint: c.hint })),
      durationMs: Object.values(report.durations).reduce((a, b) => a + b, 0),
      checks: (l.cells[report.session]?.checks ?? 0) + 1,
    };
    l.lastAt = at;
    l.current = report.session;
    const focus = nextFocus(l.focus[report.session], report, failing, at);
    if (focus) l.focus[report.session] = focus;
    else delete l.focus[report.session];
    this.options.onChange?.();
  }

  view(): RoomView {
    const now = this.now();
    const stuckMs = this.options.stuckMinutes * 60_000;
    const learners: LearnerView[] = [...this.learners.values()]
      .sort(
        (a, b) =>
          a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) ||
          a.joinedAt - b.joinedAt ||
          a.id.localeCompare(b.id),
      )
      .map((l) => ({
        id: l.id,
        name: l.name,
        joinedAt: l.joinedAt,
        lastAt: l.lastAt,
        current: l.current,
        cells: l.cells,
        stuck: stuckOn(l, now, stuckMs),
      }));
    return {
      now,
      startedAt: this.startedAt,
      stuckMinutes: this.options.stuckMinutes,
      sessions: ROOM_SESSIONS,
      learners,
      failingMost: failingMost(learners),
    };
  }

  stored(): StoredRoom {
    return {
      version: 1,
      code: this.code,
      token: this.token,
      startedAt: this.startedAt,
      learners: [...this.learners.values()],
    };
  }
}

/** Stuck counts in the session the learner works on now: the one they checked last. */
function stuckOn(l: Learner, now: number, stuckMs: number): Focus | undefined {
  const focus = l.current ? l.focus[l.current] : undefined;
  return focus && now - focus.since >= stuckMs ? focus : undefined;
}

/** The first ✖ (lowest TODO first) stays the focus while it stays first; anything else starts the clock again. */
function nextFocus(
  previous: Focus | undefined,
  report: RoomReport,
  failing: RoomReport['checks'],
  at: number,
): Focus | undefined {
  if (report.ok || failing.length === 0) return undefined;
  const first = [...failing].sort((a, b) => (a.todo ?? Infinity) - (b.todo ?? Infinity))[0];
  const same =
    previous &&
    previous.session === report.session &&
    (first.todo !== undefined ? previous.todo === first.todo : previous.title === first.title);
  return { session: report.session, todo: first.todo, title: first.title, since: same ? previous.since : at };
}

function failingMost(learners: LearnerView[]): FailingCheck[] {
  const all = new Map<string, FailingCheck>();
  for (const l of learners) {
    for (const [session, cell] of Object.entries(l.cells)) {
      for (const f of cell.failing) {
        const key = `${session}\u0000${f.id}`;
        let entry = all.get(key);
        if (!entry)
          all.set(
            key,
            (entry = { session, id: f.id, title: f.title, todo: f.todo, hint: f.hint, count: 0, names: [] }),
          );
        entry.count++;
        entry.names.push(l.name);
        // The freshest wording wins: the same check may say more in a newer kit.
        entry.hint = f.hint ?? entry.hint;
      }
    }
  }
  return [...all.values()]
    .sort(
      (a, b) =>
        b.count - a.count ||
        a.session.localeCompare(b.session) ||
        (a.todo ?? 99) - (b.todo ?? 99) ||
        a.id.localeCompare(b.id),
    )
    .slice(0, FAILING_MOST);
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

function hash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Equal texts, compared in constant time (their hashes have the same length whatever the input). */
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
