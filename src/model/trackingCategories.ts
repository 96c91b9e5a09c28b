import { z } from 'zod';
import { recordBase, recordStatus } from './common.ts';

/** Codat AccountingTrackingCategory. Sage cost centres and departments as a two-level tree. */
export const trackingCategorySchema = z.object({
  ...recordBase,
  name: z.string().nullable(),
  status: recordStatus,
  parentId: z.string().nullable(),
  hasChildren: z.boolean(),
});
export type TrackingCategory = z.infer<typeof trackingCategorySchema>;
