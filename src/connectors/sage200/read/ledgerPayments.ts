// Sales receipts/refunds -> Codat payments; purchase payments/receipts -> Codat bill payments.
// Lines come from the allocation sessions: one line per document the payment was allocated to (link amount negative:
// it reduces that document's balance, as Codat's examples show), plus one PaymentOnAccount line for any unallocated
// remainder (link id = the customer/supplier id). Refunds carry negative amounts.
import type { StandardRecord } from '../../connector.ts';
import { currencyRate } from '../mapping/currency.ts';
import { sageDate, sageTimestamp } from '../mapping/dates.ts';
import { type Lookups, partyCurrency } from '../mapping/lookups.ts';
import { amount, amountAbs, amountIsZero, amountTimesSign, roundAmount } from '../mapping/money.ts';
import { str } from '../mapping/refs.ts';
import { type PostedTransaction, TRADER } from '../mapping/sage.ts';

type Side = 'sales' | 'purchase';

function linkType(side: Side, traderType: string | null | undefined): string {
  const t = traderType ?? '';
  if ((TRADER.invoice as readonly string[]).includes(t)) return side === 'sales' ? 'Invoice' : 'Bill';
  if ((TRADER.creditNote as readonly string[]).includes(t)) return 'CreditNote';
  if ((TRADER.payment as readonly string[]).includes(t)) return side === 'sales' ? 'Payment' : 'BillPayment';
  if ((TRADER.refund as readonly string[]).includes(t)) return 'Refund';
  return 'Other';
}

export function mapLedgerPayment(side: Side, t: PostedTransaction, lk: Lookups): StandardRecord {
  const partyId = side === 'sales' ? t.customer_id : t.supplier_id;
  const party = partyId != null ? (side === 'sales' ? lk.customers : lk.suppliers).get(partyId) : undefined;
  const currency = partyCurrency(lk, party);
  const rate = currency === lk.baseCurrency ? 1 : currencyRate(t.exchange_rate);
  const isRefund = (TRADER.refund as readonly string[]).includes(t.trader_transaction_type);
  const sign = isRefund ? -1 : 1;
  const gross = amountAbs(amount(t.document_gross_value));
  const lines: Record<string, unknown>[] = [];
  for (const a of t.allocation_session_items ?? []) {
    if (a.urn === t.urn) continue;
    const v = amountAbs(amount(a.allocation_value));
    if (amountIsZero(v)) continue;
    const target = a.urn != null ? lk.urns.get(a.urn) : undefined;
    lines.push({
      amount: roundAmount(amountTimesSign(v, sign)),
      links: [
        {
          type: linkType(side, target?.type ?? a.trader_transaction_type),
          id: target ? String(target.id) : null,
          amount: roundAmount(amountTimesSign(v, -sign)),
          currencyRate: rate,
        },
      ],
      allocatedOnDate: sageDate(a.allocation_date),
    });
  }
  const onAccount = amountAbs(amount(t.document_outstanding_value));
  if (!amountIsZero(onAccount))
    lines.push({
      amount: roundAmount(amountTimesSign(onAccount, sign)),
      links: [
        {
          type: 'PaymentOnAccount',
          id: partyId != null ? String(partyId) : null,
          amount: roundAmount(amountTimesSign(onAccount, -sign)),
          currencyRate: rate,
        },
      ],
      allocatedOnDate: sageDate(t.transaction_date),
    });
  const bank = t.bank_items?.[0];
  const bankInfo = bank?.bank_code ? lk.banks.get(bank.bank_code.trim()) : undefined;
  const ref = side === 'sales' ? 'customerRef' : 'supplierRef';
  const refName = side === 'sales' ? 'companyName' : 'supplierName';
  return {
    id: String(t.id),
    [ref]: partyId != null ? { id: String(partyId), [refName]: party?.name ?? null } : null,
    accountRef: bankInfo?.nominal ?? null,
    totalAmount: roundAmount(amountTimesSign(gross, sign)),
    currency,
    currencyRate: rate,
    date: sageDate(t.transaction_date) ?? sageDate(t.posted_date)!,
    note: str(t.second_reference) !== str(t.reference) ? str(t.second_reference) : null,
    reference: str(t.reference),
    lines,
    metadata: { isDeleted: false },
    sourceModifiedDate: sageTimestamp(t.date_time_updated),
  };
}
