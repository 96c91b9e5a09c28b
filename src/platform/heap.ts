// Process-wide V8 heap tuning for Ledgerlink's long-running processes (serve, worker, sync).
import { setFlagsFromString } from 'node:v8';

/**
 * V8 options only read when the process starts, so they sit in bin/ledgerlink.mjs's shebang (`npx ledgerlink`,
 * `./bin/ledgerlink.mjs`); `node bin/ledgerlink.mjs` runs without them. A sync allocates a page's parsed rows,
 * mapped records and their JSON for every 1,000 records: with V8's defaults (young generation of at most 16 MB,
 * full collections while the old generation is still small) a worker spent a fifth more CPU on a 1,000,000-record
 * full sync; with these, about 70 MB more peak RSS (docs/performance.md).
 * `--interrupt-budget` (4x V8's default) makes a function run longer before V8 optimizes it: a short incremental
 * sync runs code the full sync did not (lookup patches, merges, statements) and spent a third of its worker CPU
 * compiling it for a few calls; a full sync's hot code is still optimized within its first seconds.
 */
export const STARTUP_FLAGS = [
  '--initial-old-space-size=128',
  '--max-semi-space-size=32',
  '--interrupt-budget=270336',
] as const;

/** The STARTUP_FLAGS this process was started without (matched by option name, so other values count as set). */
export function missingStartupFlags(execArgv: readonly string[] = process.execArgv): string[] {
  const given = new Set(execArgv.map((a) => a.split('=')[0]!.replaceAll('_', '-')));
  return STARTUP_FLAGS.filter((f) => !given.has(f.split('=')[0]!));
}

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
