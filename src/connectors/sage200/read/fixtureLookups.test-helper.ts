// Builds mapper lookups from the Sage-shaped rows in test/fixtures/sage200/demo-rows.json (tests only).
import { readFileSync } from 'node:fs';
import { currencyFromRow, emptyLookups, type Lookups, nominalRef } from '../mapping/lookups.ts';
import { nominalKey } from '../mapping/refs.ts';

// biome-ignore lint/suspicious/noExplicitAny: test fixture rows are free-form Sage JSON
type Row = Record<string, any>;
export const fixture: Row = JSON.parse(
  readFileSync(new URL('../../../../test/fixtures/sage200/demo-rows.json', import.meta.url), 'utf8'),
);

export function fixtureLookups(f: Row = fixture): Lookups {
  const lk = emptyLookups('XXX');
  for (const c of f.lookups.currencies) {
    lk.currencies.set(c.id, currencyFromRow(c));
    if (c.is_base_currency) lk.baseCurrency = currencyFromRow(c);
  }
  for (const t of f.lookups.tax_codes)
    lk.taxCodes.set(t.id, { id: t.id, code: t.code, name: t.name, rate: t.tax_rate });
  for (const side of ['customers', 'suppliers'] as const)
    for (const p of f.lookups[side])
      lk[side].set(p.id, { id: p.id, reference: p.reference, name: p.name, currencyId: p.currency_id });
  for (const n of f.lookups.nominal_codes)
    lk.nominalCodes.set(nominalKey(n.reference, n.cost_centre_code, n.department_code), { id: n.id, name: n.name });
  for (const c of f.lookups.cost_centres) lk.costCentres.set(c.code, c.name);
  for (const d of f.lookups.departments) lk.departments.set(d.code, d.name);
  for (const b of f.lookups.banks)
    lk.banks.set(b.code, {
      id: b.id,
      nominal: nominalRef(
        lk,
        b.bank_account_nominal_reference,
        b.bank_account_nominal_cost_centre,
        b.bank_account_nominal_department,
      ),
    });
  for (const u of f.lookups.urns) lk.urns.set(u.urn, { id: u.id, type: u.trader_transaction_type });
  return lk;
}
