#!/usr/bin/env -S node --initial-old-space-size=128 --max-semi-space-size=32 --interrupt-budget=270336
// The V8 heap flags above (src/platform/heap.ts STARTUP_FLAGS) can only be set when the process starts.
// Loads the TypeScript CLI in this same process (no child), so signals such as SIGKILL reach the real worker.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
