import type { ReportLine } from '../api/types.ts';
import { toNumber } from './format.ts';

// Turn one ReportLine tree per period into table rows: one row per account path, one value per period.

export interface StatementRow {
  key: string;
  name: string;
  depth: number;
  values: (number | null)[];
  kind: 'section' | 'line' | 'total';
}

interface Node {
  key: string;
  name: string;
  values: (number | null)[];
  children: Map<string, Node>;
}

function addTree(parent: Node, line: ReportLine | undefined, period: number, periods: number, keyPrefix: string) {
  if (!line) return;
  const id = `${keyPrefix}/${line.accountId ?? line.name}`;
  let node = parent.children.get(id);
  if (!node) {
    node = { key: id, name: line.name, values: Array(periods).fill(null), children: new Map() };
    parent.children.set(id, node);
  }
  const v = toNumber(line.value);
  node.values[period] = Number.isFinite(v) ? v : null;
  for (const child of line.items ?? []) addTree(node, child, period, periods, id);
}

function flatten(node: Node, depth: number, out: StatementRow[]) {
  const hasChildren = node.children.size > 0;
  if (hasChildren) {
    out.push({ key: `${node.key}#h`, name: node.name, depth, values: [], kind: 'section' });
    for (const c of node.children.values()) flatten(c, depth + 1, out);
    out.push({ key: node.key, name: `Total ${node.name}`, depth, values: node.values, kind: 'total' });
  } else {
    out.push({ key: node.key, name: node.name, depth, values: node.values, kind: depth === 0 ? 'total' : 'line' });
  }
}

/**
 * sections: the ReportLine tree name per period for each top-level part (e.g. assets, liabilities, equity),
 * totals: named single figures (e.g. netAssets) printed as bold total rows after the section they follow.
 */
export function buildStatement<R>(
  reports: R[],
  parts: { field: keyof R; label: string; kind: 'tree' | 'figure' }[],
): StatementRow[] {
  const rows: StatementRow[] = [];
  const periods = reports.length;
  for (const part of parts) {
    if (part.kind === 'figure') {
      rows.push({
        key: String(part.field),
        name: part.label,
        depth: 0,
        kind: 'total',
        values: reports.map((r) => {
          const n = toNumber(r[part.field]);
          return Number.isFinite(n) ? n : null;
        }),
      });
      continue;
    }
    const root: Node = { key: '', name: '', values: [], children: new Map() };
    reports.forEach((r, i) => {
      addTree(root, r[part.field] as ReportLine | undefined, i, periods, String(part.field));
    });
    for (const top of root.children.values()) {
      // Label the top line with the statement's own word ("Assets") when the platform's is generic.
      top.name = top.name || part.label;
      flatten(top, 0, rows);
    }
  }
  return rows;
}
