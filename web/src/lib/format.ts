// Display helpers. Values arrive as JSON numbers or decimal strings; we only format them, never accumulate.

export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return Number.NaN;
}

export function formatMoney(v: unknown, currency?: string | null): string {
  const n = toNumber(v);
  if (!Number.isFinite(n)) return '—';
  const opts: Intl.NumberFormatOptions = { minimumFractionDigits: 2, maximumFractionDigits: 2 };
  if (currency && /^[A-Z]{3}$/.test(currency) && currency !== 'XXX') {
    return new Intl.NumberFormat('en-GB', { ...opts, style: 'currency', currency }).format(n);
  }
  return new Intl.NumberFormat('en-GB', opts).format(n);
}

export function formatAmount(v: unknown): string {
  return formatMoney(v, null);
}

export function formatDate(v: unknown): string {
  if (typeof v !== 'string' || !v) return '—';
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) || v.length <= 10 ? v : `${v}Z`);
  if (Number.isNaN(d.getTime())) return v;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function formatDateTime(v: unknown): string {
  if (typeof v !== 'string' || !v) return '—';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return v;
  return d.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatMonth(v: unknown): string {
  if (typeof v !== 'string' || !v) return '—';
  const d = new Date(v.length <= 10 ? v : v.slice(0, 10));
  if (Number.isNaN(d.getTime())) return v;
  return d.toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "2026-11-25T..." -> "in 87 days" / "3 days ago". */
export function relativeDays(v: unknown, now = Date.now()): string {
  if (typeof v !== 'string') return '';
  const t = new Date(v).getTime();
  if (Number.isNaN(t)) return '';
  const days = Math.round((t - now) / 86_400_000);
  if (days === 0) return 'today';
  return days > 0 ? `in ${days} day${days === 1 ? '' : 's'}` : `${-days} day${days === -1 ? '' : 's'} ago`;
}

/** camelCase -> "Camel case" for column headings. */
export function humanize(key: string): string {
  const s = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}
