// The push (write-back) model in Codat's shape: PushOperation, its statuses, changes and validation items.
import { z } from 'zod';

export const PUSH_STATUSES = ['Pending', 'Failed', 'Success', 'TimedOut'] as const;
export type PushStatus = (typeof PUSH_STATUSES)[number];

export type PushOperationKind = 'create' | 'update' | 'delete';

export const validationItemSchema = z.object({
  itemId: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
  validatorName: z.string().nullable().optional(),
});
export type ValidationItem = z.infer<typeof validationItemSchema>;

export const pushChangeSchema = z.object({
  type: z.enum(['Unknown', 'Created', 'Modified', 'Deleted', 'AttachmentUploaded']),
  recordRef: z.object({ id: z.string(), dataType: z.string().nullable().optional() }),
  attachmentId: z.string().nullable().optional(),
});
export type PushChange = z.infer<typeof pushChangeSchema>;

export const pushOperationSchema = z.object({
  pushOperationKey: z.string(),
  companyId: z.string(),
  dataConnectionKey: z.string(),
  dataType: z.string(),
  requestedOnUtc: z.string(),
  completedOnUtc: z.string().nullable().optional(),
  timeoutInMinutes: z.number().int().nullable().optional(),
  status: z.enum(PUSH_STATUSES),
  statusCode: z.number().int(),
  errorMessage: z.string().nullable().optional(),
  validation: z.object({
    errors: z.array(validationItemSchema).nullable().optional(),
    warnings: z.array(validationItemSchema).nullable().optional(),
  }),
  changes: z.array(pushChangeSchema).nullable().optional(),
});
export type PushOperation = z.infer<typeof pushOperationSchema>;

/** What a connector's writer hands back besides the record (see src/connectors/connector.ts PushResult). */
export interface PushOutcome {
  record: { id: string } & Record<string, unknown>;
  /** "X is not supported, and will be ignored" and similar */
  warnings?: ValidationItem[];
  /** what a retry found already done in the source (no second posting) */
  alreadyApplied?: boolean;
}

/** Extra facts a writer needs beyond the body: our push key (the no-double-post marker) and concurrency inputs. */
export interface PushCallOptions {
  pushOperationKey: string;
  /** 1 for the first try; >1 means an earlier try may have reached the source */
  attempt: number;
  forceUpdate?: boolean;
  /** sourceModifiedDate the caller last saw (from the body or our synced copy), for optimistic concurrency */
  expectedSourceModifiedDate?: string | null;
  /** workflow progress saved by earlier tries (e.g. {receiptId}); writers add to it through `saveProgress` */
  progress?: Record<string, unknown>;
  saveProgress?: (progress: Record<string, unknown>) => Promise<void>;
}

/** Codat's PushOption tree (GET .../options/{dataType}). */
export type PushOptionType = 'Array' | 'Object' | 'String' | 'Number' | 'Boolean' | 'DateTime' | 'File' | 'MultiPart';
export interface PushOptionChoice {
  value: string;
  type?: PushOptionType;
  displayName?: string;
  description?: string;
  required?: boolean;
}
export interface PushOptionProperty {
  type: PushOptionType;
  displayName: string;
  description: string;
  required: boolean;
  properties?: Record<string, PushOptionProperty> | null;
  options?: PushOptionChoice[] | null;
  validation?: {
    warnings?: { field?: string; details: string }[] | null;
    information?: { field?: string; details: string }[] | null;
  };
}
export type PushOption = Omit<PushOptionProperty, 'description'> & { description?: string };
