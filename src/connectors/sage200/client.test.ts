import { describe, expect, it } from 'vitest';
import { buildQueryString, odataString, parseRetryAfter, updatedSinceFilter } from './client.ts';

describe('client helpers', () => {
  it('parses Retry-After as delta seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('1.5')).toBe(1500);
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('builds OData query strings with %20 and a literal $', () => {
    expect(
      buildQueryString({ $orderby: 'date_time_updated asc,id asc', $top: 1000, $skip: 0, $filter: undefined }),
    ).toBe('?$orderby=date_time_updated%20asc%2Cid%20asc&$top=1000&$skip=0');
    expect(buildQueryString({})).toBe('');
  });

  it('writes incremental filters in UTC with Z and escapes string literals', () => {
    expect(updatedSinceFilter(new Date('2016-02-24T09:52:11.452Z'))).toBe(
      'date_time_updated gt 2016-02-24T09:52:11.452Z',
    );
    expect(updatedSinceFilter(new Date(0), 'transaction_date_time_updated')).toBe(
      'transaction_date_time_updated gt 1970-01-01T00:00:00.000Z',
    );
    expect(odataString("O'Brien")).toBe("'O''Brien'");
  });
});
