/** See osls-asl-verdicts.cjs: asl-validator's JSON-schema verdicts inside the osls process, kept on disk. */
export declare const MAX_ENTRIES: number;
export declare const stats: { last: 'used' | 'made' | 'computed' | undefined };
export declare function install(defaultDir: string): void;
