// Throttling (fixed windows on the simulator clock, APIM-style 429) and deterministic faults (a seeded sequence, so
// the same requests in the same order meet the same faults).
import type { SimClock } from '../clock.ts';
import type { Faults, Throttle } from '../switches.ts';

export type FaultDecision = { kind: 'none' | 'error' | 'truncate' | 'drop'; latencyMs: number; status: number };

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Limits {
  private windows = new Map<string, { start: number; count: number }>();
  private rngs = new WeakMap<Faults, () => number>();

  constructor(private readonly clock: SimClock) {}

  /** undefined when allowed, else the seconds to wait (Retry-After). */
  throttle(key: string, t: Throttle | null): number | undefined {
    if (!t) return undefined;
    const now = this.clock.now().getTime();
    const span = t.windowSeconds * 1000;
    let w = this.windows.get(key);
    if (!w || now >= w.start + span) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= t.limit) return Math.max(1, Math.ceil((w.start + span - now) / 1000));
    w.count++;
    return undefined;
  }

  fault(f: Faults | null): FaultDecision {
    if (!f) return { kind: 'none', latencyMs: 0, status: 200 };
    let rng = this.rngs.get(f);
    if (!rng) {
      rng = mulberry32(f.seed);
      this.rngs.set(f, rng);
    }
    const u = rng();
    const kind =
      u < f.dropRate
        ? 'drop'
        : u < f.dropRate + f.errorRate
          ? 'error'
          : u < f.dropRate + f.errorRate + f.truncateRate
            ? 'truncate'
            : 'none';
    return { kind, latencyMs: f.latencyMs, status: f.errorStatus };
  }

  reset(): void {
    this.windows.clear();
    this.rngs = new WeakMap();
  }
}
