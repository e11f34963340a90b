// Starts engine-worker.ts from the TypeScript sources (tests, `pnpm bench`). A worker thread has to register tsx
// itself: `--import tsx` in a worker's execArgv does not reach its entry module on Node 20.
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');
