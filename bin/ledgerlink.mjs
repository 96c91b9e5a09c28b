#!/usr/bin/env node
// Loads the TypeScript CLI in this same process (no child), so signals such as SIGKILL reach the real worker.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
