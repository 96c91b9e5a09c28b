// Zod schemas of the platform resources (Codat's Company, Connection, ApiKeyDetails), shared by routes and the
// typed client.
import { z } from 'zod';

export const DataConnectionErrorSchema = z.object({
  statusCode: z.string().nullable(),
  statusText: z.string().nullable(),
  errorMessage: z.string().nullable(),
  erroredOnUtc: z.string(),
  status: z.enum(['Active', 'Resolved']).nullable(),
  resolvedOnUtc: z.string().nullable(),
});

export const ConnectionSchema = z
  .object({
    id: z.string(),
    integrationId: z.string(),
    integrationKey: z.string(),
    sourceId: z.string(),
    sourceType: z.string(),
    platformName: z.string(),
    linkUrl: z.string(),
    status: z.enum(['PendingAuth', 'Linked', 'Unlinked', 'Deauthorized']),
    lastSync: z.string().nullable(),
    created: z.string(),
    dataConnectionErrors: z.array(DataConnectionErrorSchema),
    connectionInfo: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'Connection' });

export const TagsSchema = z
  .record(
    z.string().min(1, 'Tag keys must be 1 to 27 characters').max(27, 'Tag keys must be 1 to 27 characters'),
    z.string().max(100, 'Tag values must be at most 100 characters'),
  )
  .refine((t) => Object.keys(t).length <= 10, { message: 'A company can have at most 10 tags' });

export const CompanySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    redirect: z.string().describe('the hosted Link URL for this company'),
    lastSync: z.string().nullable(),
    created: z.string(),
    createdByUserName: z.string().nullable(),
    products: z.array(z.string()),
    tags: z.record(z.string(), z.string()),
    referenceParentCompany: z.null(),
    referenceSubsidiaryCompanies: z.array(z.never()),
    dataConnections: z.array(ConnectionSchema),
  })
  .meta({ id: 'Company' });

const nameField = z
  .string({ message: 'name must be a string' })
  .min(1, 'name is required')
  .max(255, 'name must be at most 255 characters');

/** Create: characters outside the pattern are stripped (Codat behaviour), so only type and length are checked. */
export const CreateCompanyBody = z.strictObject({
  name: nameField,
  description: z.string().max(2000, 'description must be at most 2000 characters').nullable().optional(),
  tags: TagsSchema.optional(),
});

const patternedName = nameField.regex(/^[A-Za-z0-9\s\-',&@.,?!]+$/, {
  message: "name may contain only letters, digits, spaces and - ' , & @ . ? !",
});

export const UpdateCompanyBody = z.strictObject({
  name: patternedName,
  description: z.string().max(2000).nullable().optional(),
  tags: TagsSchema.optional(),
});
export const PatchCompanyBody = z.strictObject({
  name: patternedName.optional(),
  description: z.string().max(2000).nullable().optional(),
  tags: TagsSchema.optional(),
});

export const CreateConnectionBody = z.strictObject({
  platformKey: z.string({ message: 'platformKey is required, e.g. "jcrp" for Sage 200cloud' }).min(1).max(64),
});
export const PatchConnectionBody = z.strictObject({
  status: z.literal('Unlinked', { message: 'status can only be set to "Unlinked"' }),
});

export const ApiKeyDetailsSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    createdUtc: z.string(),
    createdDate: z.string().describe('same as createdUtc (Codat field name)'),
  })
  .meta({ id: 'ApiKeyDetails' });
export const CreatedApiKeySchema = ApiKeyDetailsSchema.extend({
  apiKey: z.string().describe('shown once, at creation'),
});
export const CreateApiKeyBody = z.strictObject({
  name: z.string().min(1, 'name must not be empty').max(50, 'name must be at most 50 characters').optional(),
});
