import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { COMMANDS } from '../../checker/bin/dojo.ts';
import { REFERENCE_PAGE, renderReference } from '../../checker/cli/reference.ts';

describe("the guide's Commands page", () => {
  const page = readFileSync(REFERENCE_PAGE, 'utf8');

  it("matches the CLI's declarations (npm run docs:cli brings it up to date)", () => {
    expect(renderReference(page), 'docs/reference/cli.md is stale: run npm run docs:cli').toBe(page);
  });

  it('lists every command, each option of each, and its default', () => {
    for (const spec of COMMANDS) {
      expect(page).toContain(`## ${spec.name === 'start' ? 'npm start' : `npm run ${spec.name}`}\n`);
      for (const option of spec.options ?? [])
        expect(page).toContain(
          `| \`${option.flags}\` | ${option.help} | ${option.default === undefined ? '' : `\`${String(option.default)}\``} |`,
        );
    }
  });

  it('refuses a page that lost a command, or documents one that is gone', () => {
    expect(() => renderReference(page.replace('<!-- cli:restore -->', ''))).toThrow(
      'docs/reference/cli.md has no <!-- cli:restore --> … <!-- /cli:restore --> block',
    );
    expect(() => renderReference(`${page}\n<!-- cli:rewind -->\n<!-- /cli:rewind -->\n`)).toThrow(
      'documents commands the CLI does not have: rewind',
    );
  });
});
