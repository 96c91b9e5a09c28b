// Sage company_details + base currency + financial years -> Codat company info (one record, id "company").
import type { StandardRecord } from '../../connector.ts';
import { sageDate, sageTimestamp } from '../mapping/dates.ts';
import { str } from '../mapping/refs.ts';
import { type Reader, readAll, singlePage } from './common.ts';
import { loadLookups } from './lookups.ts';

type Row = Record<string, unknown>;

export function mapCompany(details: Row, baseCurrency: string, periods: Row[]): StandardRecord {
  const a = (details.address ?? {}) as Row;
  const current = periods.filter((p) => Number(p.year_relative_to_current_year) === 0);
  const fyStart = sageDate((current[0] ?? periods[0])?.financial_year_start_date);
  const phones = [
    { number: str(details.telephone), type: 'Landline' },
    { number: str(details.fax), type: 'Fax' },
  ].filter((p) => p.number);
  const website = str(details.website);
  const years = [...new Set(periods.map((p) => sageDate(p.financial_year_start_date)).filter(Boolean))].sort();
  return {
    id: 'company',
    companyName: str(details.name),
    accountingPlatformRef: details.id != null ? String(details.id) : null,
    companyLegalName: str(details.name),
    addresses: str(a.address_1)
      ? [
          {
            type: 'Billing',
            line1: str(a.address_1),
            line2: [a.address_2, a.address_3, a.address_4].map(str).filter(Boolean).join(', ') || null,
            city: str(a.city),
            region: str(a.county),
            country: str(a.country),
            postalCode: str(a.postcode),
          },
        ]
      : [],
    phoneNumbers: phones,
    webLinks: website ? [{ type: 'Website', url: website }] : [],
    ledgerLockDate: null,
    registrationNumber: null,
    taxNumber: str(details.tax_registration_number),
    financialYearStartDate: fyStart,
    baseCurrency,
    sourceUrls: null,
    createdDate: years[0] ?? sageTimestamp(details.date_time_created),
    supplementalData: { content: { financialYears: years.length } },
    sourceModifiedDate: sageTimestamp(details.date_time_updated),
  };
}

export const readCompany: Reader = (client) =>
  singlePage(async () => {
    const [details, lk, periods] = await Promise.all([
      client.get<Row | Row[]>('company_details', { $expand: 'address' }),
      loadLookups(client, []),
      readAll(client, 'financial_year_period_views', { orderBy: 'financial_year_start_date asc,period_number asc' }),
    ]);
    const d = Array.isArray(details) ? (details[0] ?? {}) : details;
    return [mapCompany(d, lk.baseCurrency, periods)];
  });
