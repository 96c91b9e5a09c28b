// PushOption trees (GET .../options/{dataType}): fields, required flags and allowed values drawn from the company's
// own Sage data (tax codes, nominal codes, currencies, cost centres, departments, banks, product groups).
import type { PushOption, PushOptionChoice, PushOptionProperty, PushOptionType } from '../../../push/types.ts';
import type { DocumentKind } from './documents.ts';
import type { Lookups } from './lookups.ts';
import type { TraderKind } from './traders.ts';

export function field(
  type: PushOptionType,
  displayName: string,
  description: string,
  required = false,
  extra: Partial<PushOptionProperty> = {},
): PushOptionProperty {
  return { type, displayName, description, required, ...extra };
}

function warn(fieldName: string, details: string) {
  return { warnings: [{ field: fieldName, details }], information: [] };
}

export async function taxRateChoices(lookups: Lookups): Promise<PushOptionChoice[]> {
  return (await lookups.taxCodes()).map((t) => ({
    value: String(t.id),
    type: 'String' as const,
    displayName: `${t.code} - ${t.name} (${t.tax_rate}%)`,
    description: `Sage tax code ${t.code}, rate ${t.tax_rate}%`,
    required: false,
  }));
}

export async function nominalChoices(lookups: Lookups): Promise<PushOptionChoice[]> {
  return (await lookups.nominalCodes())
    .filter((n) => n.account_status_type !== 'AccountStatusHidden')
    .map((n) => ({
      value: String(n.id),
      type: 'String' as const,
      displayName: `${n.reference}${n.cost_centre_code ? `/${n.cost_centre_code}` : ''}${n.department_code ? `/${n.department_code}` : ''} ${n.name}`,
      required: false,
    }));
}

export async function currencyChoices(lookups: Lookups): Promise<PushOptionChoice[]> {
  return (await lookups.currencies())
    .filter((c) => c.currency_iso_code?.code)
    .map((c) => ({
      value: String(c.currency_iso_code?.code),
      type: 'String' as const,
      displayName: c.name,
      required: false,
    }));
}

export async function trackingChoices(lookups: Lookups): Promise<PushOptionChoice[]> {
  const [cc, dept] = await Promise.all([lookups.costCentres(), lookups.departments()]);
  return [
    ...cc.map((c) => ({
      value: `__COST_CENTRES/${c.code}`,
      type: 'String' as const,
      displayName: `Cost centre ${c.code} ${c.name ?? ''}`.trim(),
      required: false,
    })),
    ...dept.map((d) => ({
      value: `__DEPARTMENTS/${d.code}`,
      type: 'String' as const,
      displayName: `Department ${d.code} ${d.name ?? ''}`.trim(),
      required: false,
    })),
  ];
}

export async function bankChoices(lookups: Lookups): Promise<PushOptionChoice[]> {
  return (await lookups.banks()).map((b) => ({
    value: String(b.id),
    type: 'String' as const,
    displayName: `${b.code} ${b.description ?? ''}`.trim(),
    required: false,
  }));
}

const refObject = (name: string, description: string, required: boolean, options?: PushOptionChoice[]) =>
  field('Object', name, description, required, {
    properties: { id: field('String', 'Id', `${name} id`, required, options ? { options } : {}) },
  });

export async function documentOptions(kind: DocumentKind, lookups: Lookups): Promise<PushOption> {
  const [taxRates, nominals, currencies, tracking] = await Promise.all([
    taxRateChoices(lookups),
    nominalChoices(lookups),
    currencyChoices(lookups),
    trackingChoices(lookups),
  ]);
  const traderName = kind.side === 'sales' ? 'Customer' : 'Supplier';
  return {
    type: 'Object',
    displayName: kind.label.replace(/(^|\s)\w/g, (m) => m.toUpperCase()),
    description: `Posts a ${kind.label} to the Sage 200 ${kind.side} ledger (POST /${kind.endpoint}). Sage keeps no lines: lines become nominal analysis rows, and tax becomes one analysis item per tax code. Posted documents cannot be updated or deleted.`,
    required: true,
    properties: {
      [kind.numberField]: field('String', 'Document number', 'Sage `reference`', false, {
        validation: warn(kind.numberField, 'Max length 20 characters.'),
      }),
      [kind.traderRef]: refObject(
        traderName,
        `The ${traderName.toLowerCase()} (id from /data/${kind.side === 'sales' ? 'customers' : 'suppliers'})`,
        true,
      ),
      issueDate: field('DateTime', 'Issue date', 'Transaction date', true),
      ...(kind.hasDueDate ? { dueDate: field('DateTime', 'Due date', 'Due date', false) } : {}),
      currency: field('String', 'Currency', `Must be the ${traderName.toLowerCase()}'s own currency`, false, {
        options: currencies,
      }),
      currencyRate: field('Number', 'Currency rate', 'Exchange rate; defaults to the trader rate', false),
      lineItems: field('Array', 'Line items', 'At least one line', true, {
        properties: {
          description: field('String', 'Description', 'Narrative of the nominal analysis row', false),
          quantity: field('Number', 'Quantity', 'Quantity', true),
          unitAmount: field('Number', 'Unit amount', 'Unit amount excluding tax', true),
          discountAmount: field('Number', 'Discount amount', 'Line discount', false),
          subTotal: field('Number', 'Sub total', 'quantity × unitAmount − discount', false),
          taxAmount: field('Number', 'Tax amount', 'Must match the tax code rate (to 0.01)', false),
          totalAmount: field('Number', 'Total amount', 'subTotal + taxAmount', false),
          accountRef: refObject('Nominal account', 'Defaults to the trader default nominal code', false, nominals),
          taxRateRef: refObject('Tax rate', 'Defaults to the trader default tax code', false, taxRates),
          trackingCategoryRefs: field('Array', 'Tracking categories', 'Cost centre and department', false, {
            properties: { id: field('String', 'Id', 'Tracking category id', true, { options: tracking }) },
          }),
        },
      }),
      subTotal: field('Number', 'Sub total', 'Must equal the sum of line subTotals', false),
      [kind.taxField]: field('Number', 'Tax amount', 'Must equal the sum of line tax', false),
      totalAmount: field('Number', 'Total amount', 'Must equal subTotal + tax', false),
    },
  };
}

export async function traderOptions(kind: TraderKind, lookups: Lookups): Promise<PushOption> {
  const currencies = await currencyChoices(lookups);
  const title = kind.label === 'customer' ? 'Customer' : 'Supplier';
  return {
    type: 'Object',
    displayName: title,
    description: `Creates or updates a Sage 200 ${kind.label} (POST/PUT /${kind.resource}).`,
    required: true,
    properties: {
      reference: field(
        'String',
        'Account reference',
        'Sage account reference (Ledgerlink extension); generated from the name when absent; cannot change later',
        false,
        {
          validation: warn('reference', 'Max length 8 characters; unique.'),
        },
      ),
      [kind.nameField]: field('String', 'Name', `${title} name`, true, {
        validation: warn(kind.nameField, 'Max length 60 characters.'),
      }),
      contactName: field('String', 'Contact name', 'Default contact', false),
      emailAddress: field('String', 'Email address', 'Default contact email', false),
      phone: field('String', 'Phone', 'Telephone number', false),
      taxNumber: field('String', 'Tax number', 'VAT number', false, {
        validation: warn('taxNumber', 'Max length 20 characters.'),
      }),
      defaultCurrency: field('String', 'Default currency', 'Account currency', false, { options: currencies }),
      status: field('String', 'Status', 'Archived hides the account', false, {
        options: [
          { value: 'Active', type: 'String', displayName: 'Active', required: false },
          { value: 'Archived', type: 'String', displayName: 'Archived (hidden)', required: false },
        ],
      }),
      addresses: field('Array', 'Addresses', 'The billing address becomes the main address', false, {
        properties: {
          type: field('String', 'Type', 'Billing', false),
          line1: field('String', 'Line 1', 'address_1', false),
          line2: field('String', 'Line 2', 'address_2', false),
          city: field('String', 'City', 'city', false),
          region: field('String', 'Region', 'county', false),
          postalCode: field('String', 'Postal code', 'postcode', false),
        },
      }),
    },
  };
}
