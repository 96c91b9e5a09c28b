import { z } from 'zod';
import { accountRef, money, recordBase, taxRateRef } from './common.ts';

const itemSide = z.object({
  description: z.string().nullable(),
  unitPrice: money.nullable(),
  accountRef: accountRef.nullable(),
  taxRateRef: taxRateRef.nullable(),
});

/** Codat Item (2023 Accounting spec). */
export const itemSchema = z.object({
  ...recordBase,
  name: z.string().nullable(),
  code: z.string().nullable(),
  itemStatus: z.enum(['Unknown', 'Active', 'Archived']),
  type: z.enum(['Unknown', 'Inventory', 'NonInventory', 'Service']),
  isBillItem: z.boolean(),
  billItem: itemSide.nullable(),
  isInvoiceItem: z.boolean(),
  invoiceItem: itemSide.nullable(),
});
export type Item = z.infer<typeof itemSchema>;
