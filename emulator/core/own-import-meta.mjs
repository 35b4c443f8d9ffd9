// An esbuild plugin: `import.meta.url` (and `.dirname`, `.filename`) of each bundled file
// stays that file's own, as if it had not been bundled, so a module that finds a file next
// to itself (a worker script, the repository root, a handler's data file) still finds it.
// Used by the handler bundles (emulator/lambda/handler-bundle.ts), the sandbox runtime's
// build and the CLI's (checker/bin/cli-build.mjs), which runs before any TypeScript can
// load: that is why this one is plain JavaScript.
import { readFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';

/** @type {import('esbuild').Plugin} */
export const ownImportMeta = {
  name: 'dojo-own-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const contents = text
        .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)))
        .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path));
      const ext = extname(args.path).slice(1);
      const loader = ext.startsWith('m') || ext.startsWith('c') ? ext.slice(1) : ext;
      return { contents, loader };
    });
  },
};
