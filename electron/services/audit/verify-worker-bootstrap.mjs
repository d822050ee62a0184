// Loads the TypeScript verifier thread through tsx when the console runs from source (npm start, tests).
// The packaged app bundles verify-worker.ts into a worker file of its own and never loads this.
import { register } from 'tsx/esm/api';

register();
await import('./verify-worker.ts');
