import { describe, expect, it } from 'vitest';
import { newSortableId, UUID_PATTERN } from './ids.ts';

describe('newSortableId', () => {
  it('sorts in creation order within one millisecond and across milliseconds', () => {
    const ids = [
      newSortableId(1000),
      newSortableId(1000),
      newSortableId(1000),
      newSortableId(1001),
      newSortableId(1001),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_PATTERN);
  });
});
