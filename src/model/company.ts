import { z } from 'zod';
import { address, currencyCode, isoDateTime, phoneNumber, supplementalData } from './common.ts';

/** Codat AccountingCompanyInfo (data type `company`, URL `/data/info`). `id` is our storage key, always "company". */
export const companySchema = z.object({
  id: z.string(),
  companyName: z.string().nullable(),
  accountingPlatformRef: z.string().nullable().optional(),
  companyLegalName: z.string().nullable().optional(),
  addresses: z.array(address),
  phoneNumbers: z.array(phoneNumber),
  webLinks: z.array(z.object({ type: z.enum(['Website', 'Social', 'Unknown']), url: z.string() })),
  ledgerLockDate: isoDateTime.nullable().optional(),
  registrationNumber: z.string().nullable().optional(),
  taxNumber: z.string().nullable().optional(),
  financialYearStartDate: isoDateTime.nullable().optional(),
  baseCurrency: currencyCode.nullable(),
  sourceUrls: z.record(z.string(), z.string()).nullable().optional(),
  createdDate: isoDateTime.nullable().optional(),
  supplementalData: supplementalData.optional(),
  sourceModifiedDate: isoDateTime.nullable().optional(),
});
export type Company = z.infer<typeof companySchema>;
