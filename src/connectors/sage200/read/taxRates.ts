// Sage tax_codes -> Codat tax rates (a single, non-compound component each).
import type { StandardRecord } from '../../connector.ts';
import { sageTimestamp } from '../mapping/dates.ts';
import { num } from '../mapping/lookups.ts';
import { pagedRead, type Reader } from './common.ts';

export function mapTaxRate(t: Record<string, unknown>): StandardRecord {
  const rate = num(t.tax_rate) ?? 0;
  const name = String(t.name ?? '');
  return {
    id: String(t.id),
    name,
    code: t.code != null ? String(t.code) : null,
    status: 'Active',
    effectiveTaxRate: rate,
    totalTaxRate: rate,
    components: [{ name, rate, isCompound: false }],
    validDatatypeLinks: [],
    metadata: { isDeleted: false },
    sourceModifiedDate: sageTimestamp(t.date_time_updated),
  };
}

export const readTaxRates: Reader = (client, options) =>
  pagedRead(client, options, { resource: 'tax_codes', map: mapTaxRate });
