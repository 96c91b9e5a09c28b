// Pre-send validation helpers: zod parsing with field-level issues in Codat's validation shape, warnings for fields
// Sage cannot take ("X is not supported, and will be ignored"), and Sage's own limits.
import type { z } from 'zod';
import { PushValidationError } from '../../../push/errors.ts';
import type { ValidationItem } from '../../../push/types.ts';

/** Fields every record carries that are read-only: never sent, never warned about. */
const READ_ONLY = new Set(['id', 'modifiedDate', 'sourceModifiedDate', 'metadata', 'supplementalData']);

export class Issues {
  readonly errors: ValidationItem[] = [];
  readonly warnings: ValidationItem[] = [];
  constructor(readonly validatorName: string) {}

  error(itemId: string, message: string): void {
    this.errors.push({ itemId, message, validatorName: this.validatorName });
  }
  warn(itemId: string, message: string): void {
    this.warnings.push({ itemId, message, validatorName: this.validatorName });
  }
  maxLength(itemId: string, value: unknown, max: number, label = itemId): void {
    if (typeof value === 'string' && value.length > max) {
      this.error(
        itemId,
        `${label} must not be longer than ${max} characters (Sage 200 limit); it has ${value.length}.`,
      );
    }
  }
  /** Throws a PushValidationError when any error was recorded: nothing is sent. */
  throwIfAny(): void {
    if (this.errors.length) throw new PushValidationError(this.errors, this.warnings);
  }
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Parses `body` with `schema`; every zod issue becomes a field-level error. Unknown fields become warnings. */
export function parseBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  issues: Issues,
  supported: readonly string[],
): z.infer<S> {
  const result = schema.safeParse(body);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const known = new Set(supported);
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (READ_ONLY.has(key) || known.has(key) || value === null || value === undefined) continue;
      issues.warn(key, `${upperFirst(key)} is not supported, and will be ignored.`);
    }
  }
  if (!result.success) {
    for (const i of result.error.issues) {
      const path = i.path.map(String).join('.') || 'body';
      issues.error(path, `${path}: ${i.message}`);
    }
    issues.throwIfAny();
  }
  return result.data as z.infer<S>;
}

/** Codat dates are ISO 8601 (date or datetime); Sage rejects bare dates on document fields, so send midnight UTC. */
export function sageDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const day = value.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00Z` : undefined;
}

/** A Sage date/time (with or without Z) as an ISO instant, for comparisons. */
export function sageInstant(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const t = Date.parse(withZone);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
