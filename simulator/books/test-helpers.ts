// Shared helpers for the books' tests (not used at runtime).
import { DEFAULT_AS_OF, DEMO_COMPANIES, type DemoCompany } from '../demo.ts';
import { type Book, createBook } from './index.ts';

export const p = (v: unknown): number => Math.round(Number(v) * 100);

export function company(profile: DemoCompany['profile']): DemoCompany {
  return DEMO_COMPANIES.find((c) => c.profile === profile)!;
}

export function smallBook(profile: DemoCompany['profile'] = 'normal', scale = 0.15, seed = 7): Book {
  return createBook({ company: company(profile), seed, scale, asOf: DEFAULT_AS_OF });
}

export function all(book: Book, resource: string): Record<string, unknown>[] {
  return [...book.collection(resource)!.scan()];
}
