import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startRoom, type RunningRoom } from '../../checker/room/server.ts';
import { reportToRoom } from '../../checker/room/report.ts';
import { builtSite, REPO_ROOT, serveSite, type SiteServer } from './support/site.ts';
import { describeWithChromium, launchBrowser, openPage, waitUntil } from './support/browser.ts';
import { checkReport, joinedLearner, type Learner, type Wording } from '../room/support.ts';

/**
 * The room page of the guide, in chromium, on a real room with 30 joined learners: every
 * learner with the right cells, a hostile name shown as text, and the screenshot of the
 * instructor guide (a smaller room, on a fixed clock, so it is the same on every run).
 */
const XSS = '<img src=x onerror=alert(1)>';
const T0 = Date.UTC(2026, 11, 1, 10, 0);
const MIN = 60_000;

/** The checker's own words for the TODOs the screenshot's class fails. */
const WORDING: Record<number, Wording> = {
  2: {
    2: {
      title: 'GET /viruses answers 200 { viruses } with every virus, newest first',
      hint: 'Scan the whole table: ScanCommand({ TableName: virusTableName() }), and answer all its Items.',
    },
  },
  3: {
    2: {
      title: 'createVirus accepts the event EventBridge sends (detail-type "Scheduled Event")',
      hint: "Give createVirus events: [{ schedule: 'rate(1 minute)' }].",
    },
  },
  4: {
    4: {
      title: 'Each spreadVirus run puts 3 VIRUS_CREATION_REQUESTED events on the custom bus',
      hint: 'Put 3 entries in the Entries array of one PutEventsCommand.',
    },
    6: {
      title:
        'Each event starts one execution that goes ChooseWaitTime → WaitXSeconds → CreateVirus and succeeds',
      hint: 'Chain the three states: ChooseWaitTime → WaitXSeconds → CreateVirus.',
    },
    7: {
      title: 'The Wait state waits the number of seconds ChooseWaitTime chose',
      hint: 'Wait with SecondsPath: "$.numberOfSeconds", not a fixed Seconds.',
    },
  },
  5: {
    2: {
      title: 'Schedule Stop silences a schedule: no tick after it, and its loop ends within one period',
      hint: 'Handle Schedule Stop: end the loop of that schedule.',
    },
  },
};

/** Learner i passes sessions 1..(i % 5), fails the next one on TODO (i % 3) + 1, and checked it i % 8 minutes ago. */
function planOf(i: number) {
  const passed = i % 5;
  return { passed, failingSession: `session-${passed + 1}`, todo: (i % 3) + 1, minutesAgo: i % 8 };
}

describeWithChromium(`the room page`, () => {
  let site: SiteServer;
  let browser: Browser;
  let clock = T0;
  const rooms: RunningRoom[] = [];
  const learners: Learner[] = [];

  /** A room whose learners check as their plan says, the room's clock moved for each report. */
  async function populatedRoom(names: string[]): Promise<RunningRoom> {
    clock = T0;
    const room = await startRoom({ port: 0, guideUrl: site.url, stuckMinutes: 10, now: () => clock });
    rooms.push(room);
    const joined: Learner[] = [];
    for (const name of names) joined.push(await joinedLearner(room.joinUrl, name));
    learners.push(...joined);
    // The stuck ones: a first failing check 40 minutes before the last one.
    for (const [i, l] of joined.entries()) {
      const p = planOf(i);
      clock = T0 + 20 * MIN - 40 * MIN;
      if (i % 4 === 1) await send(l, checkReport(p.failingSession, [p.todo]));
      for (let s = 1; s <= p.passed; s++) {
        clock = T0 + 20 * MIN - (p.minutesAgo + 1) * MIN;
        await send(l, checkReport(`session-${s}`, []));
      }
      clock = T0 + 20 * MIN - p.minutesAgo * MIN;
      await send(l, checkReport(p.failingSession, [p.todo]));
    }
    clock = T0 + 20 * MIN;
    return room;
  }
  async function send(l: Learner, report: ReturnType<typeof checkReport>) {
    const outcome = await reportToRoom(report, { root: l.root });
    expect(outcome?.sent).toBe(true);
  }

  beforeAll(async () => {
    site = await serveSite(await builtSite());
    browser = await launchBrowser();
    // The guide's build, when no other test file has made it yet: minutes on a busy machine.
  }, 600_000);
  afterAll(async () => {
    for (const r of rooms) await r.close();
    for (const l of learners) l.remove();
    await browser?.close();
    await site?.close();
  });

  it('shows 30 learners with the right cells, and a hostile name as text', async () => {
    const names = Array.from({ length: 30 }, (_, i) =>
      i === 6 ? XSS : `Learner ${String(i + 1).padStart(2, '0')}`,
    );
    const room = await populatedRoom(names);
    const { page, problems } = await openPage(browser);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(room.instructorUrl);
    await page.locator('.room[data-status="online"]').waitFor();
    await waitUntil(async () => (await page.locator('tr[data-learner]').count()) === 30, '30 rows');
    // The token went from the address bar to the tab's storage: a projector must not show it.
    expect(page.url()).not.toContain('token=');

    const rows = await page.locator('tr[data-learner]').evaluateAll((trs) =>
      trs.map((tr) => ({
        name: tr.querySelector('[data-testid="learner-name"]')!.textContent,
        cells: Array.from(tr.querySelectorAll('td[data-session]')).map(
          (td) =>
            `${td.getAttribute('data-state')}${Array.from(td.querySelectorAll('[data-testid="failing"]'))
              .map((f) => ` ${f.textContent}`)
              .join('')}`,
        ),
        last: tr.querySelector('[data-testid="last-check"]')!.textContent,
      })),
    );
    const expected = names
      .map((name, i) => {
        const p = planOf(i);
        const cells = Array.from({ length: 6 }, (_, s) =>
          s < p.passed ? 'pass' : s === p.passed ? `fail TODO ${p.todo}` : 'none',
        );
        return { name, cells, last: p.minutesAgo === 0 ? 'just now' : `${p.minutesAgo} min` };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
    expect(rows).toEqual(expected);

    expect(await page.locator('.room img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await page.getByText(XSS, { exact: true }).count()).toBeGreaterThan(0);
    // Stuck: those whose first ✖ came 40 minutes before (i % 4 === 1), on the same TODO since,
    // though they checked earlier sessions in between.
    const stuck = await page.locator('[data-testid="stuck"] li strong').allTextContents();
    expect(stuck.sort()).toEqual(names.filter((_, i) => i % 4 === 1).sort());
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says so when the token is wrong', async () => {
    const room = rooms[0];
    const { page } = await openPage(browser);
    await page.goto(`${site.url}/room?room=${encodeURIComponent(room.url)}&token=wrong`);
    await page.locator('.room[data-status="refused"]').waitFor();
    expect(await page.locator('.room-link').textContent()).toContain('refused the token');
    await page.close();
  });

  it('takes the screenshot of the instructor guide', async () => {
    clock = T0;
    const room = await startRoom({ port: 0, guideUrl: site.url, stuckMinutes: 15, now: () => clock });
    rooms.push(room);
    const at = async (minute: number, l: Learner, session: number, failing: number[] = []) => {
      clock = T0 + minute * MIN;
      await send(l, checkReport(`session-${session}`, failing, 8, WORDING[session]));
    };
    // A class forty minutes into session 4: some ahead, some behind, two stuck.
    const plan: Array<[string, number, number[], number]> = [
      // name, sessions passed, failing TODOs of the next one, minutes ago
      ['Ada', 3, [4], 2],
      ['Barbara', 3, [4, 6], 1],
      ['Dennis', 3, [7], 4],
      ['Frances', 2, [2], 3],
      ['Grace', 4, [2], 0],
      ['Ken', 3, [4], 6],
      ['Linus', 1, [2], 1],
      ['Margaret', 6, [], 0],
    ];
    for (const [name, passed, failing, ago] of plan) {
      const l = await joinedLearner(room.joinUrl, name);
      learners.push(l);
      if (name === 'Barbara' || name === 'Linus') await at(0, l, passed + 1, failing);
      for (let s = 1; s <= passed; s++) await at(10 + s, l, s);
      if (failing.length) await at(40 - ago, l, passed + 1, failing);
    }
    clock = T0 + 40 * MIN;
    const { page, problems } = await openPage(browser);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(room.instructorUrl);
    await page.locator('[data-testid="failing-most"]').waitFor();
    await page.evaluate(() => document.fonts.ready);
    // Transitions under way (the guide's navigation bar fades in) stopped: every run draws the same.
    const shot = await page.screenshot({ fullPage: true, animations: 'disabled' });
    // Written only when it changed: the guide's build (shared by the browser tests) is
    // rebuilt whenever a file under docs/ changes.
    const file = join(REPO_ROOT, 'docs/public/screenshots/room.png');
    if (!existsSync(file) || !readFileSync(file).equals(shot)) writeFileSync(file, shot);
    expect(await page.locator('[data-testid="stuck"] li strong').allTextContents()).toEqual([
      'Barbara',
      'Linus',
    ]);
    expect(await page.locator('[data-testid="failing-most"] li').first().textContent()).toContain('3');
    expect(problems).toEqual([]);
    await page.close();
  });
});
