/** See cli-build.mjs: the CLI's TypeScript built once into plain JavaScript, reused until a source changes. */
export declare function cliEntry(options?: { entry?: string; cache?: string }): Promise<string>;
