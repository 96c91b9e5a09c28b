// Terminal rendering for `ledgerlink sync`: one progress bar per data type while running, then a summary table.
import type { DatasetRow } from './datasets.ts';

const BAR = 24;
const DONE = new Set(['Complete']);

function bar(progress: number): string {
  const filled = Math.round((Math.max(0, Math.min(100, progress)) / 100) * BAR);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}]`;
}

function seconds(d: DatasetRow, now: Date): string {
  const start = Date.parse(d.started ?? d.requested);
  const end = d.completed ? Date.parse(d.completed) : now.getTime();
  return `${((end - start) / 1000).toFixed(1)}s`;
}

export function progressLines(rows: DatasetRow[], now: Date): string[] {
  const w = Math.max(8, ...rows.map((r) => r.data_type.length));
  return rows.map(
    (r) =>
      `${r.data_type.padEnd(w)} ${bar(r.progress)} ${String(r.progress).padStart(3)}%  ${r.status.padEnd(15)} ${String(r.records_fetched).padStart(9)} records  ${seconds(r, now)}`,
  );
}

export function summaryTable(rows: DatasetRow[], now: Date): string {
  const head = ['Data type', 'Records', 'Modified', 'Deleted', 'Duration', 'Status'];
  const body = rows.map((r) => [
    r.data_type,
    String(r.records_fetched),
    String(r.records_modified),
    String(r.records_deleted),
    seconds(r, now),
    r.status + (r.error_message && !DONE.has(r.status) ? `: ${r.error_message}` : ''),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (i === 5 ? 0 : b[i].length))));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 5 ? c : i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(head), `${widths.map((n) => '-'.repeat(n)).join('  ')}  ------`, ...body.map(fmt)].join('\n');
}

/** Redraws in place on a TTY; prints a line per status change otherwise (logs, CI). */
export function createProgressRenderer(out: NodeJS.WriteStream) {
  let drawn = 0;
  const seen = new Map<string, string>();
  return (rows: DatasetRow[], now: Date) => {
    if (out.isTTY) {
      if (drawn) out.write(`\x1b[${drawn}A`);
      const lines = progressLines(rows, now);
      out.write(lines.map((l) => `\x1b[2K${l}\n`).join(''));
      drawn = lines.length;
    } else {
      for (const line of progressLines(rows, now)) {
        const [type] = line.split(' ', 1);
        const key = rows.find((r) => r.data_type === type);
        const state = `${key?.status}:${Math.floor((key?.progress ?? 0) / 25)}`;
        if (seen.get(type) !== state) {
          seen.set(type, state);
          out.write(`${line}\n`);
        }
      }
    }
  };
}
