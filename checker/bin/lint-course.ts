/**
 * `npm run lint:course [-- --root DIR]`: the author check of the course (see
 * checker/core/course-lint.ts). Exit code 0 when the course is consistent, 1 otherwise.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatViolations, lintCourse } from '../core/course-lint.ts';
import { REPO_ROOT } from '../core/repo.ts';

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const violations = lintCourse(values.root ? resolve(values.root) : REPO_ROOT);
console.log(formatViolations(violations));
process.exitCode = violations.length ? 1 : 0;
