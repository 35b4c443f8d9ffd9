/**
 * Build-time data for the session pages (`<SessionGuide id="session-N" />`).
 *
 * For each session it reads `sessions/session-N/session.json` (through `checker/core/course.ts`, the
 * parser the CLI shares), renders its markdown with VitePress's own markdown-it (Shiki,
 * containers, links), and diffs `sessions/session-N/` against `solutions/session-N/`.
 *
 * - session.json missing: the page says the session is being written (the build passes);
 * - session.json malformed: the build fails with every problem found;
 * - a link in session.json's markdown to a page of the guide that does not exist fails the
 *   build, like a dead link in a page does.
 *
 * `DOJO_SESSIONS_ROOT=docs/.vitepress/fixtures npx vitepress build docs` builds the guide from
 * the fixture instead of the repository's sessions (see fixtures/verify.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMarkdownRenderer, defineLoader, type SiteConfig } from 'vitepress';
import { CONCEPT_PAGES } from './curriculum.ts';
import {
  awsCheckLines,
  diffSession,
  listSessions,
  loadSession,
  type FileDiff,
  type SessionSpec,
} from '../../checker/core/course.ts';

export interface SessionTodoView {
  n: number;
  /** Path the learner edits, e.g. `backend/resources/dynamodb.ts`. */
  file: string;
  titleHtml: string;
  explainHtml: string;
  hintsHtml: string[];
  /** Set on the first TODO of each part of a session in parts: the part's heading and summary. */
  part?: { n: number; title: string; summaryHtml: string };
}

export interface SolutionFileView {
  path: string;
  status: FileDiff['status'];
  additions: number;
  deletions: number;
  html: string;
}

export interface SessionView {
  id: string;
  number: number;
  status: 'ready' | 'missing';
  title: string;
  summaryHtml: string;
  /** Where its session.json lives, relative to the repository. */
  specFile: string;
  goalsHtml: string[];
  concepts: Array<{ id: string; label: string; link?: string }>;
  /** Mermaid source of the architecture, or null. */
  /** The architecture, as one or more mermaid graphs in reading order. */
  diagrams: Diagram[];
  /** `npm run begin session-N` as a rendered code block. */
  beginHtml: string;
  todos: SessionTodoView[];
  /**
   * The check command, what a passing check confirms (plain text), and what its `--aws` run
   * watches: the first line its real minutes, then the periods it shortens (course.ts's awsCheckLines).
   */
  check: {
    command: string;
    commandHtml: string;
    expects: string[];
    aws: { minutes: number; lines: string[] } | null;
  } | null;
  /** null while `solutions/session-N/` does not exist. */
  solution: { files: SolutionFileView[]; additions: number; deletions: number } | null;
}

export type SessionsData = Record<string, SessionView>;

declare const data: SessionsData;
export { data };

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');

export default defineLoader({
  watch: [
    '../../sessions/*/**',
    '../../solutions/*/**',
    './diagrams/*.mmd',
    './fixtures/**',
    './curriculum.ts',
  ],
  async load(): Promise<SessionsData> {
    const config = (globalThis as { VITEPRESS_CONFIG?: SiteConfig }).VITEPRESS_CONFIG;
    if (!config) throw new Error('sessions.data.ts runs inside VitePress only (VITEPRESS_CONFIG is not set)');
    const root = process.env.DOJO_SESSIONS_ROOT ? resolve(process.env.DOJO_SESSIONS_ROOT) : repoRoot;
    // VitePress's own markdown-it instance (created once per build, with its Shiki, containers and links).
    const md = await createMarkdownRenderer(config.srcDir, config.markdown, config.site.base, config.logger);

    const out: SessionsData = {};
    for (const { id, number } of listSessions(root)) {
      const spec = loadSession(root, id);
      const specFile = posix.join('sessions', id, 'session.json');
      if (!spec) {
        out[id] = {
          id,
          number,
          status: 'missing',
          title: `Session ${number}`,
          summaryHtml: '',
          specFile,
          goalsHtml: [],
          concepts: [],
          diagrams: diagramsFor(id, undefined),
          beginHtml: '',
          todos: [],
          check: null,
          solution: null,
        };
        continue;
      }
      out[id] = buildView(spec, root, md, config, specFile);
    }
    return out;
  },
});

type Md = Awaited<ReturnType<typeof createMarkdownRenderer>>;

/** The part a TODO opens, if it opens one. */
function partStartingAt(
  spec: SessionSpec,
  n: number,
  inline: (text: string) => string,
): { part?: SessionTodoView['part'] } {
  const i = spec.parts.findIndex((p) => p.from === n);
  if (i < 0) return {};
  const part = spec.parts[i];
  return { part: { n: i + 1, title: part.title, summaryHtml: inline(part.summary) } };
}

function buildView(
  spec: SessionSpec,
  root: string,
  md: Md,
  config: SiteConfig,
  specFile: string,
): SessionView {
  const render = renderer(md, config, spec.id, specFile);
  const diffs = diffSession(root, spec.id);
  return {
    id: spec.id,
    number: spec.number,
    status: 'ready',
    title: spec.title,
    summaryHtml: render.inline(spec.summary),
    specFile,
    goalsHtml: spec.goals.map((g) => render.inline(g)),
    concepts: spec.concepts.map((c) => ({
      id: c,
      label: CONCEPT_PAGES[c]?.label ?? c.replace(/-/g, ' '),
      link: conceptLink(c, config),
    })),
    diagrams: diagramsFor(spec.id, spec.diagram),
    beginHtml: render.block(fence('sh', `npm run begin ${spec.id}`)),
    todos: spec.todos.map((t) => ({
      n: t.n,
      file: `backend/${t.file}`,
      titleHtml: render.inline(t.title),
      explainHtml: render.block(t.explain),
      hintsHtml: t.hints.map((h) => render.block(h)),
      ...partStartingAt(spec, t.n, render.inline),
    })),
    check: {
      command: spec.check.command,
      commandHtml: render.block(fence('sh', spec.check.command)),
      expects: spec.check.expects.map((line) => line.replace(/^[✔✖⚠○]\s*/, '')),
      aws: spec.check.minutes ? { minutes: spec.check.minutes.aws, lines: awsCheckLines(spec.check) } : null,
    },
    solution: diffs && {
      files: diffs.map((d) => ({
        path: d.path,
        status: d.status,
        additions: d.additions,
        deletions: d.deletions,
        html: render.block(fence('diff', d.patch)),
      })),
      additions: diffs.reduce((n, d) => n + d.additions, 0),
      deletions: diffs.reduce((n, d) => n + d.deletions, 0),
    },
  };
}

/** Renders markdown as if it were in `sessions/<id>.md`, and fails on links to pages that do not exist. */
function renderer(md: Md, config: SiteConfig, id: string, specFile: string) {
  const relativePath = `sessions/${id}.md`;
  const check = (env: { links?: string[] }) => {
    const dead: string[] = [];
    for (const link of env.links ?? []) {
      if (/^[a-z]+:/i.test(link) || link.startsWith('//')) continue;
      let url = link.replace(/[?#].*$/, '').replace(/\.(html|md)$/, '');
      if (!url) continue;
      if (url.endsWith('/')) url += 'index';
      const target = url.startsWith('/') ? url.slice(1) : posix.join(posix.dirname(relativePath), url);
      if (!existsSync(join(config.srcDir, `${target}.md`))) dead.push(link);
    }
    if (dead.length) throw new Error(`${specFile}: dead link(s) to the guide: ${dead.join(', ')}`);
  };
  const env = () => ({
    path: join(config.srcDir, relativePath),
    relativePath,
    cleanUrls: config.cleanUrls,
    links: [] as string[],
  });
  // In session.json, `DELETE /viruses/{id}` is text: markdown-it-attrs would read a trailing `{id}`
  // as attributes (and drop it). Rendering is synchronous, so switching the rule off around a call
  // does not affect the pages VitePress renders with the same instance.
  const withoutAttrs = (fn: () => string): string => {
    const disabled = md.core.ruler.disable('curly_attributes', true);
    try {
      return fn();
    } finally {
      if (disabled.length) md.core.ruler.enable(disabled);
    }
  };
  return {
    block(src: string): string {
      const e = env();
      const html = withoutAttrs(() => md.render(src, e));
      check(e);
      return html;
    },
    inline(src: string): string {
      const e = env();
      const html = withoutAttrs(() => md.renderInline(src, e));
      check(e);
      return html;
    },
  };
}

/** The guide page of a concept id, checked to exist (a typo in curriculum.ts fails the build). */
function conceptLink(id: string, config: SiteConfig): string | undefined {
  const link = CONCEPT_PAGES[id]?.link;
  if (!link) return undefined;
  const page = link.replace(/#.*$/, '').replace(/^\//, '');
  if (!existsSync(join(config.srcDir, `${page}.md`)))
    throw new Error(`curriculum.ts: concept "${id}" links to ${link}, which is not a page of the guide`);
  return link;
}

/** A fenced code block that no backtick run inside `body` can close early. */
function fence(lang: string, body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}${lang}\n${body}\n${ticks}\n`;
}

export interface Diagram {
  /** What this part shows (a line `%% == title` above its graph), when there are several. */
  title: string | null;
  graph: string;
}

/**
 * The session's own diagram (session.json `diagram`), else the guide's `diagrams/session-N.mmd`.
 * A file may hold several graphs, each under a line `%% == title`: one small graph per state
 * machine reads better than one drawing of all of them shrunk to the page.
 */
function diagramsFor(id: string, fromSpec: string | undefined): Diagram[] {
  const file = join(here, 'diagrams', `${id}.mmd`);
  const text = fromSpec ?? (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const parts: Diagram[] = [];
  text.split(/^%% == /m).forEach((chunk, i) => {
    // Every piece but the first follows a `%% == ` line: its first line is its title.
    const newline = chunk.indexOf('\n');
    const title = i === 0 ? null : chunk.slice(0, newline < 0 ? undefined : newline).trim();
    const graph = i === 0 ? chunk.trim() : newline < 0 ? '' : chunk.slice(newline + 1).trim();
    if (graph) parts.push({ title, graph });
  });
  return parts;
}
