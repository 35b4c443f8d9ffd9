// Entry of a Lambda sandbox worker: TypeScript handlers load through tsx, then the runtime runs.
import { register } from 'tsx/esm/api';

register();
await import('./sandbox-runtime.ts');
