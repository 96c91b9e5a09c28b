// Dates as day numbers (days since 1970-01-01 UTC): compact in typed arrays, cheap to compare.

const DAY_MS = 86_400_000;

export function dayOf(isoDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) throw new Error(`bad date ${isoDate}`);
  return Math.floor(Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS);
}

export function dayFromYmd(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** Sage's form for date-only business fields: midnight, no offset */
const dateCache = new Map<number, string>();

export function sageDate(day: number): string {
  let v = dateCache.get(day);
  if (v === undefined) {
    v = `${new Date(day * DAY_MS).toISOString().slice(0, 10)}T00:00:00`;
    if (dateCache.size < 100_000) dateCache.set(day, v);
  }
  return v;
}

/** UTC stamp for date_time_created / date_time_updated */
export function stamp(ms: number): string {
  // a row's created and updated stamps are often the same instant: remember the last one
  if (ms !== lastStampMs) {
    lastStamp = new Date(ms).toISOString();
    lastStampMs = ms;
  }
  return lastStamp;
}
let lastStampMs = Number.NaN;
let lastStamp = '';

export function dayMs(day: number): number {
  return day * DAY_MS;
}

export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

export function monthOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCMonth() + 1;
}

export function weekday(day: number): number {
  return (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
}

/** Parse a request datetime/date (accepts Sage forms) to a day number, or undefined when absent. */
export function parseRequestDay(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return Number.NaN;
  const t = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value.endsWith('Z') ? value : `${value}Z`);
  if (Number.isNaN(t)) return Number.NaN;
  return Math.floor(t / DAY_MS);
}
