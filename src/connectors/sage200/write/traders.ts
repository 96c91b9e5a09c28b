// Customers and suppliers (Sage "traders"): create, update (optimistic concurrency on sourceModifiedDate) and delete.
// Sage needs an account `reference` (<= 8 characters, unique, immutable) that the Codat model lacks: we accept it as
// the Ledgerlink extension field `reference`, or derive one from the name (documented in docs/push.md).
import { z } from 'zod';
import { PushConflictError, PushValidationError } from '../../../push/errors.ts';
import type { PushOption } from '../../../push/types.ts';
import { ConnectorError } from '../../connector.ts';
import type { Lookups } from './lookups.ts';
import { traderOptions } from './options.ts';
import { toRecord } from './readback.ts';
import type { SageRow, WriteCall, Writer } from './types.ts';
import { Issues, parseBody, sageInstant } from './validate.ts';

export interface TraderKind {
  dataType: 'customers' | 'suppliers';
  label: 'customer' | 'supplier';
  resource: 'customers' | 'suppliers';
  nameField: 'customerName' | 'supplierName';
}

const address = z
  .object({
    type: z.string().nullish(),
    line1: z.string().max(60).nullish(),
    line2: z.string().max(60).nullish(),
    city: z.string().max(60).nullish(),
    region: z.string().max(60).nullish(),
    country: z.string().nullish(),
    postalCode: z.string().max(10).nullish(),
  })
  .passthrough();

function schemaFor(kind: TraderKind, operation: 'create' | 'update') {
  const name = z.string().trim().min(1, `${kind.nameField} is required`);
  return z
    .object({
      reference: z.string().trim().min(1).nullish(),
      [kind.nameField]: operation === 'create' ? name : name.nullish(),
      contactName: z.string().nullish(),
      emailAddress: z.string().email().nullish(),
      phone: z.string().max(40).nullish(),
      addresses: z.array(address).nullish(),
      taxNumber: z.string().nullish(),
      defaultCurrency: z.string().length(3).nullish(),
      status: z.enum(['Unknown', 'Active', 'Archived']).nullish(),
      sourceModifiedDate: z.string().nullish(),
    })
    .passthrough();
}

const SUPPORTED = [
  'reference',
  'customerName',
  'supplierName',
  'contactName',
  'emailAddress',
  'phone',
  'addresses',
  'taxNumber',
  'defaultCurrency',
  'status',
];

/** Upper-case letters and digits of the name, at most 8, e.g. "Acme Widgets Ltd" -> "ACMEWIDG". */
export function referenceFromName(name: string): string {
  const base = name.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return (base || 'ACCOUNT').slice(0, 8);
}

async function takenBy(lookups: Lookups, kind: TraderKind, reference: string): Promise<SageRow | undefined> {
  return (await lookups.findBy(kind.resource, 'reference', reference))[0];
}

/** The Sage body for the scalar fields a Codat trader carries (create and update share it). */
async function sageFields(kind: TraderKind, b: Record<string, any>, lookups: Lookups, issues: Issues) {
  const out: Record<string, unknown> = {};
  const name = b[kind.nameField];
  if (name != null) {
    issues.maxLength(kind.nameField, name, 60);
    out.name = name;
  }
  if (b.taxNumber != null) {
    issues.maxLength('taxNumber', b.taxNumber, 20);
    out.vat_number = b.taxNumber;
  }
  if (b.phone != null) out.telephone_subscriber_number = b.phone;
  if (b.status === 'Archived') out.account_status_type = 'AccountStatusHidden';
  else if (b.status === 'Active') out.account_status_type = 'AccountStatusActive';
  if (b.defaultCurrency) {
    const currency = await lookups.currencyByIso(b.defaultCurrency);
    if (!currency)
      issues.error('defaultCurrency', `Currency ${b.defaultCurrency} is not set up in this Sage 200 company.`);
    else out.currency_id = currency.id;
  }
  const addresses = (b.addresses ?? []) as Record<string, any>[];
  const main =
    addresses.find((a) => a.type === 'Billing') ?? addresses.find((a) => a.type !== 'Delivery') ?? addresses[0];
  if (main) {
    out.main_address = {
      address_1: main.line1 ?? '',
      address_2: main.line2 ?? '',
      city: main.city ?? '',
      county: main.region ?? '',
      postcode: main.postalCode ?? '',
    };
    if (main.country) issues.warn('addresses.country', 'addresses.country is not supported, and will be ignored.');
  }
  if (addresses.length > 1)
    issues.warn('addresses', 'Only the billing address is written to Sage 200; other addresses will be ignored.');
  if (b.contactName || b.emailAddress) {
    // Sage 200 Standard takes one contact through the trader payload (the default contact).
    const [first, ...rest] = String(b.contactName ?? '')
      .trim()
      .split(/\s+/);
    out.contacts = [
      {
        first_name: first ?? '',
        last_name: rest.join(' '),
        ...(b.emailAddress ? { emails: [{ email: b.emailAddress, is_default: true }] } : {}),
      },
    ];
  }
  return out;
}

export function traderWriter(kind: TraderKind): Writer {
  return {
    dataType: kind.dataType,

    async create(call: WriteCall) {
      const { lookups, options } = call;
      const issues = new Issues(kind.label === 'customer' ? 'Customer' : 'Supplier');
      const b = parseBody(schemaFor(kind, 'create'), call.body, issues, SUPPORTED) as Record<string, any>;
      const fields = await sageFields(kind, b, lookups, issues);
      let reference: string | undefined = b.reference ?? undefined;
      if (reference) issues.maxLength('reference', reference, 8, `${kind.label} reference`);
      issues.throwIfAny();

      if (reference) {
        const existing = await takenBy(lookups, kind, reference);
        if (existing) {
          // A retry of this push whose first try reached Sage: the record is ours, do not create it twice.
          if (options.attempt > 1 && existing.name === fields.name) {
            return {
              record: await toRecord(kind.dataType, existing, lookups),
              warnings: issues.warnings,
              alreadyApplied: true,
            };
          }
          throw new PushValidationError(
            [
              {
                itemId: 'reference',
                message: `${kind.label} reference ${reference} is already used by "${existing.name}" (id ${existing.id}); references must be unique.`,
                validatorName: 'Sage200',
              },
            ],
            issues.warnings,
          );
        }
      } else {
        const base = referenceFromName(String(fields.name));
        if (options.attempt > 1 && typeof options.progress?.reference === 'string') {
          const prior = await takenBy(lookups, kind, options.progress.reference);
          if (prior && prior.name === fields.name) {
            return {
              record: await toRecord(kind.dataType, prior, lookups),
              warnings: issues.warnings,
              alreadyApplied: true,
            };
          }
        }
        for (let n = 0; n < 1000 && !reference; n++) {
          const suffix = n === 0 ? '' : String(n);
          const candidate = `${base.slice(0, 8 - suffix.length)}${suffix}`;
          if (!(await takenBy(lookups, kind, candidate))) reference = candidate;
        }
        if (!reference)
          throw new PushValidationError([
            {
              itemId: 'reference',
              message: 'Could not find a free account reference; send one in `reference`.',
              validatorName: 'Sage200',
            },
          ]);
        await options.saveProgress?.({ reference });
      }
      const created = await call.client.post<SageRow>(
        kind.resource,
        { reference, ...fields },
        { retry: 'throttle-only' },
      );
      return { record: await toRecord(kind.dataType, created, lookups), warnings: issues.warnings };
    },

    async update(call: WriteCall) {
      const { lookups, options } = call;
      const issues = new Issues(kind.label === 'customer' ? 'Customer' : 'Supplier');
      const b = parseBody(schemaFor(kind, 'update'), call.body, issues, SUPPORTED) as Record<string, any>;
      const current = await lookups.byId<SageRow>(kind.resource, call.recordId);
      if (!current)
        throw new ConnectorError(
          'NotFound',
          `There is no ${kind.label} with id ${call.recordId} in this Sage 200 company.`,
        );
      if (b.reference && b.reference !== current.reference) {
        issues.error('reference', `A Sage 200 ${kind.label} reference cannot be changed (it is ${current.reference}).`);
      }
      const fields = await sageFields(kind, b, lookups, issues);
      issues.throwIfAny();
      await checkConcurrency(kind.label, current, options);
      const updated = await call.client.put<SageRow>(`${kind.resource}/${current.id}`, fields);
      return { record: await toRecord(kind.dataType, updated ?? current, lookups), warnings: issues.warnings };
    },

    async delete(call: WriteCall) {
      const current = await call.lookups.byId<SageRow>(kind.resource, call.recordId);
      if (!current)
        throw new ConnectorError(
          'NotFound',
          `There is no ${kind.label} with id ${call.recordId} in this Sage 200 company.`,
        );
      await call.client.delete(`${kind.resource}/${current.id}`);
      return { record: { id: String(current.id) } };
    },

    options: (lookups: Lookups): Promise<PushOption> => traderOptions(kind, lookups),
  };
}

/** Optimistic concurrency: refuse when Sage's record changed since the caller's copy, unless forceUpdate. */
export async function checkConcurrency(
  label: string,
  current: SageRow,
  options: { forceUpdate?: boolean; expectedSourceModifiedDate?: string | null; attempt: number },
): Promise<void> {
  if (options.forceUpdate || !options.expectedSourceModifiedDate || options.attempt > 1) return;
  const expected = sageInstant(options.expectedSourceModifiedDate);
  const actual = sageInstant(current.date_time_updated);
  if (expected && actual && expected !== actual) {
    throw new PushConflictError(
      `The ${label} was changed in Sage 200 at ${actual}, after the copy you updated (sourceModifiedDate ${expected}). Sync the data type again and re-apply your change, or push with forceUpdate=true to overwrite.`,
    );
  }
}

export const customersWriter = traderWriter({
  dataType: 'customers',
  label: 'customer',
  resource: 'customers',
  nameField: 'customerName',
});
export const suppliersWriter = traderWriter({
  dataType: 'suppliers',
  label: 'supplier',
  resource: 'suppliers',
  nameField: 'supplierName',
});
