// Errors in Codat's shape (ErrorMessage): every non-2xx response of the API carries this body.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';

export const SERVICE_NAME = 'Ledgerlink';

export interface ValidationItem {
  itemId: string;
  message: string;
  validatorName: string;
}

export const ValidationItemSchema = z.object({ itemId: z.string(), message: z.string(), validatorName: z.string() });
export const ErrorMessageSchema = z
  .object({
    statusCode: z.number().int(),
    service: z.string(),
    error: z.string(),
    correlationId: z.string(),
    validation: z.object({ errors: z.array(ValidationItemSchema), warnings: z.array(ValidationItemSchema) }),
    canBeRetried: z.string(),
    detailedErrorCode: z.number().int(),
  })
  .meta({ id: 'ErrorMessage' });
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;

/** Throw from any handler or service: the error handler turns it into a Codat error body. */
export class ApiError extends Error {
  readonly validation: { errors: ValidationItem[]; warnings: ValidationItem[] };
  readonly canBeRetried: boolean;
  readonly detailedErrorCode: number;
  readonly headers: Record<string, string>;
  constructor(
    readonly statusCode: number,
    message: string,
    options: {
      errors?: ValidationItem[];
      warnings?: ValidationItem[];
      canBeRetried?: boolean;
      detailedErrorCode?: number;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.validation = { errors: options.errors ?? [], warnings: options.warnings ?? [] };
    this.canBeRetried = options.canBeRetried ?? (statusCode === 429 || statusCode >= 500);
    this.detailedErrorCode = options.detailedErrorCode ?? 0;
    this.headers = options.headers ?? {};
  }

  static badRequest(message: string, errors: ValidationItem[] = []) {
    return new ApiError(400, message, { errors });
  }
  static notFound(message: string) {
    return new ApiError(404, message);
  }
  static conflict(message: string) {
    return new ApiError(409, message);
  }
  static unprocessable(message: string, errors: ValidationItem[] = []) {
    return new ApiError(422, message, { errors });
  }
}

export function errorBody(
  statusCode: number,
  message: string,
  correlationId: string,
  extra: Partial<Pick<ApiError, 'validation' | 'canBeRetried' | 'detailedErrorCode'>> = {},
): ErrorMessage {
  return {
    statusCode,
    service: SERVICE_NAME,
    error: message,
    correlationId,
    validation: extra.validation ?? { errors: [], warnings: [] },
    canBeRetried: String(extra.canBeRetried ?? (statusCode === 429 || statusCode >= 500)),
    detailedErrorCode: extra.detailedErrorCode ?? 0,
  };
}

const VALIDATOR_NAMES: Record<string, string> = {
  invalid_type: 'Type',
  unrecognized_keys: 'UnknownField',
  too_small: 'Range',
  too_big: 'Range',
  invalid_format: 'Format',
  invalid_value: 'AllowedValues',
  invalid_union: 'Type',
  not_multiple_of: 'Range',
  custom: 'Custom',
};

interface SchemaIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/** Zod issues (through fastify-type-provider-zod) -> Codat validation items with a dotted itemId per field. */
export function validationItems(issues: SchemaIssue[], context: string | undefined): ValidationItem[] {
  const items: ValidationItem[] = [];
  for (const issue of issues) {
    const path = issue.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
    const custom = (issue.params?.params as { validatorName?: string } | undefined)?.validatorName;
    const validatorName = custom ?? VALIDATOR_NAMES[issue.keyword] ?? 'Validation';
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys)) {
      for (const key of issue.params.keys as string[]) {
        const itemId = path ? `${path}.${key}` : key;
        items.push({ itemId, message: `Unknown field "${itemId}" is not allowed`, validatorName });
      }
      continue;
    }
    const itemId = path || (context ?? 'body');
    items.push({ itemId, message: issue.message, validatorName });
  }
  return items;
}

const CONTEXT_NAMES: Record<string, string> = {
  body: 'request body',
  querystring: 'query parameters',
  params: 'path parameters',
  headers: 'headers',
};

function statusMessage(err: FastifyError): { status: number; message: string } | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, message: `Malformed JSON in the request body: ${err.message}` };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: 'Request body is too large; send a smaller payload' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: 'Unsupported Content-Type; send application/json' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, message: 'Content-Length does not match the body' };
    default:
      return null;
  }
}

/** Fastify error handler: every error becomes a Codat ErrorMessage; 5xx details stay in the log only. */
export function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const correlationId = String(request.id);
  if (err instanceof ApiError) {
    if (err.statusCode >= 500) request.log.error({ err }, 'request failed');
    return reply
      .code(err.statusCode)
      .headers(err.headers)
      .send(errorBody(err.statusCode, err.message, correlationId, err));
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = err.validationContext;
    const errors = validationItems(err.validation as unknown as SchemaIssue[], context);
    const where = CONTEXT_NAMES[context ?? ''] ?? 'request';
    const first = errors[0];
    const message = `Invalid ${where}: ${first ? `${first.itemId}: ${first.message}` : 'see validation.errors'}`;
    return reply.code(400).send(errorBody(400, message, correlationId, { validation: { errors, warnings: [] } }));
  }
  const known = statusMessage(err);
  if (known) return reply.code(known.status).send(errorBody(known.status, known.message, correlationId));
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send(errorBody(status, err.message, correlationId));
  }
  request.log.error({ err }, 'unhandled error');
  return reply
    .code(500)
    .send(
      errorBody(
        500,
        `An unexpected error occurred; retry later, and if it persists report correlation id ${correlationId}`,
        correlationId,
      ),
    );
}
