/** See compile-cache.mjs: Node's on-disk code cache for the kit's processes and their children. */
export declare const MAX_ENTRIES: number;
export declare function enableCompileCache(): void;
export declare function flushCompileCacheSoon(ms?: number): void;
