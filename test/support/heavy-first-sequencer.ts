/**
 * The order vitest starts test files in: the heaviest first, so that the long ones do not form
 * the tail of a run while the other workers sit idle.
 *
 * Vitest orders a file it has timed before by its last duration, longest first, and a file it
 * has never timed (every file on a clean clone, which is how CI runs) by its size, largest
 * first. Size says nothing about the session check harnesses: each `session-N.part-K.test.ts`
 * is three lines that run a dozen full checks (package, deploy, observe) and takes a minute or
 * more, so by size they ran last, and the run ended with two of three workers idle. The
 * files named in `heavy` start first, in the order vitest would give them; the rest follow.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export function heavyFirstSequencer(heavy: RegExp) {
  return class HeavyFirstSequencer extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      const sorted = await super.sort(files);
      const isHeavy = (f: TestSpecification) => heavy.test(f.moduleId);
      // A stable partition within each project: projects still run in the order vitest gave.
      const project = new Map<string, number>();
      sorted.forEach((f, i) => project.has(f.project.name) || project.set(f.project.name, i));
      const rank = (f: TestSpecification) => project.get(f.project.name)!;
      return sorted
        .map((f, i) => ({ f, i }))
        .sort((a, b) => rank(a.f) - rank(b.f) || Number(isHeavy(b.f)) - Number(isHeavy(a.f)) || a.i - b.i)
        .map(({ f }) => f);
    }
  };
}
