// Pence arithmetic against decimal.js on the same inputs: every operation must give Decimal's answer, including the
// values that leave the fast path (more than 2 dp, too large, -0, strings, junk).
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  amount,
  amountAbs,
  amountCmp,
  amountIsNegative,
  amountIsZero,
  amountMinus,
  amountPlus,
  amountTimesSign,
  dec,
  pence,
  reproducesTax,
  round,
  roundAmount,
  unitPrice,
} from './money.ts';

/** deterministic pseudo-random (LCG) so failures reproduce */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const EDGE: unknown[] = [
  0,
  -0,
  0.01,
  -0.01,
  0.005,
  1.005,
  2.675,
  -2.675,
  0.1 + 0.2,
  1e13 - 0.01,
  1e13,
  -1e13,
  99999999999.99,
  1e15,
  1e20,
  1e-7,
  123.456,
  0.125,
  -0.125,
  Number.MAX_SAFE_INTEGER,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '12.34',
  '-0.005',
  '',
  ' ',
  'abc',
  null,
  undefined,
  true,
  {},
];

function values(n: number, seed: number): unknown[] {
  const r = rng(seed);
  const out = [...EDGE];
  for (let i = 0; i < n; i++) {
    const kind = r();
    const sign = r() < 0.5 ? -1 : 1;
    if (kind < 0.6) out.push((sign * Math.round(r() * 10 ** (1 + Math.floor(r() * 9)))) / 100);
    else if (kind < 0.8) out.push((sign * Math.round(r() * 1e8)) / 1000);
    else if (kind < 0.9) out.push(sign * r() * 10 ** Math.floor(r() * 16));
    else out.push(String((sign * Math.round(r() * 1e6)) / 100));
  }
  return out;
}

const same = (got: number, want: number) => expect(Object.is(got, want)).toBe(true);

describe('Amount (pence or Decimal) against decimal.js', () => {
  const vs = values(1500, 7);

  it('amount() holds dec()’s value; exact 2-dp numbers below 1e13 become integer pence', () => {
    for (const v of vs) {
      const a = amount(v);
      expect(
        new Decimal(typeof a === 'number' ? a : 0)
          .div(100)
          .plus(typeof a === 'number' ? 0 : a)
          .eq(dec(v)),
      ).toBe(true);
      if (typeof v === 'number' && typeof a === 'number') expect(Number.isInteger(a)).toBe(true);
    }
    expect(amount(12.34)).toBe(1234);
    expect(amount(0.1 + 0.2)).toBeInstanceOf(Decimal);
    expect(amount(1e13)).toBeInstanceOf(Decimal);
    expect(amount(-0)).toBeInstanceOf(Decimal);
    expect(pence(-0)).toBeUndefined();
  });

  it('round, sign, zero, abs, times sign, comparisons, sums and differences match Decimal', () => {
    const r = rng(11);
    const bad: unknown[] = [];
    const eq = (what: string, x: unknown, y: unknown, got: unknown, want: unknown) => {
      if (!Object.is(got, want)) bad.push({ what, x, y, got, want });
    };
    for (let i = 0; i < vs.length; i++) {
      const x = vs[i];
      const y = vs[Math.floor(r() * vs.length)];
      const a = amount(x);
      const b = amount(y);
      const dx = dec(x);
      const dy = dec(y);
      eq('round', x, y, roundAmount(a), round(dx));
      eq('isZero', x, y, amountIsZero(a), dx.isZero());
      eq('isNegative', x, y, amountIsNegative(a), dx.isNegative());
      eq('abs', x, y, roundAmount(amountAbs(a)), round(dx.abs()));
      eq('times -1', x, y, roundAmount(amountTimesSign(a, -1)), round(dx.times(-1)));
      eq('cmp', x, y, amountCmp(a, b), dx.cmp(dy));
      eq('plus', x, y, roundAmount(amountPlus(a, b)), round(dx.plus(dy)));
      eq('minus', x, y, roundAmount(amountMinus(a, b)), round(dx.minus(dy)));
    }
    expect(bad).toEqual([]);
  });

  it('sums past 2^53 pence leave integers for Decimal and stay exact', () => {
    let s = amount(9e12);
    let d = dec(9e12);
    for (let i = 0; i < 20; i++) {
      s = amountPlus(s, amount(9e12));
      d = d.plus(9e12);
    }
    expect(s).toBeInstanceOf(Decimal);
    same(roundAmount(s), round(d));
  });

  it('round() of a number keeps half away from zero and never returns -0', () => {
    same(round(2.675), 2.68);
    same(round(-2.675), -2.68);
    same(round(1.005), 1.01);
    same(round(-0), 0);
    same(round(-0.001), 0);
    same(round(12.345678, 5), 12.34568);
    same(round(12.34, 5), 12.34);
  });

  it('unitPrice is round(net / qty, 5) and reproducesTax is |net x rate / 100 - tax| <= 0.01, as in Decimal', () => {
    const r = rng(3);
    const bad: unknown[] = [];
    const rates = [0, 5, 12.5, 17.5, 20, 23, 13.5, 4.8, 0.0001, 33.333333, 100, 1e20, Number.NaN];
    for (let i = 0; i < 2000; i++) {
      const net = Math.round(r() * 10 ** (2 + Math.floor(r() * 10))) / 100;
      const qtyRaw = r() < 0.7 ? 1 + Math.floor(r() * 50) : Math.round(r() * 100000) / 1000;
      const qty = qtyRaw === 0 ? 1 : qtyRaw;
      const rate = rates[i % rates.length];
      const tax = r() < 0.5 ? Math.round(net * rate) / 100 : Math.round(r() * 1e6) / 100;
      const a = amountAbs(amount(net));
      const q = amountAbs(amount(qty));
      if (unitPrice(a, q) !== round(dec(net).div(dec(qty)), 5)) bad.push({ net, qty });
      for (const t of [tax, tax + 0.01, tax - 0.01, tax + 0.02])
        if (
          reproducesTax(a, amountAbs(amount(t)), rate) !==
          dec(net).times(rate).div(100).minus(dec(t).abs()).abs().lte(0.01)
        )
          bad.push({ net, t, rate });
    }
    expect(bad).toEqual([]);
    // exactly half at the fifth place rounds up
    same(unitPrice(amount(0.01), amount(8)), 0.00125);
    same(unitPrice(amount(0.01), amount(16)), 0.00063);
  });
});
