// Process-wide V8 heap tuning for Ledgerlink's long-running processes (serve, worker, sync).
import { setFlagsFromString } from 'node:v8';

/**
 * Sets how far V8 lets the heap grow past the live data before its next full collection (HEAP_GROWING_PERCENT;
 * 0 leaves V8's default). Read by V8 at each collection, so it applies from the next one on.
 */
export function tuneHeap(growingPercent: number): void {
  if (growingPercent > 0) setFlagsFromString(`--heap-growing-percent=${Math.round(growingPercent)}`);
  keepCompiledCode();
}

/**
 * V8 drops the bytecode of functions unused for a few collections, and the collections that shrink an idle heap
 * run exactly when a worker waits between scheduled syncs: the next sync then compiles its code again and runs it
 * unoptimized for a while (a third more CPU in an incremental sync after a few idle minutes). Ledgerlink's code is
 * a few MB, so it is kept.
 */
export function keepCompiledCode(): void {
  setFlagsFromString('--no-flush-bytecode');
}
