import type { ReactNode } from 'react';

export type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const SUCCESS = new Set(['Complete', 'Linked', 'Success', 'Enabled', 'Active', 'Delivered', 'Succeeded']);
const PENDING = new Set([
  'Queued',
  'Fetching',
  'Mapping',
  'MapQueued',
  'Validating',
  'ValidationQueued',
  'Processing',
  'ProcessingQueued',
  'Initial',
  'Pending',
  'PendingAuth',
]);
const WARN = new Set(['Unlinked', 'TimedOut', 'NotSupported', 'Cancelled', 'Disabled', 'Not synced']);

/** A badge for any Codat status word (dataset, connection, push). */
export function StatusBadge({ status }: { status?: string | null }) {
  const s = status ?? 'Not synced';
  const tone: Tone = SUCCESS.has(s) ? 'success' : PENDING.has(s) ? 'info' : WARN.has(s) ? 'warning' : 'danger';
  return <Badge tone={tone}>{s}</Badge>;
}
