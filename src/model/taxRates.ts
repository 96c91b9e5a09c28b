import { z } from 'zod';
import { recordBase, recordStatus } from './common.ts';

/** Codat TaxRate (Sync for Payables v1). Percentages are 0-100. */
export const taxRateSchema = z.object({
  ...recordBase,
  name: z.string().nullable(),
  code: z.string().nullable(),
  status: recordStatus,
  effectiveTaxRate: z.number(),
  totalTaxRate: z.number(),
  components: z.array(z.object({ name: z.string().nullable(), rate: z.number(), isCompound: z.boolean() })),
  validDatatypeLinks: z
    .array(z.object({ property: z.string().nullable(), links: z.array(z.string()).nullable() }))
    .optional(),
});
export type TaxRate = z.infer<typeof taxRateSchema>;
