// The fast paths of sageTimestamp/sageDate against the general rule (the previous implementation, kept here as the
// reference) on every shape Sage sends and the ones it should not (rollovers, offsets, junk).
import { describe, expect, it } from 'vitest';
import { sageDate, sageTimestamp } from './dates.ts';

const SAGE_DT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
function refTimestamp(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return null;
  const m = SAGE_DT.exec(v.trim());
  if (!m) return null;
  const [, date, time = '00:00:00', frac = '', zone = 'Z'] = m;
  const t = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${frac.slice(0, 4)}${zone}`);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
function refDate(v: unknown): string | null {
  if (typeof v !== 'string' || v.length < 10) return null;
  const day = v.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(day)) ? `${day}T00:00:00Z` : null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function inputs(): unknown[] {
  const out: unknown[] = [
    '2017-06-02T08:19:00.147',
    '2021-08-04T09:54:24.36Z',
    '2016-05-22T00:00:00',
    '2016-05-22',
    '2016-05-22T08:19',
    '2016-05-22 08:19:00',
    '2016-05-22T08:19:00.1234567Z',
    '2016-05-22T08:19:00.Z',
    '2016-05-22T08:19:00+01:00',
    '2016-05-22T08:19:00-0530',
    ' 2016-05-22T08:19:00Z',
    '2016-05-22T08:19:00Z ',
    '2021-02-29T00:00:00',
    '2020-02-29T00:00:00',
    '2021-02-30T10:00:00Z',
    '2021-04-31T10:00:00.5',
    '2021-13-01T00:00:00',
    '2021-00-10T00:00:00',
    '2021-01-00T00:00:00',
    '2021-01-32T00:00:00',
    '2021-01-01T24:00:00',
    '2021-01-01T23:60:00',
    '2021-01-01T23:59:60',
    '1900-02-29T00:00:00',
    '2000-02-29T00:00:00',
    '0999-12-31T23:59:59.999Z',
    '0000-01-01T00:00:00',
    '9999-12-31T23:59:59.999',
    '2016-5-22T00:00:00',
    'not a date',
    '',
    '2016-05-2',
    null,
    undefined,
    20160522,
  ];
  let s = 42;
  const r = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 0; i < 3000; i++) {
    const y = 1990 + Math.floor(r() * 60);
    const mo = Math.floor(r() * 14);
    const d = Math.floor(r() * 33);
    const base = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(Math.floor(r() * 25))}:${pad(Math.floor(r() * 61))}:${pad(Math.floor(r() * 61))}`;
    const frac = ['', '.1', '.12', '.123', '.1234'][Math.floor(r() * 5)];
    out.push(`${base}${frac}${r() < 0.5 ? 'Z' : ''}`);
  }
  return out;
}

describe('Sage dates: fast paths give the general rule’s answer', () => {
  it('sageTimestamp', () => {
    const bad = inputs().filter((v) => sageTimestamp(v) !== refTimestamp(v));
    expect(bad).toEqual([]);
    expect(sageTimestamp('2021-08-04T09:54:24.36Z')).toBe('2021-08-04T09:54:24.360Z');
    expect(sageTimestamp('2021-02-30T10:00:00Z')).toBe('2021-03-02T10:00:00.000Z');
  });
  it('sageDate (twice, so the remembered answers are checked too)', () => {
    const all = inputs();
    for (let round = 0; round < 2; round++) expect(all.filter((v) => sageDate(v) !== refDate(v))).toEqual([]);
    expect(sageDate('2016-05-22T08:19:00')).toBe('2016-05-22T00:00:00Z');
  });
});
