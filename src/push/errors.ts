// Errors a writer raises that the push core turns into a Failed push operation with field-level detail.
import { ConnectorError } from '../connectors/connector.ts';
import type { ValidationItem } from './types.ts';

/** The body failed validation before anything was sent (or Sage named a field). statusCode 400. */
export class PushValidationError extends ConnectorError {
  constructor(
    readonly errors: ValidationItem[],
    readonly warnings: ValidationItem[] = [],
    message = errors.map((e) => e.message).join('; '),
  ) {
    super('ValidationError', message);
    this.name = 'PushValidationError';
  }
}

/** The record changed in the source since the caller last saw it (optimistic concurrency). statusCode 409. */
export class PushConflictError extends ConnectorError {
  constructor(message: string) {
    super('ValidationError', message, { sourceStatus: 409 });
    this.name = 'PushConflictError';
  }
}

/** The operation cannot be done in this source (e.g. updating a posted ledger document). statusCode 400. */
export class PushNotSupportedError extends ConnectorError {
  constructor(message: string) {
    super('NotSupported', message);
    this.name = 'PushNotSupportedError';
  }
}

/**
 * Part of a multi-step write landed in the source and a later step failed (e.g. a receipt posted, its allocation
 * refused). Posted ledger documents cannot be removed through the API, so we say exactly what remains.
 */
export class PushPartialError extends ConnectorError {
  constructor(
    message: string,
    readonly record: { id: string } & Record<string, unknown>,
    readonly cause?: unknown,
  ) {
    super('ValidationError', message, cause instanceof ConnectorError ? cause.details : {});
    this.name = 'PushPartialError';
  }
}

export function issue(itemId: string, message: string, validatorName = 'Sage200'): ValidationItem {
  return { itemId, message, validatorName };
}
