/**
 * The guide builds, as `npm run docs:build` builds it (VitePress, with its default of failing
 * the build on a dead link), into the folder the browser tests serve (test/browser/support/
 * site.ts): a run of the suite builds the guide once, in the parallel group, and needs no
 * chromium for this check. The browser tests find the build of the same sources there.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtSite, REPO_ROOT } from '../browser/support/site.ts';

/** The guide's pages: every Markdown file of docs/ outside VitePress's own folders. */
function pages(dir = join(REPO_ROOT, 'docs')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || entry.name === 'public') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return pages(path);
    return entry.name.endsWith('.md') ? [relative(join(REPO_ROOT, 'docs'), path)] : [];
  });
}

describe('the guide', () => {
  it('builds with VitePress, every page rendered, no dead link', { timeout: 600_000 }, async () => {
    const site = await builtSite();
    const found = pages();
    expect(found).toContain('sessions/session-1.md');
    for (const page of found) expect(existsSync(join(site, page.replace(/\.md$/, '.html'))), page).toBe(true);
  });
});
