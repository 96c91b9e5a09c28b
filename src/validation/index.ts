// validateDataset: runs every rule that applies to a data type over its records.
import type { DataType, StandardRecord } from '../connectors/connector.ts';
import { RULES } from './rules.ts';
import type { Issue, Rule, ValidationContext, ValidationResult } from './types.ts';

export { RULES } from './rules.ts';
export type { Issue, Rule, Severity, ValidationContext, ValidationResult } from './types.ts';

/** Default rounding tolerance per document (money at Sage's 2 dp). */
export const DEFAULT_TOLERANCE = 0.01;

export function rulesFor(dataType: DataType): Rule[] {
  return RULES.filter((r) => r.dataTypes.includes(dataType));
}

export function validateDataset(
  dataType: DataType,
  records: Iterable<StandardRecord>,
  context: ValidationContext = {},
): ValidationResult {
  const ctx = { baseCurrency: context.baseCurrency ?? 'XXX', tolerance: context.tolerance ?? DEFAULT_TOLERANCE };
  const rules = rulesFor(dataType);
  const result: ValidationResult = { errors: [], warnings: [] };
  if (rules.length === 0) return result;
  for (const record of records) {
    for (const rule of rules) {
      const found = rule.check(record, ctx);
      if (!found) continue;
      for (const message of Array.isArray(found) ? found : [found]) {
        const issue: Issue = { ruleId: rule.ruleId, itemId: record.id, message, validatorName: rule.validatorName };
        (rule.severity === 'error' ? result.errors : result.warnings).push(issue);
      }
    }
  }
  return result;
}

/** A validator that can be fed page by page (large datasets) and read at the end. */
export function createDatasetValidator(dataType: DataType, context: ValidationContext = {}) {
  const result: ValidationResult = { errors: [], warnings: [] };
  return {
    add(records: Iterable<StandardRecord>) {
      const r = validateDataset(dataType, records, context);
      result.errors.push(...r.errors);
      result.warnings.push(...r.warnings);
    },
    result: () => result,
  };
}
