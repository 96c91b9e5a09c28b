// Loads the reference data mappers need, once per read, with $select to keep it light.
import { currencyFromRow, emptyLookups, type Lookups, nominalRef, num } from '../mapping/lookups.ts';
import { nominalKey } from '../mapping/refs.ts';
import { readAll, type SageReader } from './common.ts';

export type LookupNeed =
  | 'taxCodes'
  | 'currencies'
  | 'customers'
  | 'suppliers'
  | 'nominalCodes'
  | 'tracking'
  | 'banks'
  | 'salesUrns'
  | 'purchaseUrns';

export async function loadLookups(client: SageReader, needs: LookupNeed[]): Promise<Lookups> {
  const want = new Set<LookupNeed>(needs);
  const lk: Lookups = emptyLookups('XXX');
  if (want.has('banks')) want.add('nominalCodes');
  // currencies are always needed: the base currency drives every document
  const currencies = await readAll(client, 'currencies', { expand: 'currency_iso_code' });
  for (const c of currencies) {
    const iso = currencyFromRow(c);
    lk.currencies.set(Number(c.id), iso);
    if (c.is_base_currency === true) lk.baseCurrency = iso;
  }
  const jobs: Promise<void>[] = [];
  if (want.has('taxCodes'))
    jobs.push(
      readAll(client, 'tax_codes', { select: 'id,code,name,tax_rate' }).then((rows) => {
        for (const t of rows)
          lk.taxCodes.set(Number(t.id), {
            id: Number(t.id),
            code: num(t.code),
            name: String(t.name ?? ''),
            rate: num(t.tax_rate) ?? 0,
          });
      }),
    );
  for (const side of ['customers', 'suppliers'] as const)
    if (want.has(side))
      jobs.push(
        readAll(client, side, { select: 'id,reference,name,currency_id' }).then((rows) => {
          for (const p of rows)
            lk[side].set(Number(p.id), {
              id: Number(p.id),
              reference: (p.reference as string) ?? null,
              name: (p.name as string) ?? null,
              currencyId: num(p.currency_id),
            });
        }),
      );
  if (want.has('nominalCodes'))
    jobs.push(
      readAll(client, 'nominal_codes', { select: 'id,reference,name,cost_centre_code,department_code' }).then(
        (rows) => {
          for (const n of rows)
            lk.nominalCodes.set(nominalKey(n.reference, n.cost_centre_code, n.department_code), {
              id: Number(n.id),
              name: (n.name as string) ?? null,
            });
        },
      ),
    );
  if (want.has('tracking')) {
    jobs.push(
      readAll(client, 'cost_centres', { select: 'id,code,name' }).then((rows) => {
        for (const r of rows) lk.costCentres.set(String(r.code).trim(), String(r.name ?? ''));
      }),
    );
    jobs.push(
      readAll(client, 'departments', { select: 'id,code,name' }).then((rows) => {
        for (const r of rows) lk.departments.set(String(r.code).trim(), String(r.name ?? ''));
      }),
    );
  }
  for (const [need, resource] of [
    ['salesUrns', 'sales_posted_transactions'],
    ['purchaseUrns', 'purchase_posted_transactions'],
  ] as const)
    if (want.has(need))
      jobs.push(
        readAll(client, resource, { select: 'id,urn,trader_transaction_type' }).then((rows) => {
          for (const r of rows)
            lk.urns.set(Number(r.urn), {
              id: Number(r.id),
              type: String(r.trader_transaction_type),
              ledger: need === 'salesUrns' ? 'sales' : 'purchase',
            });
        }),
      );
  await Promise.all(jobs);
  if (want.has('banks')) {
    const banks = await readAll(client, 'banks', {
      select: 'id,code,bank_account_nominal_reference,bank_account_nominal_cost_centre,bank_account_nominal_department',
    });
    for (const b of banks)
      lk.banks.set(String(b.code).trim(), {
        id: Number(b.id),
        nominal: nominalRef(
          lk,
          b.bank_account_nominal_reference,
          b.bank_account_nominal_cost_centre,
          b.bank_account_nominal_department,
        ),
      });
  }
  return lk;
}
