/**
 * `npm run bench -- --only deploy`: the real `osls deploy` and `osls remove` of the session-4
 * solution against a local cloud (its S3 and CloudFormation), next to `osls package` alone
 * of the same folder in the same run: what the local cloud adds to what osls itself costs.
 */
import { cpSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { LocalCloud } from '../emulator/index.ts';
import { realOsls } from '../checker/aws/osls.ts';
import { localCloudEnv } from '../checker/core/local-deploy.ts';

export async function benchDeploy(report: (name: string, value: string) => void): Promise<void> {
  const dir = resolve('.dojo', 'tmp', `bench-deploy-${process.pid}`);
  cpSync(resolve('solutions/session-4'), dir, {
    recursive: true,
    filter: (src) => !/(^|\/)(\.serverless|\.esbuild|node_modules)$/.test(src),
  });
  const cloud = await LocalCloud.start({ speed: 1 });
  const osls = realOsls();
  const env = localCloudEnv({ endpoint: cloud.endpoint, region: cloud.region });
  const timed = async (args: string[]) => {
    const t0 = performance.now();
    const r = await osls.run({ cwd: dir, args: [...args, '--stage', 'bench'], env });
    if (r.code !== 0) throw new Error(`osls ${args[0]} failed:\n${r.output.slice(-2000)}`);
    return performance.now() - t0;
  };
  try {
    const packageMs = await timed(['package']);
    const deployMs = await timed(['deploy']);
    const removeMs = await timed(['remove']);
    report('osls package session-4 (baseline, same run)', `${(packageMs / 1000).toFixed(1)} s`);
    report(
      'osls deploy session-4 to the local cloud (S3 + CloudFormation)',
      `${(deployMs / 1000).toFixed(1)} s (${(deployMs / packageMs).toFixed(2)}× package)`,
    );
    report(
      'osls remove session-4 from the local cloud',
      `${(removeMs / 1000).toFixed(1)} s (${(removeMs / packageMs).toFixed(2)}× package)`,
    );
  } finally {
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
