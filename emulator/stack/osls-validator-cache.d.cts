/** See osls-validator-cache.cjs: osls's configuration validator, compiled from a code cache taken after it ran. */
export declare const GENERATED: string;
export declare const MAX_ENTRIES: number;
export declare const stats: { last: 'used' | 'made' | 'rejected' | undefined };
export declare function install(defaultDir: string): void;
