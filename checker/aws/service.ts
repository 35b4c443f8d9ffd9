/**
 * The service's name and region, as --aws needs them before osls has run: from the packaged
 * template when there is one, else read from serverless.ts (the dojo's services write both
 * as plain strings, so a look at the text is enough and needs no compiling).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackNameOf, type Template } from '../../emulator/index.ts';

export const DEFAULT_SERVICE = 'dojo-serverless';

export function serviceOfTemplate(template: Template): string {
  return stackNameOf(template, 'local').replace(/-local$/, '');
}

export function serviceOfDir(dir: string): string {
  return readSetting(dir, /\bservice:\s*['"]([A-Za-z0-9-]+)['"]/m) ?? DEFAULT_SERVICE;
}

export function regionOfDir(dir: string): string | undefined {
  return readSetting(dir, /\bregion:\s*['"]([a-z]{2}(?:-[a-z]+)+-\d)['"]/m);
}

function readSetting(dir: string, pattern: RegExp): string | undefined {
  const file = join(dir, 'serverless.ts');
  if (!existsSync(file)) return undefined;
  return pattern.exec(readFileSync(file, 'utf8'))?.[1];
}
