/**
 * A vitest reporter with one job: when the run includes browser tests and Chromium is
 * missing (outside CI, where they are skipped), say so once, with how to install it.
 */
import type { Reporter, TestSpecification } from 'vitest/node';
import { CHROMIUM, hasChromium, INSTALL_CHROMIUM } from './browser.ts';

export default class ChromiumReporter implements Reporter {
  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    if (hasChromium || /^(true|1)$/i.test(process.env.CI ?? '')) return;
    const browserFiles = specifications.filter((s) => /[\\/]test[\\/]browser[\\/]/.test(s.moduleId)).length;
    if (browserFiles)
      process.stderr.write(
        `⚠ ${browserFiles} browser test files skipped: ${CHROMIUM} is missing. Install it: ${INSTALL_CHROMIUM}.\n`,
      );
  }
}
