/** See own-import-meta.mjs: keeps each bundled file's own `import.meta.url`. */
import type { Plugin } from 'esbuild';
export declare const ownImportMeta: Plugin;
