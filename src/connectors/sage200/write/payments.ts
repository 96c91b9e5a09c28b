// Payments (sales receipts + allocation to the invoices named) and bill payments (purchase payments). A workflow of
// two steps for receipts: post the receipt once (marker), then allocate it; when the allocation fails the receipt
// stays posted on the customer's account and the push says exactly that (posted documents cannot be removed).
import { z } from 'zod';
import { PushPartialError } from '../../../push/errors.ts';
import type { PushOption } from '../../../push/types.ts';
import { ConnectorError, type DataType } from '../../connector.ts';
import { POSTED_EXPAND, postOnce, pushMarker } from './ledger.ts';
import type { Lookups } from './lookups.ts';
import { close, dec, fmt, num2, sum } from './money.ts';
import { bankChoices, currencyChoices, field } from './options.ts';
import { toRecord } from './readback.ts';
import type { SageRow, WriteCall, Writer } from './types.ts';
import { Issues, parseBody, sageDate } from './validate.ts';

const amount = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
const ref = z.object({ id: z.string().min(1) }).passthrough();

export interface PaymentKind {
  dataType: Extract<DataType, 'payments' | 'billPayments'>;
  label: string;
  side: 'sales' | 'purchase';
  endpoint: 'sales_receipts' | 'purchase_payments';
  postedResource: 'sales_posted_transactions' | 'purchase_posted_transactions';
  traderRef: 'customerRef' | 'supplierRef';
  documentLink: 'Invoice' | 'Bill';
}

function schemaFor(kind: PaymentKind) {
  return z
    .object({
      [kind.traderRef]: ref,
      accountRef: ref,
      totalAmount: amount,
      date: z.string().min(10),
      currency: z.string().length(3).nullish(),
      currencyRate: amount.nullish(),
      reference: z.string().nullish(),
      lines: z
        .array(
          z
            .object({
              amount,
              links: z
                .array(z.object({ type: z.string(), id: z.string().nullish(), amount: amount.nullish() }).passthrough())
                .nullish(),
              allocatedOnDate: z.string().nullish(),
            })
            .passthrough(),
        )
        .nullish(),
    })
    .passthrough();
}

const SUPPORTED = [
  'customerRef',
  'supplierRef',
  'accountRef',
  'totalAmount',
  'date',
  'currency',
  'currencyRate',
  'reference',
  'lines',
];
const RECEIPT_TYPE = 'TradingAccountEntryTypePurchasePaymentSalesReceipt';

interface Allocation {
  id: number;
  value: ReturnType<typeof dec>;
  link: string;
}

export function paymentWriter(kind: PaymentKind): Writer {
  const traderLabel = kind.side === 'sales' ? 'customer' : 'supplier';
  return {
    dataType: kind.dataType,
    refusals: {
      update: `Sage 200 posts ${kind.label}s straight to the ledger; posted ${kind.label}s cannot be changed through the Sage 200 API.`,
      delete: `Sage 200 posts ${kind.label}s straight to the ledger; posted ${kind.label}s cannot be deleted through the Sage 200 API.`,
    },

    async create(call: WriteCall) {
      const { lookups } = call;
      const issues = new Issues(kind.side === 'sales' ? 'Payment' : 'BillPayment');
      const b = parseBody(schemaFor(kind), call.body, issues, SUPPORTED) as Record<string, any>;
      const trader = (await (kind.side === 'sales'
        ? lookups.customer(b[kind.traderRef].id)
        : lookups.supplier(b[kind.traderRef].id))) as SageRow | undefined;
      if (!trader) {
        issues.error(
          `${kind.traderRef}.id`,
          `${kind.traderRef}.id "${b[kind.traderRef].id}" is not a ${traderLabel} in this Sage 200 company.`,
        );
        issues.throwIfAny();
      }
      const t = trader as SageRow;
      const bank = await lookups.bankFromAccountRef(b.accountRef.id);
      if (!bank)
        issues.error(
          'accountRef.id',
          `accountRef.id "${b.accountRef.id}" is not a Sage 200 bank account (give a bank account id, or the id of a bank's nominal account).`,
        );
      const total = dec(b.totalAmount);
      if (total.lte(0)) issues.error('totalAmount', 'totalAmount must be positive (refunds are not supported yet).');
      if (!sageDate(b.date)) issues.error('date', 'date must be an ISO 8601 date.');
      issues.maxLength('reference', b.reference, 20);
      const traderCurrency = await lookups.currencyById(t.currency_id as number | undefined);
      const iso = traderCurrency?.currency_iso_code?.code;
      if (b.currency && iso && b.currency.toUpperCase() !== iso.toUpperCase()) {
        issues.error(
          'currency',
          `The ${traderLabel} trades in ${iso}; the ${kind.label} must be in that currency, not ${b.currency}.`,
        );
      }

      // A retry whose earlier try already posted and allocated: the documents are no longer outstanding because of
      // us, so the outstanding check below must not fail it (the posting step then finds the receipt by marker).
      const prior =
        call.options.attempt > 1
          ? (
              await lookups.findBy<SageRow>(
                kind.postedResource,
                'second_reference',
                pushMarker(call.options.pushOperationKey),
              )
            )[0]
          : undefined;
      const allocationDone = !!prior && !dec(prior.document_allocated_value).isZero();

      // Lines and links: Codat's invariants (Σ line.amount = totalAmount; line.amount + Σ link.amount = 0).
      const allocations: Allocation[] = [];
      const lines = (b.lines ?? []) as Record<string, any>[];
      if (lines.length) {
        const lineTotal = sum(lines.map((l) => dec(l.amount)));
        if (!close(lineTotal, total))
          issues.error(
            'lines',
            `The sum of lines[].amount (${fmt(lineTotal)}) must equal totalAmount (${fmt(total)}).`,
          );
      }
      for (const [i, line] of lines.entries()) {
        const links = (line.links ?? []) as Record<string, any>[];
        const linked = sum(links.filter((l) => l.type !== 'PaymentOnAccount').map((l) => dec(l.amount)));
        if (
          links.length &&
          !links.every((l) => l.type === 'PaymentOnAccount') &&
          !close(dec(line.amount).plus(linked), dec(0))
        ) {
          issues.error(
            `lines[${i}]`,
            `lines[${i}].amount ${fmt(dec(line.amount))} plus its links' amounts (${fmt(linked)}) must be 0.`,
          );
        }
        for (const [j, link] of links.entries()) {
          const at = `lines[${i}].links[${j}]`;
          if (link.type === 'PaymentOnAccount') continue;
          if (link.type !== kind.documentLink && link.type !== 'CreditNote') {
            issues.error(
              `${at}.type`,
              `Link type ${link.type} is not supported for Sage 200 ${kind.label}s (use ${kind.documentLink}, CreditNote or PaymentOnAccount).`,
            );
            continue;
          }
          const doc = await lookups.byId<SageRow>(kind.postedResource, link.id);
          const traderField = kind.side === 'sales' ? 'customer_id' : 'supplier_id';
          if (!doc || doc[traderField] !== t.id) {
            issues.error(
              `${at}.id`,
              `${at}.id "${link.id}" is not a posted ${link.type === 'CreditNote' ? 'credit note' : kind.documentLink.toLowerCase()} of this ${traderLabel}.`,
            );
            continue;
          }
          const value = dec(link.amount).abs();
          const outstanding = dec(doc.document_outstanding_value).abs();
          if (!allocationDone && value.gt(outstanding.plus(0.0001))) {
            issues.error(
              `${at}.amount`,
              `${at} allocates ${fmt(value)} but only ${fmt(outstanding)} is outstanding on ${doc.reference ?? doc.id}.`,
            );
            continue;
          }
          allocations.push({ id: Number(doc.id), value, link: link.type });
        }
      }
      issues.throwIfAny();

      const posted = await postOnce(call, {
        endpoint: kind.endpoint,
        postedResource: kind.postedResource,
        step: 'payment',
        transactionType: kind.side === 'sales' ? RECEIPT_TYPE : RECEIPT_TYPE,
        body: {
          [kind.side === 'sales' ? 'customer_id' : 'supplier_id']: t.id,
          bank_id: bank!.id,
          cheque_value: num2(total),
          transaction_date: sageDate(b.date),
          ...(b.reference ? { reference: b.reference } : {}),
          second_reference: pushMarker(call.options.pushOperationKey),
          ...(b.currencyRate != null ? { exchange_rate: dec(b.currencyRate).toDecimalPlaces(6).toNumber() } : {}),
        },
      });
      const warnings = [...issues.warnings];
      let row = posted.row;
      if (allocations.length) {
        if (kind.side === 'purchase') {
          warnings.push({
            itemId: 'lines',
            message: `Sage 200 has no purchase allocation API: the payment was posted on the supplier's account (id ${row.id}) and must be allocated to the bill in Sage.`,
            validatorName: 'Sage200',
          });
        } else {
          row = await allocate(call, t, row, allocations, b.date);
        }
      }
      const record = await toRecord(kind.dataType, row, lookups);
      return { record, warnings, alreadyApplied: posted.alreadyApplied };
    },

    options: (lookups: Lookups) => paymentOptions(kind, lookups),
  };
}

/** Allocates the receipt to the documents, once: a try that finds the receipt already allocated skips it. */
async function allocate(call: WriteCall, trader: SageRow, receipt: SageRow, allocations: Allocation[], date: string) {
  const { lookups, options } = call;
  const alreadyAllocated = options.progress?.allocated === true || !dec(receipt.document_allocated_value).isZero();
  if (alreadyAllocated) return receipt;
  const total = sum(allocations.map((a) => a.value));
  try {
    await call.client.post(
      'sales_allocations',
      {
        customer_id: trader.id,
        allocation_date: sageDate(date),
        allocation_lines: [
          { posted_tran_id: receipt.id, value_to_allocate: num2(total) },
          ...allocations.map((a) => ({ posted_tran_id: a.id, value_to_allocate: num2(a.value) })),
        ],
      },
      { retry: 'throttle-only' },
    );
  } catch (err) {
    if (err instanceof ConnectorError && (err.kind === 'FetchError' || err.kind === 'RateLimitError')) throw err;
    const record = await toRecord('payments', receipt, lookups);
    const why = err instanceof ConnectorError ? (err.details.sourceMessage ?? err.message) : String(err);
    throw new PushPartialError(
      `The receipt was posted to Sage 200 (id ${receipt.id}, reference ${receipt.reference ?? ''}) but allocating it failed: ${why}. The receipt remains on the customer's account unallocated; allocate it in Sage 200 (posted receipts cannot be removed through the API).`,
      record,
      err,
    );
  }
  await options.saveProgress?.({ allocated: true });
  return (
    (await lookups.client.get<SageRow>(`sales_posted_transactions/${receipt.id}`, { $expand: POSTED_EXPAND })) ??
    receipt
  );
}

async function paymentOptions(kind: PaymentKind, lookups: Lookups): Promise<PushOption> {
  const [banks, currencies] = await Promise.all([bankChoices(lookups), currencyChoices(lookups)]);
  const traderName = kind.side === 'sales' ? 'Customer' : 'Supplier';
  return {
    type: 'Object',
    displayName: kind.side === 'sales' ? 'Payment' : 'Bill payment',
    description: `Posts a ${kind.label} (POST /${kind.endpoint})${kind.side === 'sales' ? ' and allocates it to the invoices named (POST /sales_allocations)' : '; Sage 200 has no purchase allocation API, so it stays on account'}.`,
    required: true,
    properties: {
      [kind.traderRef]: field('Object', traderName, `The ${traderName.toLowerCase()}`, true, {
        properties: { id: field('String', 'Id', 'id', true) },
      }),
      accountRef: field('Object', 'Bank account', 'The Sage bank the money goes through', true, {
        properties: { id: field('String', 'Id', 'Bank account id', true, { options: banks }) },
      }),
      totalAmount: field('Number', 'Total amount', 'Positive', true),
      date: field('DateTime', 'Date', 'Transaction date', true),
      currency: field('String', 'Currency', `The ${traderName.toLowerCase()}'s currency`, false, {
        options: currencies,
      }),
      reference: field('String', 'Reference', 'Max 20 characters', false),
      lines: field('Array', 'Lines', 'Σ amount = totalAmount', false, {
        properties: {
          amount: field('Number', 'Amount', 'Positive', true),
          links: field(
            'Array',
            'Links',
            `${kind.documentLink} / CreditNote / PaymentOnAccount; amount negative`,
            false,
            {
              properties: {
                type: field('String', 'Type', 'Link type', true, {
                  options: [kind.documentLink, 'CreditNote', 'PaymentOnAccount'].map((v) => ({
                    value: v,
                    type: 'String' as const,
                    displayName: v,
                    required: false,
                  })),
                }),
                id: field('String', 'Id', 'Document id', false),
                amount: field('Number', 'Amount', 'Negative of the amount allocated', false),
              },
            },
          ),
        },
      }),
    },
  };
}

export const paymentsWriter = paymentWriter({
  dataType: 'payments',
  label: 'receipt',
  side: 'sales',
  endpoint: 'sales_receipts',
  postedResource: 'sales_posted_transactions',
  traderRef: 'customerRef',
  documentLink: 'Invoice',
});
export const billPaymentsWriter = paymentWriter({
  dataType: 'billPayments',
  label: 'payment',
  side: 'purchase',
  endpoint: 'purchase_payments',
  postedResource: 'purchase_posted_transactions',
  traderRef: 'supplierRef',
  documentLink: 'Bill',
});
