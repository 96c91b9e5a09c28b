// Accounts (chartOfAccounts) -> Sage 200 nominal codes. Sage needs a report category, which decides where the account
// appears in the balance sheet or profit and loss: `fullyQualifiedCategory` names one (its code or description).
import { z } from 'zod';
import { PushValidationError } from '../../../push/errors.ts';
import type { PushOption } from '../../../push/types.ts';
import { ConnectorError } from '../../connector.ts';
import { mapCategory } from '../read/categories.ts';
import type { Lookups } from './lookups.ts';
import { field } from './options.ts';
import { toRecord } from './readback.ts';
import { checkConcurrency } from './traders.ts';
import type { SageRow, WriteCall, Writer } from './types.ts';
import { Issues, parseBody } from './validate.ts';

function schemaFor(operation: 'create' | 'update') {
  const req = <T extends z.ZodType>(s: T) => (operation === 'create' ? s : s.nullish());
  return z
    .object({
      nominalCode: req(z.string().trim().min(1, 'nominalCode is required')),
      name: req(z.string().trim().min(1, 'name is required')),
      fullyQualifiedCategory: req(
        z.string().trim().min(1, 'fullyQualifiedCategory is required (a Sage report category)'),
      ),
      description: z.string().nullish(),
      status: z.enum(['Unknown', 'Active', 'Archived', 'Pending']).nullish(),
      type: z.string().nullish(),
      currency: z.string().nullish(),
      sourceModifiedDate: z.string().nullish(),
    })
    .passthrough();
}
const SUPPORTED = ['nominalCode', 'name', 'fullyQualifiedCategory', 'description', 'status', 'type', 'currency'];

/** A report category named in the form reads show it ("Expense.Overheads: Rent"), or by its code or description. */
async function category(lookups: Lookups, wanted: string): Promise<SageRow | undefined> {
  const w = wanted.trim().toLowerCase();
  return (await lookups.reportCategories()).find((c) => {
    const info = mapCategory(c);
    return [`${info.type}.${info.description}`, info.code, info.description, String(c.id)].some(
      (v) => v.toLowerCase() === w,
    );
  });
}

async function fields(b: Record<string, any>, lookups: Lookups, issues: Issues) {
  const out: Record<string, unknown> = {};
  if (b.nominalCode != null) {
    issues.maxLength('nominalCode', b.nominalCode, 8, 'nominalCode');
    out.reference = b.nominalCode;
  }
  if (b.name != null) {
    issues.maxLength('name', b.name, 60);
    out.name = b.name;
  }
  if (b.fullyQualifiedCategory) {
    const cat = await category(lookups, b.fullyQualifiedCategory);
    if (!cat) {
      const known = (await lookups.reportCategories()).map((c) => `${c.code} (${c.description})`).join(', ');
      issues.error(
        'fullyQualifiedCategory',
        `"${b.fullyQualifiedCategory}" is not a report category of this Sage 200 company. Use one of: ${known}.`,
      );
    } else out.report_category_id = cat.id;
  }
  if (b.status === 'Archived') out.account_status_type = 'AccountStatusHidden';
  else if (b.status === 'Active') out.account_status_type = 'AccountStatusActive';
  return out;
}

export const accountsWriter: Writer = {
  dataType: 'chartOfAccounts',
  async create(call: WriteCall) {
    const issues = new Issues('Account');
    const b = parseBody(schemaFor('create'), call.body, issues, SUPPORTED) as Record<string, any>;
    const body = await fields(b, call.lookups, issues);
    issues.throwIfAny();
    const existing = await call.lookups.nominalByParts(b.nominalCode);
    if (existing) {
      if (call.options.attempt > 1 && existing.name === b.name) {
        return {
          record: await toRecord('chartOfAccounts', existing, call.lookups),
          warnings: issues.warnings,
          alreadyApplied: true,
        };
      }
      throw new PushValidationError(
        [
          {
            itemId: 'nominalCode',
            message: `Nominal code ${b.nominalCode} already exists ("${existing.name}", id ${existing.id}).`,
            validatorName: 'Sage200',
          },
        ],
        issues.warnings,
      );
    }
    const created = await call.client.post<SageRow>('nominal_codes', body, { retry: 'throttle-only' });
    return { record: await toRecord('chartOfAccounts', created, call.lookups), warnings: issues.warnings };
  },
  async update(call: WriteCall) {
    const issues = new Issues('Account');
    const b = parseBody(schemaFor('update'), call.body, issues, SUPPORTED) as Record<string, any>;
    const current = await call.lookups.byId<SageRow>('nominal_codes', call.recordId);
    if (!current)
      throw new ConnectorError('NotFound', `There is no account with id ${call.recordId} in this Sage 200 company.`);
    if (b.nominalCode && b.nominalCode !== current.reference)
      issues.error(
        'nominalCode',
        `A Sage 200 nominal code's reference cannot be changed (it is ${current.reference}).`,
      );
    const body = await fields({ ...b, nominalCode: undefined }, call.lookups, issues);
    issues.throwIfAny();
    await checkConcurrency('account', current, call.options);
    const updated = await call.client.put<SageRow>(`nominal_codes/${current.id}`, body);
    return { record: await toRecord('chartOfAccounts', updated ?? current, call.lookups), warnings: issues.warnings };
  },
  async delete(call: WriteCall) {
    const current = await call.lookups.byId<SageRow>('nominal_codes', call.recordId);
    if (!current)
      throw new ConnectorError('NotFound', `There is no account with id ${call.recordId} in this Sage 200 company.`);
    await call.client.delete(`nominal_codes/${current.id}`);
    return { record: { id: String(current.id) } };
  },
  async options(lookups: Lookups): Promise<PushOption> {
    const cats = await lookups.reportCategories();
    return {
      type: 'Object',
      displayName: 'Account',
      description: 'Creates a Sage 200 nominal code (POST /nominal_codes).',
      required: true,
      properties: {
        nominalCode: field('String', 'Nominal code', 'Sage reference, max 8 characters, unique', true, {
          validation: { warnings: [{ field: 'nominalCode', details: 'Max length 8 characters.' }], information: [] },
        }),
        name: field('String', 'Name', 'Max 60 characters', true),
        fullyQualifiedCategory: field(
          'String',
          'Report category',
          'Where the account appears in the financial statements',
          true,
          {
            options: cats.map((c) => {
              const info = mapCategory(c);
              return {
                value: `${info.type}.${info.description}`,
                type: 'String' as const,
                displayName: `${info.code} ${info.description}`,
                description: info.type,
                required: false,
              };
            }),
          },
        ),
        status: field('String', 'Status', 'Archived hides the account', false),
      },
    };
  },
};
