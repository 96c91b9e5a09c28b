// Sage 200 sends `2017-06-02T08:19:00.147` (no zone) or `2021-08-04T09:54:24.36Z`; both are UTC (reference 4).

const SAGE_DT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A Sage timestamp as ISO 8601 UTC with milliseconds (`2017-06-02T08:19:00.147Z`); null when absent/invalid. */
export function sageTimestamp(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return null;
  const m = SAGE_DT.exec(v.trim());
  if (!m) return null;
  const [, date, time = '00:00:00', frac = '', zone = 'Z'] = m;
  const t = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${frac.slice(0, 4)}${zone}`);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** A Sage business date (`2016-05-22T00:00:00`) as `2016-05-22T00:00:00Z`: the calendar day, no time shift. */
export function sageDate(v: unknown): string | null {
  if (typeof v !== 'string' || v.length < 10) return null;
  const day = v.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(day)) ? `${day}T00:00:00Z` : null;
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
