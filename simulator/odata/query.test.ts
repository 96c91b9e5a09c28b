// The OData layer on its own: every operator, each 400, and the execution routes (key slice, filtered scan, heap).
import { describe, expect, it } from 'vitest';
import { ODataError } from './errors.ts';
import type { Row } from './evaluate.ts';
import { execute, parseQuery, type QueryableCollection, type Snapshot } from './query.ts';

const ENUMS = new Map([
  ['tradingaccountentrytypeinvoice', 1],
  ['tradingaccountentrytypecreditnote', 2],
]);
const enumIds = (n: string) => ENUMS.get(n.toLowerCase());

const rows: Row[] = Array.from({ length: 40 }, (_, i) => ({
  id: i + 1,
  reference: `R${String(i + 1).padStart(3, '0')}`,
  name: i === 3 ? "O'Brien & Sons" : i % 2 ? `Beta ${i}` : `alpha ${i}`,
  value: (i * 37) % 100,
  on_hold: i % 3 === 0,
  type: i % 4 === 0 ? 'TradingAccountEntryTypeCreditNote' : 'TradingAccountEntryTypeInvoice',
  due: i % 5 === 0 ? null : `2024-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00`,
  date_time_updated: `2024-03-01T10:${String(i).padStart(2, '0')}:00.5`,
  address: { city: i % 2 ? 'Leeds' : 'York', postcode: `LS${i}` },
  lines: [{ id: i * 10, qty: 1, product: { code: 'P1' } }],
}));

function coll(data: Row[]): QueryableCollection & { slices: number; scans: number } {
  const c = {
    resource: 'things',
    key: 'id',
    slices: 0,
    scans: 0,
    size: () => data.length,
    get: (id: number) => data.find((r) => r.id === id),
    *scan() {
      c.scans++;
      for (const r of data) yield structuredClone(r);
    },
    slice(o: number, l: number) {
      c.slices++;
      return data.slice(o, o + l).map((r) => structuredClone(r));
    },
  };
  return c;
}

function run(params: Record<string, string>, data = rows) {
  const c = coll(data);
  const q = parseQuery(params, data[0], 'things');
  return { ...execute(c, q, enumIds, 'z'), c };
}
const ids = (params: Record<string, string>) => run(params).rows.map((r) => r.id);
const bad = (params: Record<string, string>) => {
  try {
    parseQuery(params, rows[0], 'things');
  } catch (e) {
    expect(e).toBeInstanceOf(ODataError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(params)}`);
};

describe('$top, $skip, $orderby', () => {
  it('defaults to 500 rows in key order using the slice fast path', () => {
    const many = Array.from({ length: 1200 }, (_, i) => ({ id: i + 1 }));
    const r = run({}, many);
    expect(r.rows).toHaveLength(500);
    expect(r.rows[499]!.id).toBe(500);
    expect(r.c.slices).toBe(1);
    expect(r.c.scans).toBe(0);
  });
  it('pages with $top/$skip/$orderby=id asc through slice, and id desc from the end', () => {
    expect(ids({ $top: '3', $skip: '5', $orderby: 'id asc' })).toEqual([6, 7, 8]);
    const r = run({ $top: '3', $skip: '1', $orderby: 'id desc' });
    expect(r.rows.map((x) => x.id)).toEqual([39, 38, 37]);
    expect(r.c.scans).toBe(0);
  });
  it('orders by several fields asc/desc with a bounded heap', () => {
    const r = run({ $orderby: 'on_hold desc, value asc, id desc', $top: '4' });
    const expected = [...rows]
      .sort(
        (a, b) =>
          Number(b.on_hold) - Number(a.on_hold) ||
          (a.value as number) - (b.value as number) ||
          (b.id as number) - (a.id as number),
      )
      .slice(0, 4)
      .map((x) => x.id);
    expect(r.rows.map((x) => x.id)).toEqual(expected);
    expect(r.c.slices).toBe(0);
  });
  it('orders nulls first and strings case-insensitively, and by nested paths', () => {
    expect(ids({ $orderby: 'due asc,id asc', $top: '3' })).toEqual([1, 6, 11]);
    const names = run({ $orderby: 'name', $top: '40' }).rows.map((r) => String(r.name).toLowerCase());
    expect(names).toEqual([...names].sort());
    expect(ids({ $orderby: 'address.city desc,id', $top: '2' })).toEqual([1, 3]);
  });
  it('refuses bad $top/$skip and $skip without $orderby', () => {
    expect(bad({ $top: '5001' })).toContain('5000');
    expect(bad({ $top: 'ten' })).toContain('$top');
    expect(bad({ $top: '-1' })).toContain('$top');
    expect(bad({ $skip: '10' })).toBe('When using $skip, you must also use the $orderby parameter.');
    expect(bad({ $skip: 'x', $orderby: 'id' })).toContain('$skip');
    expect(bad({ $orderby: 'nope desc' })).toContain("'nope'");
    expect(bad({ $orderby: 'id sideways' })).toContain('$orderby');
    expect(run({ $top: '5000' }).rows).toHaveLength(40);
  });
});

describe('$filter', () => {
  it('compares numbers with eq ne gt ge lt le', () => {
    const v = (f: string) => run({ $filter: f, $top: '100' }).rows.map((r) => r.value as number);
    expect(v('value eq 11').every((x) => x === 11)).toBe(true);
    expect(v('value ne 11')).not.toContain(11);
    expect(v('value gt 90').every((x) => x > 90)).toBe(true);
    expect(v('value ge 90').every((x) => x >= 90)).toBe(true);
    expect(v('value lt 5').every((x) => x < 5)).toBe(true);
    expect(v('value le 5').every((x) => x <= 5)).toBe(true);
    expect(v('value ge 90').length).toBeGreaterThan(v('value gt 90').length - 1);
  });
  it('combines and/or/not with parentheses (and binds tighter than or)', () => {
    const expected = rows.filter((r) => r.id === 1 || ((r.id as number) > 30 && r.on_hold)).map((r) => r.id);
    expect(ids({ $filter: 'id eq 1 or id gt 30 and on_hold eq true' })).toEqual(expected);
    const grouped = rows.filter((r) => (r.id === 1 || (r.id as number) > 30) && r.on_hold).map((r) => r.id);
    expect(ids({ $filter: '(id eq 1 or id gt 30) and on_hold eq true' })).toEqual(grouped);
    expect(ids({ $filter: 'not (id gt 2)' })).toEqual([1, 2]);
    expect(ids({ $filter: 'not on_hold and id lt 4' })).toEqual([2, 3]);
  });
  it('matches strings with quotes escaped by doubling, case-insensitively, and contains/startswith/endswith', () => {
    expect(ids({ $filter: "name eq 'O''Brien & Sons'" })).toEqual([4]);
    expect(ids({ $filter: "name eq 'o''brien & SONS'" })).toEqual([4]);
    expect(ids({ $filter: "contains(name,'brien')" })).toEqual([4]);
    expect(ids({ $filter: "startswith(name,'ALPHA 1')" })).toEqual([11, 13, 15, 17, 19]);
    expect(ids({ $filter: "endswith(reference,'07')" })).toEqual([7]);
    expect(ids({ $filter: "endswith(reference,'07') eq false and id lt 9" })).toEqual([1, 2, 3, 4, 5, 6, 8]);
  });
  it('compares booleans and null', () => {
    expect(ids({ $filter: 'on_hold eq true and id lt 8' })).toEqual([1, 4, 7]);
    expect(ids({ $filter: 'on_hold eq false and id lt 4' })).toEqual([2, 3]);
    expect(ids({ $filter: 'due eq null' })).toEqual([1, 6, 11, 16, 21, 26, 31, 36]);
    expect(ids({ $filter: 'due ne null and id lt 4' })).toEqual([2, 3]);
  });
  it('compares dates and UTC datetimes as instants, and refuses a datetime without Z', () => {
    expect(ids({ $filter: 'due ge 2024-01-27' })).toEqual([27, 28]);
    expect(ids({ $filter: 'date_time_updated gt 2024-03-01T10:37:00Z' })).toEqual([38, 39, 40]);
    expect(ids({ $filter: 'date_time_updated le 2024-03-01T10:00:00.5Z' })).toEqual([1]);
    expect(bad({ $filter: 'date_time_updated gt 2024-03-01T10:37:00' })).toContain('(Z at the end)');
  });
  it('matches enums by name or numeric id', () => {
    const credit = rows.filter((r) => r.type === 'TradingAccountEntryTypeCreditNote').map((r) => r.id);
    expect(ids({ $filter: "type eq 'TradingAccountEntryTypeCreditNote'" })).toEqual(credit);
    expect(ids({ $filter: "type eq '2'" })).toEqual(credit);
    expect(ids({ $filter: "type ne '2'" })).toHaveLength(40 - credit.length);
  });
  it('filters on nested paths and stops scanning once the page is full', () => {
    const r = run({ $filter: "address.city eq 'Leeds'", $top: '2' });
    expect(r.rows.map((x) => x.id)).toEqual([2, 4]);
    expect(r.c.scans).toBe(1);
  });
  it('refuses syntax errors, unknown functions and unknown fields, naming them', () => {
    expect(bad({ $filter: 'id eq' })).toContain('$filter');
    expect(bad({ $filter: '(id eq 1' })).toContain("')'");
    expect(bad({ $filter: "name eq 'open" })).toContain('Unterminated');
    expect(bad({ $filter: "substringof('a',name)" })).toContain('substringof');
    expect(bad({ $filter: 'colour eq 1' })).toContain("'colour'");
    expect(bad({ $filter: 'id eq 1 id' })).toContain('$filter');
    expect(bad({ $filter: 'id # 1' })).toContain("'#'");
  });
});

describe('$select, $expand, $count', () => {
  it('omits nested objects and arrays unless expanded', () => {
    const [r] = run({ $top: '1' }).rows;
    expect(r).not.toHaveProperty('address');
    expect(r).not.toHaveProperty('lines');
    const [e] = run({ $top: '1', $expand: 'address,lines' }).rows;
    expect(e!.address).toEqual({ city: 'York', postcode: 'LS0' });
    expect(e!.lines).toEqual([{ id: 0, qty: 1 }]);
    const [d] = run({ $top: '1', $expand: 'lines/product' }).rows;
    expect(d!.lines).toEqual([{ id: 0, qty: 1, product: { code: 'P1' } }]);
    const [all] = run({ $top: '1', $expand: '*' }).rows;
    expect(all).toEqual({ ...rows[0], date_time_updated: '2024-03-01T10:00:00.5Z' });
  });
  it('selects fields and dotted paths into expanded objects', () => {
    expect(run({ $top: '2', $select: 'id,name' }).rows).toEqual([
      { id: 1, name: 'alpha 0' },
      { id: 2, name: 'Beta 1' },
    ]);
    expect(run({ $top: '1', $expand: 'address', $select: 'id,address.city' }).rows).toEqual([
      { id: 1, address: { city: 'York' } },
    ]);
    expect(run({ $top: '1', $select: 'id,lines.qty' }).rows).toEqual([{ id: 1, lines: [{ qty: 1 }] }]);
    expect(bad({ $select: 'id,colour' })).toContain("'colour'");
    expect(bad({ $select: 'address.country' })).toContain("'address.country'");
    expect(bad({ $expand: 'owner' })).toContain("'owner'");
  });
  it('counts matches ignoring $top when $count=true', () => {
    const r = run({ $count: 'true', $top: '2', $filter: 'on_hold eq true' });
    expect(r.count).toBe(rows.filter((x) => x.on_hold).length);
    expect(r.rows).toHaveLength(2);
    expect(run({ $count: 'true', $top: '1' }).count).toBe(40);
    expect(bad({ $count: 'yes' })).toContain('$count');
  });
  it('stamps audit datetimes with Z, or strips zones in no-z style', () => {
    const c = coll(rows);
    const q = parseQuery({ $top: '1', $select: 'id,date_time_updated,due' }, rows[0], 'things');
    expect(execute(c, q, enumIds, 'z').rows[0]).toEqual({
      id: 1,
      date_time_updated: '2024-03-01T10:00:00.5Z',
      due: null,
    });
    const zoned = [{ id: 1, date_time_updated: '2024-03-01T10:00:00Z', d: '2024-01-01T00:00:00Z' }];
    const q2 = parseQuery({}, zoned[0], 'things');
    expect(execute(coll(zoned), q2, enumIds, 'no-z').rows[0]).toEqual({
      id: 1,
      date_time_updated: '2024-03-01T10:00:00',
      d: '2024-01-01T00:00:00',
    });
  });
});

describe('paging snapshots', () => {
  const store = () => {
    const m = new Map<string, Snapshot>();
    return { get: (k: string) => m.get(k), set: (k: string, v: Snapshot) => void m.set(k, v), m };
  };

  it('scans once for a non-key order and serves later pages from the sorted snapshot', () => {
    const c = coll(rows);
    const snaps = store();
    const pages: unknown[] = [];
    for (let skip = 0; skip < 40; skip += 7) {
      const q = parseQuery(
        { $orderby: 'value desc,name', $top: '7', $skip: String(skip), $select: 'id' },
        rows[0],
        'things',
      );
      pages.push(...execute(c, q, enumIds, 'z', undefined, snaps).rows.map((r) => r.id));
    }
    const expected = [...rows]
      .sort(
        (a, b) =>
          (b.value as number) - (a.value as number) ||
          String(a.name).toLowerCase().localeCompare(String(b.name).toLowerCase()),
      )
      .map((r) => r.id);
    expect(pages).toEqual(expected);
    expect(c.scans).toBe(1);
  });

  it('remembers the keys of a filtered key-order query once paging goes past the first page', () => {
    const c = coll(rows);
    const snaps = store();
    const got: unknown[] = [];
    for (let skip = 0; skip < 20; skip += 5) {
      const q = parseQuery(
        { $filter: 'on_hold eq false', $orderby: 'id', $top: '5', $skip: String(skip) },
        rows[0],
        'things',
      );
      const r = execute(c, q, enumIds, 'z', undefined, snaps);
      got.push(...r.rows.map((x) => x.id));
    }
    expect(got).toEqual(
      rows
        .filter((r) => !r.on_hold)
        .map((r) => r.id)
        .slice(0, 20),
    );
    expect(c.scans).toBe(2);
    expect(snaps.m.size).toBe(1);
  });
});
