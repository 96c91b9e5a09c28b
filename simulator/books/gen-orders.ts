import type { Masters } from './gen-masters.ts';
import type { Rng } from './rng.ts';
import type { BookState } from './state.ts';

export function generateOrders(_s: BookState, _rng: Rng, _scale: number, _m: Masters): void {}
