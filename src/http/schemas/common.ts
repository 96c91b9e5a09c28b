// Schemas shared by route files: error responses, paging query, ids.
import { z } from 'zod';
import { ErrorMessageSchema } from '../errors.ts';

export { ListQuerySchema, PageEnvelopeSchema } from '../../query/paging.ts';

/** Standard error responses to list in a route's `response` (documents them in OpenAPI). */
export const errorResponses = {
  400: ErrorMessageSchema,
  401: ErrorMessageSchema,
  404: ErrorMessageSchema,
} as const;

export const uuidParam = (name: string) => z.string().describe(`${name} (uuid)`);

/** A string field refused when it contains whitespace anywhere, with a Codat validation item naming the field. */
export function noWhitespace(label: string) {
  return z
    .string({ message: `${label} must be a string` })
    .min(1, `${label} is required`)
    .max(1000, `${label} is too long`)
    .refine((v) => !/\s/.test(v), {
      message: `${label} must not contain spaces`,
      params: { validatorName: 'NoWhitespace' },
    });
}
