// Books per company, built on first use (generation takes seconds at scale 1, so a company nobody reads costs
// nothing), plus each book's enum lookup (name -> numeric id) taken from its lookup collections.
import { DEMO_COMPANIES, type DemoCompany } from '../demo.ts';
import type { EnumIds } from '../odata/evaluate.ts';
import type { Snapshot, SnapshotStore } from '../odata/query.ts';
import type { BookLike, CreateBook } from './book-types.ts';

const MAX_SNAPSHOTS = 16;
/**
 * Order indexes kept per company, current and stale each. A database keeps its indexes; with room for a few only,
 * a burst of reads in other orders (a full read by id, a replay) pushed out the `date_time_updated` indexes the next
 * incremental read needs, and it sorted whole ledgers again (0.6 s for the sales ledger at scale 16) instead of
 * patching. An index of a 400,000-row ledger holds about 6 MB.
 */
const MAX_INDEXES = 64;
/**
 * A database maintains its indexes as rows are written; the simulator patches a company's stale order indexes once
 * its writes pause this long, so the next reader finds them current instead of paying for a pass over the ledger.
 */
const MAINTAIN_AFTER_MS = 100;

export interface BookOptionsBase {
  seed: number;
  scale: number;
  asOf: string;
}

export class BookRegistry {
  private books = new Map<number, BookLike>();
  private enums = new Map<number, Map<string, number>>();
  private snapshots = new Map<number, Map<string, Snapshot>>();
  private indexes = new Map<number, Map<string, Snapshot>>();
  /** order indexes from before a company's last write: rebuilt from, not from scratch */
  private staleIndexes = new Map<number, Map<string, Snapshot>>();
  private maintenance = new Map<number, NodeJS.Timeout>();

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

  /**
   * Query snapshots of one company (a few, most recent kept), valid until its data changes. Order indexes are kept
   * apart from page snapshots, so a burst of paged queries cannot push out the indexes every later query needs.
   */
  snapshotStore(companyId: number, scope: string): SnapshotStore {
    const mapOf = (store: Map<number, Map<string, Snapshot>>) => {
      let m = store.get(companyId);
      if (!m) {
        m = new Map();
        store.set(companyId, m);
      }
      return m;
    };
    const pick = (sig: string) =>
      sig.startsWith('index|')
        ? { map: mapOf(this.indexes), max: MAX_INDEXES }
        : { map: mapOf(this.snapshots), max: MAX_SNAPSHOTS };
    return {
      get: (sig) => {
        const { map } = pick(sig);
        const s = map.get(scope + sig);
        if (s) {
          map.delete(scope + sig);
          map.set(scope + sig, s);
        }
        return s;
      },
      set: (sig, s) => {
        const { map, max } = pick(sig);
        map.set(scope + sig, s);
        while (map.size > max) map.delete(map.keys().next().value!);
      },
      stale: (sig) => this.staleIndexes.get(companyId)?.get(scope + sig),
    };
  }

  /** Called on every write to a company: its snapshots no longer describe its data; its order indexes become the
   * starting point of their rebuild. */
  changed(companyId: number): void {
    const current = this.indexes.get(companyId);
    if (current) {
      const stale = this.staleIndexes.get(companyId) ?? new Map<string, Snapshot>();
      for (const [sig, s] of current) {
        stale.delete(sig);
        stale.set(sig, s);
      }
      while (stale.size > MAX_INDEXES) stale.delete(stale.keys().next().value!);
      this.staleIndexes.set(companyId, stale);
    }
    this.snapshots.delete(companyId);
    this.indexes.delete(companyId);
    clearTimeout(this.maintenance.get(companyId));
    this.maintenance.set(companyId, setTimeout(() => this.maintain(companyId), MAINTAIN_AFTER_MS).unref());
  }

  /** Rebuilds the company's stale order indexes that no reader has rebuilt since its last write. */
  private maintain(companyId: number): void {
    this.maintenance.delete(companyId);
    const stale = this.staleIndexes.get(companyId);
    if (!stale) return;
    const current = this.indexes.get(companyId);
    // a rebuild writes the current map only, never this one
    for (const [sig, s] of stale) {
      // whole collections only: a parent-scoped subset (scope prefix) is rebuilt by its next reader
      if (!sig.startsWith('index|') || current?.has(sig) || !s.rebuild) continue;
      try {
        s.rebuild();
      } catch {
        // a reader rebuilds it (and reports the error) instead
      }
    }
  }

  /** Drops every query snapshot and order index of a company, stale ones included (a cold start for benchmarks). */
  dropCaches(companyId: number): void {
    clearTimeout(this.maintenance.get(companyId));
    this.maintenance.delete(companyId);
    this.snapshots.delete(companyId);
    this.indexes.delete(companyId);
    this.staleIndexes.delete(companyId);
  }

  reset(): void {
    for (const t of this.maintenance.values()) clearTimeout(t);
    this.maintenance.clear();
    this.books.clear();
    this.enums.clear();
    this.snapshots.clear();
    this.indexes.clear();
    this.staleIndexes.clear();
  }
}
