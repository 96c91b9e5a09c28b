// Everything a simulator route needs, passed explicitly (no globals): clock, switches, Sage ID store, books, limits.
import type { SimClock } from '../clock.ts';
import type { SageIdStore } from '../sageid/store.ts';
import type { Switches } from '../switches.ts';
import type { Limits } from './limits.ts';
import type { BookRegistry } from './registry.ts';

export interface SimContext {
  clock: SimClock;
  switches: Switches;
  store: SageIdStore;
  books: BookRegistry;
  limits: Limits;
}
