// Process-wide V8 heap tuning for Ledgerlink's long-running processes (serve, worker, sync).
import { setFlagsFromString } from 'node:v8';

/**
 * Sets how far V8 lets the heap grow past the live data before its next full collection (HEAP_GROWING_PERCENT;
 * 0 leaves V8's default). Read by V8 at each collection, so it applies from the next one on.
 */
export function tuneHeap(growingPercent: number): void {
  if (growingPercent > 0) setFlagsFromString(`--heap-growing-percent=${Math.round(growingPercent)}`);
}
