// Posting a Sage ledger document exactly once. Ledger postings (invoices, credit notes, receipts, payments) are
// create-only and return just a URN; a retry after a crash, a timeout or a 5xx must not post again. So every posting
// carries a marker we control in `second_reference` (derived from the push operation key), the attempt is recorded
// durably before sending (PushStore.claim), and any try after the first looks for the marker before posting.
import { ConnectorError } from '../../connector.ts';
import type { Lookups } from './lookups.ts';
import type { SageRow, WriteCall } from './types.ts';

/** 20 characters (Sage's second_reference limit): "LL" + 18 hex digits of the push operation key. */
export function pushMarker(pushOperationKey: string): string {
  return `LL${pushOperationKey.replace(/-/g, '').slice(0, 18).toUpperCase()}`;
}

export const POSTED_EXPAND =
  'tax_analysis_items,nominal_analysis_items,allocation_session_items,allocation_history_items,bank_items';

export interface LedgerPosting {
  /** POST endpoint, e.g. sales_invoices */
  endpoint: string;
  /** where the posted transaction can be read, e.g. sales_posted_transactions */
  postedResource: string;
  body: Record<string, unknown>;
  /** progress key under which the posted id is saved (several postings per push use distinct keys) */
  step: string;
  /** trader_transaction_type of the posted row, to pick the right row of a multi-row URN */
  transactionType?: string;
}

export interface Posted {
  row: SageRow;
  /** true when an earlier try had already posted it (found by marker or saved progress) */
  alreadyApplied: boolean;
}

async function readPosted(lookups: Lookups, resource: string, id: unknown): Promise<SageRow | undefined> {
  return lookups.byId<SageRow>(resource, String(id), POSTED_EXPAND);
}

function pick(rows: SageRow[], type?: string): SageRow | undefined {
  return (type ? rows.find((r) => r.trader_transaction_type === type) : undefined) ?? rows[0];
}

export async function postOnce(call: WriteCall, p: LedgerPosting): Promise<Posted> {
  const { lookups, options } = call;
  const marker = String(p.body.second_reference);
  const progress = options.progress ?? {};
  const savedId = progress[`${p.step}Id`];
  if (savedId !== undefined) {
    const row = await readPosted(lookups, p.postedResource, savedId);
    if (row) return { row, alreadyApplied: true };
  }
  if (options.attempt > 1) {
    // An earlier try may have reached Sage (crash, timeout, 5xx after processing): look before posting again.
    const found = pick(
      await lookups.findBy(p.postedResource, 'second_reference', marker, POSTED_EXPAND),
      p.transactionType,
    );
    if (found) {
      call.logger.info({ marker, id: found.id }, 'sage200 push: found the earlier posting, not posting again');
      await options.saveProgress?.({ [`${p.step}Id`]: found.id });
      return { row: found, alreadyApplied: true };
    }
  }
  const res = await call.client.post<{ urn?: string | number } | undefined>(p.endpoint, p.body, {
    retry: 'throttle-only',
  });
  const urn = res && typeof res === 'object' ? res.urn : undefined;
  await options.saveProgress?.({ [`${p.step}Urn`]: urn ?? null });
  // Resolve the URN to the posted transaction (one URN may cover several rows); fall back to our marker.
  let rows: SageRow[] = [];
  if (urn !== undefined && urn !== null && /^\d+$/.test(String(urn))) {
    rows = await lookups.findBy(p.postedResource, 'urn', Number(urn), POSTED_EXPAND);
  }
  if (!rows.length) rows = await lookups.findBy(p.postedResource, 'second_reference', marker, POSTED_EXPAND);
  const row = pick(rows, p.transactionType);
  if (!row) {
    throw new ConnectorError(
      'FetchError',
      `Sage 200 accepted the ${p.endpoint} posting (URN ${urn ?? 'unknown'}) but the posted transaction could not be read back yet.`,
    );
  }
  await options.saveProgress?.({ [`${p.step}Id`]: row.id });
  return { row, alreadyApplied: false };
}
