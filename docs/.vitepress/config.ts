/**
 * The guide's VitePress configuration: its navigation and sidebar (session titles read from
 * each session.json), local search, and Mermaid diagrams.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';
import { withMermaid } from 'vitepress-plugin-mermaid';
import { listSessions, loadSession } from '../../checker/core/course.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const sessionsRoot = process.env.DOJO_SESSIONS_ROOT ? resolve(process.env.DOJO_SESSIONS_ROOT) : repoRoot;

/** Sidebar titles come from session.json (the page itself says more when it is missing or malformed). */
function sessionTitle(id: string, fallback: string): string {
  try {
    return loadSession(sessionsRoot, id)?.title ?? fallback;
  } catch {
    return fallback;
  }
}

const sessions: DefaultTheme.SidebarItem[] = listSessions(sessionsRoot).map((s) => ({
  text: `${s.number}. ${sessionTitle(s.id, `Session ${s.number}`)}`,
  link: `/sessions/${s.id}`,
}));

const sidebar: DefaultTheme.Sidebar = [
  {
    text: 'Start here',
    items: [
      { text: 'What is the dojo?', link: '/' },
      { text: 'Setup', link: '/setup' },
      { text: 'The board', link: '/board' },
    ],
  },
  { text: 'Sessions', items: sessions },
  {
    text: 'Concepts',
    collapsed: false,
    items: [
      { text: 'Lambda', link: '/concepts/lambda' },
      { text: 'DynamoDB', link: '/concepts/dynamodb' },
      { text: 'EventBridge', link: '/concepts/eventbridge' },
      { text: 'Schedules: rate() and cron()', link: '/concepts/schedules' },
      { text: 'Step Functions', link: '/concepts/step-functions' },
      { text: 'The virtual clock', link: '/concepts/virtual-clock' },
    ],
  },
  {
    text: 'Help',
    items: [
      { text: 'Troubleshooting', link: '/troubleshooting' },
      { text: 'Running on real AWS', link: '/aws' },
    ],
  },
  {
    text: 'Reference',
    items: [
      { text: 'Commands', link: '/reference/cli' },
      { text: 'The local cloud', link: '/reference/local-cloud' },
      { text: 'Architecture', link: '/reference/architecture' },
    ],
  },
  {
    text: 'For instructors',
    items: [
      { text: 'Running a dojo', link: '/instructor' },
      { text: 'Preparing the room', link: '/preparing' },
      { text: 'The room', link: '/room' },
    ],
  },
];

export default withMermaid(
  defineConfig({
    title: 'Serverless Dojo',
    description:
      'Learn event-driven serverless on AWS by building a game: Lambda, DynamoDB, EventBridge and Step Functions, offline on a local cloud.',
    lang: 'en-GB',
    cleanUrls: true,
    // Without an icon link every page load asks for /favicon.ico and logs a 404.
    head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
    // Dead links fail the build (VitePress's default): do not set ignoreDeadLinks.
    themeConfig: {
      nav: [
        { text: 'Setup', link: '/setup' },
        { text: 'Sessions', link: '/sessions/session-1', activeMatch: '^/sessions/' },
        { text: 'Board', link: '/board' },
        { text: 'Concepts', link: '/concepts/lambda', activeMatch: '^/concepts/' },
        {
          text: 'Reference',
          items: [
            { text: 'Commands', link: '/reference/cli' },
            { text: 'The local cloud', link: '/reference/local-cloud' },
            { text: 'Running on real AWS', link: '/aws' },
            { text: 'Troubleshooting', link: '/troubleshooting' },
          ],
        },
        { text: 'Instructors', link: '/instructor' },
      ],
      sidebar,
      outline: { level: [2, 3], label: 'On this page' },
      search: { provider: 'local' },
      footer: {
        message:
          'Serverless Dojo — a workshop kit. Runs offline on a local cloud; real AWS is one flag away.',
      },
      docFooter: { prev: 'Previous', next: 'Next' },
    },
    mermaid: {},
    // mermaid 11 imports fastdom, a CommonJS module: pre-bundle it or `vitepress dev` fails.
    vite: {
      optimizeDeps: { include: ['mermaid > fastdom', 'mermaid > fastdom/extensions/fastdom-promised.js'] },
    },
  }),
);
