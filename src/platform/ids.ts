// Identifiers and clock helpers shared by the platform repositories.
import { randomUUID } from 'node:crypto';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
export const newId = (): string => randomUUID();
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let lastMs = 0;
let seq = 0;
/**
 * A UUIDv7-style id that sorts by creation order, even for rows created in the same millisecond by this process
 * (a 12-bit sequence fills the rand_a field). Used where rows are listed in insertion order, e.g. connection errors.
 */
export function newSortableId(now: number = Date.now()): string {
  if (now <= lastMs) {
    seq += 1;
    if (seq > 0xfff) {
      lastMs += 1;
      seq = 0;
    }
  } else {
    lastMs = now;
    seq = 0;
  }
  const hex =
    lastMs.toString(16).padStart(12, '0') + (0x7000 | seq).toString(16) + randomUUID().replace(/-/g, '').slice(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
