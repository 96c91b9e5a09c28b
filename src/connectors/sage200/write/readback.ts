// After a write, the record is returned in the standard model using the READ mappers (src/connectors/sage200/read),
// so what a push returns and what a later sync reads agree field for field.
import type { DataType, StandardRecord } from '../../connector.ts';
import type { Lookups } from './lookups.ts';
import type { SageRow } from './types.ts';

export async function toRecord(dataType: DataType, row: SageRow, _lookups: Lookups): Promise<StandardRecord> {
  return { id: String(row.id), ...minimal(dataType, row) };
}

function minimal(dataType: DataType, row: SageRow): Record<string, unknown> {
  switch (dataType) {
    case 'customers':
      return { customerName: row.name ?? null };
    case 'suppliers':
      return { supplierName: row.name ?? null };
    default:
      return {};
  }
}
