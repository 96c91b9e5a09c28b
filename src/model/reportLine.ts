import { Decimal } from 'decimal.js';
import { z } from 'zod';

/** Codat ReportLine: a recursive tree; a parent's value is the sum of its items. */
export interface ReportLine {
  accountId?: string | null;
  name: string | null;
  value: number;
  items: ReportLine[];
}
export const reportLineSchema: z.ZodType<ReportLine> = z.lazy(() =>
  z.object({
    accountId: z.string().nullable().optional(),
    name: z.string().nullable(),
    value: z.number().finite(),
    items: z.array(reportLineSchema),
  }),
);

export function emptyLine(name: string): ReportLine {
  return { name, value: 0, items: [] };
}

/** Merges lines of the same shape (same names/accountIds) by adding values; used to sum months. */
export function addLines(a: ReportLine | undefined, b: ReportLine | undefined, sign = 1): ReportLine | undefined {
  if (!a && !b) return undefined;
  const base = a ?? { ...b!, value: 0, items: [] };
  const other = b ?? { ...a!, value: 0, items: [] };
  const key = (l: ReportLine) => `${l.accountId ?? ''}|${l.name ?? ''}`;
  const order: string[] = [];
  const left = new Map<string, ReportLine>();
  const right = new Map<string, ReportLine>();
  for (const l of base.items) {
    left.set(key(l), l);
    order.push(key(l));
  }
  for (const l of other.items) {
    right.set(key(l), l);
    if (!left.has(key(l))) order.push(key(l));
  }
  return {
    ...(base.accountId !== undefined ? { accountId: base.accountId } : {}),
    name: base.name,
    value: new Decimal(base.value).plus(new Decimal(other.value).times(sign)).toNumber(),
    items: order.map((k) => addLines(left.get(k), right.get(k), sign)!),
  };
}
