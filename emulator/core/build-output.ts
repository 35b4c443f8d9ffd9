/**
 * The files a service folder holds that are not the learner's: build output, installed
 * packages, the dojo's own (its state, the packaging lock and wrapper config). Watchers
 * skip them, or a packaging would trigger the next one.
 */
const BUILD_OUTPUT = /(^|\/)(\.serverless|\.esbuild|node_modules|\.dojo|\.dojo-package\.(lock|cjs))(\/|$)/;

/** True for a path (relative to a service folder) that packaging or a build writes. */
export function isBuildOutput(file: string): boolean {
  return BUILD_OUTPUT.test(file);
}
