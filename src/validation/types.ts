import type { DataType, StandardRecord } from '../connectors/connector.ts';

/** One finding, in Codat's validation shape plus our stable ruleId. */
export interface Issue {
  ruleId: string;
  itemId: string;
  message: string;
  validatorName: string;
}
export type Severity = 'error' | 'warning';

export interface ValidationContext {
  /** company base currency (ISO 4217) when known */
  baseCurrency?: string;
  /** tolerance per document for rounding (default 0.01) */
  tolerance?: number;
}

export interface Rule {
  ruleId: string;
  severity: Severity;
  dataTypes: DataType[];
  validatorName: string;
  description: string;
  /** returns a message when the rule fires for this record */
  check(record: StandardRecord, ctx: Required<ValidationContext>): string | string[] | null;
}

export interface ValidationResult {
  errors: Issue[];
  warnings: Issue[];
}
