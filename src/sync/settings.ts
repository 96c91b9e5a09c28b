// Sync settings (Codat SyncSetting): per tenant ("profile") with per-company overrides. Defaults: every data type
// fetched on first link and refreshed daily; financial statements limited to 24 months (Codat's default).
import { z } from 'zod';
import { DATA_TYPES } from '../connectors/connector.ts';
import type { Db } from './tables.ts';

export const REPORT_TYPES = new Set(['balanceSheet', 'profitAndLoss']);
/** Computed from other data, never synced on their own. */
export const COMPUTED_TYPES = new Set(['agedDebtor', 'agedCreditor']);
export const SYNCABLE_TYPES = DATA_TYPES.filter((t) => !COMPUTED_TYPES.has(t));

export const SyncSettingSchema = z.object({
  dataType: z.string().refine((t) => (SYNCABLE_TYPES as readonly string[]).includes(t), {
    message: `dataType must be one of: ${SYNCABLE_TYPES.join(', ')}`,
  }),
  fetchOnFirstLink: z.boolean(),
  /** hours between refreshes; 0 = never on a schedule */
  syncSchedule: z
    .number()
    .int()
    .min(0)
    .max(24 * 366),
  syncOrder: z.number().int().min(0),
  syncFromUtc: z.iso.datetime({ offset: true }).nullish(),
  syncFromWindow: z.number().int().min(1).max(1200).nullish(),
  monthsToSync: z.number().int().min(1).max(120).nullish(),
  isLocked: z.boolean().optional(),
});
export type SyncSetting = z.infer<typeof SyncSettingSchema>;

/**
 * Default `syncOrder`: the data types that take longest first, then the rest, so a sync of everything does not leave
 * one long dataset running alone at the end. In a full sync the ledgers dominate: journal entries and invoices. In
 * an incremental sync the ledgers shrink to their new postings, and customers and suppliers (thousands of rows with
 * nested contacts, edited more often than anything but postings) are often the largest reads: they come third and
 * fourth, which costs a full sync nothing (its journal entries run longer than everything else together).
 * Statements are read whole every time, so they come before the small reference types.
 */
const LARGEST_FIRST = [
  'journalEntries',
  'invoices',
  'customers',
  'suppliers',
  'bankTransactions',
  'payments',
  'bills',
  'billPayments',
  'creditNotes',
  'billCreditNotes',
  'salesOrders',
  'purchaseOrders',
  'balanceSheet',
  'profitAndLoss',
];

function defaultSyncOrder(dataType: string): number {
  const i = LARGEST_FIRST.indexOf(dataType);
  return i >= 0 ? i : LARGEST_FIRST.length + Math.max(0, (SYNCABLE_TYPES as readonly string[]).indexOf(dataType));
}

export function defaultSetting(dataType: string): SyncSetting {
  return {
    dataType,
    fetchOnFirstLink: true,
    syncSchedule: 24,
    syncOrder: defaultSyncOrder(dataType),
    ...(REPORT_TYPES.has(dataType) ? { monthsToSync: 24 } : {}),
    isLocked: false,
  };
}

async function stored(db: Db, tenantId: string, companyId: string): Promise<Map<string, SyncSetting>> {
  const rows = await db
    .selectFrom('sync_settings')
    .select(['data_type', 'settings'])
    .where('tenant_id', '=', tenantId)
    .where('company_id', '=', companyId)
    .execute();
  return new Map(rows.map((r) => [r.data_type, JSON.parse(r.settings) as SyncSetting]));
}

/** Tenant-wide settings: defaults overlaid with what the tenant saved. */
export async function profileSettings(db: Db, tenantId: string): Promise<SyncSetting[]> {
  const saved = await stored(db, tenantId, '');
  return SYNCABLE_TYPES.map((t) => saved.get(t) ?? defaultSetting(t)).sort((a, b) => a.syncOrder - b.syncOrder);
}

/** A company's effective settings: profile overlaid with the company's overrides. */
export async function companySettings(db: Db, tenantId: string, companyId: string): Promise<SyncSetting[]> {
  const profile = await profileSettings(db, tenantId);
  const own = await stored(db, tenantId, companyId);
  return profile.map((p) => own.get(p.dataType) ?? p);
}

export async function saveSettings(
  db: Db,
  tenantId: string,
  companyId: string,
  settings: SyncSetting[],
  overridesDefaults: boolean,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const s of settings) {
      const row = {
        tenant_id: tenantId,
        company_id: companyId,
        data_type: s.dataType,
        settings: JSON.stringify(s),
        overrides_defaults: overridesDefaults ? 1 : 0,
        updated: now.toISOString(),
      };
      await trx
        .insertInto('sync_settings')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'company_id', 'data_type']).doUpdateSet({
            settings: row.settings,
            overrides_defaults: row.overrides_defaults,
            updated: row.updated,
          }),
        )
        .execute();
    }
  });
}

/** The earliest date a sync should read (syncFromUtc, syncFromWindow, or monthsToSync for statements). */
export function fromDateFor(s: SyncSetting | undefined, now: Date): Date | undefined {
  if (!s) return undefined;
  if (REPORT_TYPES.has(s.dataType)) {
    const months = s.monthsToSync ?? 24;
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1));
  }
  if (s.syncFromUtc) return new Date(s.syncFromUtc);
  if (s.syncFromWindow)
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - s.syncFromWindow, now.getUTCDate()));
  return undefined;
}
