// Books per company, built on first use (generation takes seconds at scale 1, so a company nobody reads costs
// nothing), plus each book's enum lookup (name -> numeric id) taken from its lookup collections.
import { DEMO_COMPANIES, type DemoCompany } from '../demo.ts';
import type { EnumIds } from '../odata/evaluate.ts';
import type { BookLike, CreateBook } from './book-types.ts';

export interface BookOptionsBase {
  seed: number;
  scale: number;
  asOf: string;
}

export class BookRegistry {
  private books = new Map<number, BookLike>();
  private enums = new Map<number, Map<string, number>>();

  constructor(
    private readonly options: BookOptionsBase,
    private readonly createBook: CreateBook,
  ) {}

  company(companyId: number): DemoCompany | undefined {
    return DEMO_COMPANIES.find((c) => c.companyId === companyId);
  }

  book(companyId: number): BookLike {
    let b = this.books.get(companyId);
    if (!b) {
      const company = this.company(companyId);
      if (!company) throw new Error(`Unknown company ${companyId}`);
      b = this.createBook({ company, ...this.options });
      this.books.set(companyId, b);
    }
    return b;
  }

  /** Enum names to ids from every lookup collection ({id, description, value} rows), e.g. trader_transaction_types. */
  enumIds(companyId: number): EnumIds {
    let m = this.enums.get(companyId);
    if (!m) {
      m = new Map();
      const book = this.book(companyId);
      for (const resource of book.resources()) {
        const coll = book.collection(resource);
        const first = coll?.slice(0, 1)[0];
        if (!coll || !first) continue;
        const keys = Object.keys(first);
        if (!(keys.length <= 4 && 'id' in first && 'value' in first && typeof first.value === 'string')) continue;
        for (const row of coll.scan()) {
          if (typeof row.value === 'string' && typeof row.id === 'number') m.set(row.value.toLowerCase(), row.id);
        }
      }
      this.enums.set(companyId, m);
    }
    const map = m;
    return (name) => map.get(name.toLowerCase());
  }

  reset(): void {
    this.books.clear();
    this.enums.clear();
  }
}
