import { z } from 'zod';
import { accountRef, currencyCode, isoDateTime, money, recordBase } from './common.ts';

export const journalLine = z.object({
  description: z.string().nullable(),
  /** base currency; debits positive, credits negative */
  netAmount: money,
  currency: currencyCode.nullable(),
  accountRef: accountRef.nullable(),
  tracking: z
    .object({
      recordRefs: z.array(
        z.object({ id: z.string(), dataType: z.enum(['customers', 'suppliers', 'trackingCategories']) }),
      ),
    })
    .nullable()
    .optional(),
});

/** Codat AccountingJournalEntry: one Sage posting (URN) with its balanced nominal lines. */
export const journalEntrySchema = z.object({
  ...recordBase,
  description: z.string().nullable(),
  postedOn: isoDateTime,
  createdOn: isoDateTime.nullable(),
  updatedOn: isoDateTime.nullable(),
  journalRef: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  journalLines: z.array(journalLine),
  recordRef: z.object({ id: z.string(), dataType: z.string() }).nullable().optional(),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;
