// Sage 200 sends `2017-06-02T08:19:00.147` (no zone) or `2021-08-04T09:54:24.36Z`; both are UTC (reference 4).

const SAGE_DT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** The usual shape, already canonical once the fields are in range (then no Date round trip is needed). */
const SAGE_DT_PLAIN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3})\d*)?Z?$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function plainTimestamp(v: string): string | null | undefined {
  const m = SAGE_DT_PLAIN.exec(v);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms = ''] = m;
  const year = +y;
  const month = +mo;
  const day = +d;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  // out-of-range fields (Feb 30, 24:00) roll over in Date.parse: leave those to the general path
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : DAYS[month - 1]))
    return undefined;
  if (+h > 23 || +mi > 59 || +s > 59) return undefined;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms.padEnd(3, '0')}Z`;
}

/** A Sage timestamp as ISO 8601 UTC with milliseconds (`2017-06-02T08:19:00.147Z`); null when absent/invalid. */
export function sageTimestamp(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return null;
  const fast = plainTimestamp(v);
  if (fast !== undefined) return fast;
  const m = SAGE_DT.exec(v.trim());
  if (!m) return null;
  const [, date, time = '00:00:00', frac = '', zone = 'Z'] = m;
  const t = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${frac.slice(0, 4)}${zone}`);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Business dates repeat (a few thousand days cover a ledger): remember each day's answer. Pure, so sharing it
 * between reads is safe; bounded so odd input cannot grow it without limit. */
const dayCache = new Map<string, string | null>();

/** A Sage business date (`2016-05-22T00:00:00`) as `2016-05-22T00:00:00Z`: the calendar day, no time shift. */
export function sageDate(v: unknown): string | null {
  if (typeof v !== 'string' || v.length < 10) return null;
  const day = v.slice(0, 10);
  const hit = dayCache.get(day);
  if (hit !== undefined) return hit;
  const r = /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(day)) ? `${day}T00:00:00Z` : null;
  if (dayCache.size >= 50_000) dayCache.clear();
  dayCache.set(day, r);
  return r;
}

/** For `$filter=date_time_updated gt <this>`: Sage requires the trailing Z. */
export function odataDateTime(d: Date): string {
  return d.toISOString();
}

/** The later of two ISO strings (either may be null). */
export function latest(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a > b ? a : b;
}
