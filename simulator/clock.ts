// The simulator's controllable clock: real time plus an offset, so tests can jump 90 days ahead in a millisecond
// (token expiry) while write stamps still move forward naturally between requests.

export interface SimClock {
  now(): Date;
  /** move the clock forward (or back, with a negative number) by this many seconds */
  advance(seconds: number): Date;
  /** set the clock to an absolute instant; it keeps ticking from there */
  set(instant: Date): Date;
  /** back to real time */
  reset(): void;
}

export function createClock(realNow: () => number = Date.now): SimClock {
  let offsetMs = 0;
  const now = () => new Date(realNow() + offsetMs);
  return {
    now,
    advance(seconds) {
      offsetMs += Math.round(seconds * 1000);
      return now();
    },
    set(instant) {
      offsetMs = instant.getTime() - realNow();
      return now();
    },
    reset() {
      offsetMs = 0;
    },
  };
}
