// Open sales and purchase orders from the last weeks before asOf (not yet invoiced).
import { dayMs } from './dates.ts';
import type { Masters } from './gen-masters.ts';
import { createOrder } from './orders.ts';
import type { Rng } from './rng.ts';
import type { BookState } from './state.ts';

export function generateOrders(s: BookState, rng: Rng, scale: number, m: Masters): void {
  const nSop = Math.max(5, Math.round(120 * scale));
  const nPop = Math.max(4, Math.round(70 * scale));
  const days: number[] = [];
  for (let i = 0; i < nSop + nPop; i++) days.push(s.asOfDay - rng.int(0, 60));
  days.sort((a, b) => a - b);
  let si = 0;
  let pi = 0;
  for (const d of days) {
    const now = new Date(dayMs(d) + rng.int(8 * 60, 17 * 60) * 60_000 + rng.int(0, 59_999));
    const sop = (si < nSop && rng.chance(nSop / (nSop + nPop))) || pi >= nPop;
    const lines = [];
    for (let n = rng.int(1, 4); n > 0; n--) {
      const p = rng.pick(m.products);
      lines.push({
        line_type: 'EnumLineTypeStandard',
        product_id: p.id,
        warehouse_id: heldIn(s, p.id, rng.pick(m.warehouses)),
        line_quantity: rng.int(1, 12),
      });
    }
    if (sop && rng.chance(0.3))
      lines.push({
        line_type: 'EnumLineTypeCharge',
        code: 'Carriage',
        description: 'Delivery',
        line_quantity: 1,
        selling_unit_price: 25,
      });
    const date = new Date(dayMs(d)).toISOString();
    if (sop) {
      si++;
      createOrder(
        s,
        'sop',
        {
          customer_id: rng.pick(m.customers).id,
          document_date: date,
          customer_document_no: `PO-${rng.int(10000, 99999)}`,
          lines,
        },
        now,
        { generated: true },
      );
    } else {
      pi++;
      createOrder(s, 'pop', { supplier_id: rng.pick(m.suppliers).id, document_date: date, lines }, now, {
        generated: true,
      });
    }
  }
}

/** the product's own warehouse when it has holdings (Sage refuses lines for a warehouse without one) */
function heldIn(s: BookState, productId: number, fallback: number): number {
  const h = (s.tables.products.get(productId)?.warehouse_holdings as { warehouse_id: number }[] | undefined) ?? [];
  return h[0]?.warehouse_id ?? fallback;
}
