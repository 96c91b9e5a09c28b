// Invariant figures: trial balance, balance-sheet totals and current-year profit, exact in base pennies.

import { nominalFigures } from './master-views.ts';
import { moneyString } from './money.ts';
import type { BookState } from './state.ts';
import type { BookChecks } from './types.ts';

export function bookChecks(s: BookState): BookChecks {
  let tb = 0;
  let assets = 0;
  let liabilities = 0;
  let capital = 0;
  let profit = 0;
  for (const id of s.tables.nominal_codes.ids()) {
    const ytd = nominalFigures(s, id).ytd;
    tb += ytd;
    const k = s.categoryTypeOfNominal(id);
    if (k.type === 'Asset') assets += ytd;
    else if (k.type === 'Liability') {
      if (k.equity) capital -= ytd;
      else liabilities -= ytd;
    } else profit -= ytd;
  }
  const equity = capital + profit;
  return {
    trialBalance: moneyString(tb),
    assets: moneyString(assets),
    liabilities: moneyString(liabilities),
    equity: moneyString(equity),
    profit: moneyString(profit),
    difference: moneyString(assets - liabilities - equity),
    postedTransactions: s.ledger.count(0) + s.ledger.count(1) + s.ledger.count(2),
    nominalPostings: s.ledger.pTx.length,
  };
}
