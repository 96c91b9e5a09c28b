// Stable ids for synthetic and composite Sage references.

export const COST_CENTRES_ROOT = '__COST_CENTRES';
export const DEPARTMENTS_ROOT = '__DEPARTMENTS';

export const costCentreId = (code: string) => `${COST_CENTRES_ROOT}/${code}`;
export const departmentId = (code: string) => `${DEPARTMENTS_ROOT}/${code}`;

/** Tracking category refs for a nominal posting's cost centre and department (blank codes carry no tracking). */
export function trackingRefs(
  costCentre: string | null | undefined,
  department: string | null | undefined,
  names?: { costCentres: Map<string, string>; departments: Map<string, string> },
): { id: string; name: string | null }[] {
  const refs: { id: string; name: string | null }[] = [];
  const cc = costCentre?.trim();
  const dp = department?.trim();
  if (cc) refs.push({ id: costCentreId(cc), name: names?.costCentres.get(cc) ?? null });
  if (dp) refs.push({ id: departmentId(dp), name: names?.departments.get(dp) ?? null });
  return refs;
}

/** `trackingRefs` of many postings at once, without duplicates (first seen first), into `into` keyed by id. */
export function addTrackingRefs(
  into: Map<string, { id: string; name: string | null }>,
  costCentre: string | null | undefined,
  department: string | null | undefined,
  names?: { costCentres: Map<string, string>; departments: Map<string, string> },
): void {
  const cc = costCentre?.trim();
  const dp = department?.trim();
  if (cc) {
    const id = costCentreId(cc);
    if (!into.has(id)) into.set(id, { id, name: names?.costCentres.get(cc) ?? null });
  }
  if (dp) {
    const id = departmentId(dp);
    if (!into.has(id)) into.set(id, { id, name: names?.departments.get(dp) ?? null });
  }
}

/** Key of a Sage account: in Sage 200 an account is reference + cost centre + department. */
export function nominalKey(reference: unknown, costCentre: unknown, department: unknown): string {
  const s = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  return `${s(reference)}|${s(costCentre)}|${s(department)}`;
}

export const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
export const idStr = (v: unknown): string | null =>
  typeof v === 'number' || (typeof v === 'string' && v !== '') ? String(v) : null;
