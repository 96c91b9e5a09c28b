// Sage customers / suppliers -> Codat customers / suppliers (contacts, addresses, typed phones, status, balance).
import type { StandardRecord } from '../../connector.ts';
import { sageTimestamp } from '../mapping/dates.ts';
import { type Lookups, num, partyCurrency } from '../mapping/lookups.ts';
import { round } from '../mapping/money.ts';
import { str } from '../mapping/refs.ts';

type Row = Record<string, unknown>;

/** Nested contact collections come back only when expanded by path. */
export const PARTY_EXPAND = 'main_address,contacts,contacts/emails,contacts/telephones,contacts/mobiles,contacts/faxes';
/**
 * The fields `mapParty` reads, plus the expanded children whole. A Sage customer row carries about 110 fields
 * (analysis codes, spare fields, credit terms); without `$select` a page of 1,000 customers is 4.3 MB, with it 2 MB,
 * which is most of an incremental sync's customer read (docs/data-model.md).
 */
export const PARTY_SELECT = [
  'id',
  'reference',
  'name',
  'vat_number',
  'telephone_country_code',
  'telephone_area_code',
  'telephone_subscriber_number',
  'account_status_type',
  'currency_id',
  'balance',
  'on_hold',
  'date_time_updated',
  'main_address',
  'contacts',
].join(',');
const arr = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);

export function phoneOf(row: Row, prefix: string): string | null {
  const parts = [row[`${prefix}_country_code`], row[`${prefix}_area_code`], row[`${prefix}_subscriber_number`]]
    .map(str)
    .filter(Boolean);
  return parts.length ? parts.join(' ') : null;
}

function address(a: Row | undefined, type: 'Billing' | 'Delivery') {
  if (!a || !(str(a.address_1) || str(a.city) || str(a.postcode))) return null;
  return {
    type,
    line1: str(a.address_1),
    line2: [a.address_2, a.address_3, a.address_4].map(str).filter(Boolean).join(', ') || null,
    city: str(a.city),
    region: str(a.county),
    country: str(a.country),
    postalCode: str(a.postcode),
  };
}

function contacts(row: Row) {
  return arr(row.contacts).map((c) => {
    const phones = [
      ...arr(c.telephones).map((p) => ({ number: str(p.full_number) ?? phoneOf(p, 'telephone'), type: 'Landline' })),
      ...arr(c.mobiles).map((p) => ({ number: str(p.full_number) ?? null, type: 'Mobile' })),
      ...arr(c.faxes).map((p) => ({ number: str(p.full_number) ?? null, type: 'Fax' })),
    ].filter((p) => p.number);
    const emails = arr(c.emails);
    const email = emails.find((e) => e.is_default === true) ?? emails[0];
    const name = str(c.name) ?? ([c.first_name, c.middle_name, c.last_name].map(str).filter(Boolean).join(' ') || null);
    return {
      name,
      email: str(email?.email) ?? str(c.default_email),
      phone: phones,
      status: 'Active',
      modifiedDate: sageTimestamp(c.date_time_updated),
      isDefault: c.is_default === true,
    };
  });
}

export function mapParty(side: 'customer' | 'supplier', row: Row, lk: Lookups): StandardRecord {
  const cs = contacts(row);
  const main = cs.find((c) => c.isDefault) ?? cs[0];
  const addr = address(row.main_address as Row | undefined, 'Billing');
  const phone = phoneOf(row, 'telephone') ?? main?.phone[0]?.number ?? null;
  const status = String(row.account_status_type ?? '').includes('Hidden') ? 'Archived' : 'Active';
  const currency = partyCurrency(lk, {
    id: Number(row.id),
    reference: null,
    name: null,
    currencyId: num(row.currency_id),
  });
  const common = {
    id: String(row.id),
    contactName: main?.name ?? str((row.main_address as Row | undefined)?.contact_name),
    emailAddress: main?.email ?? null,
    phone,
    addresses: addr ? [addr] : [],
    contacts: cs.map(({ isDefault: _d, ...c }) => c),
    registrationNumber: null,
    taxNumber: str(row.vat_number),
    status,
    defaultCurrency: currency,
    balance: row.balance == null ? null : round(row.balance as number),
    metadata: { isDeleted: false },
    supplementalData: { content: { sage: { reference: str(row.reference), onHold: row.on_hold === true } } },
    sourceModifiedDate: sageTimestamp(row.date_time_updated),
  };
  return side === 'customer' ? { ...common, customerName: str(row.name) } : { ...common, supplierName: str(row.name) };
}
