// Simulator switches: what the simulator does differently from a plain, healthy Sage 200 site. Global values apply to
// every request; per-company values (selected by X-Company) override throttling and faults for that company only.
import { z } from 'zod';
import { DEMO_COMPANIES } from './demo.ts';

export const throttleSchema = z.object({
  /** requests allowed per window (per company, or per server for the global setting) */
  limit: z.number().int().positive(),
  windowSeconds: z.number().int().positive(),
});

export const faultsSchema = z.object({
  /** share of requests (0..1) answered with `errorStatus` instead of the real answer */
  errorRate: z.number().min(0).max(1).default(0),
  errorStatus: z.number().int().min(500).max(599).default(500),
  /** added to every response */
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  /** share of responses whose body is cut in half and the connection closed */
  truncateRate: z.number().min(0).max(1).default(0),
  /** share of requests whose connection is dropped without any response */
  dropRate: z.number().min(0).max(1).default(0),
  /** seed of the deterministic fault sequence (same seed, same order of requests: same faults) */
  seed: z.number().int().default(1),
});

export type Throttle = z.infer<typeof throttleSchema>;
export type Faults = z.infer<typeof faultsSchema>;

export interface CompanySwitches {
  /** writes (POST/PUT/DELETE) refused as on a Sage trial site */
  trial: boolean;
  /** the books carry the deliberate balance-sheet difference (informational: the books apply it) */
  sandbox: boolean;
  /** a Sage 200 Professional company: answers only on the /uk/sage200extra/ base */
  professional: boolean;
  throttle: Throttle | null;
  faults: Faults | null;
}

export type TimestampStyle = 'z' | 'no-z';

export interface GlobalSwitches {
  enforceSubscriptionKey: boolean;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** `z`: audit stamps (date_time_*) end in Z; `no-z`: every datetime without a zone, as older Sage releases did */
  timestamps: TimestampStyle;
  throttle: Throttle | null;
  faults: Faults | null;
}

export interface Switches {
  global: GlobalSwitches;
  companies: Map<number, CompanySwitches>;
}

export interface SwitchDefaults {
  enforceSubscriptionKey?: boolean;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlDays?: number;
  timestamps?: TimestampStyle;
}

export function defaultSwitches(o: SwitchDefaults = {}): Switches {
  const companies = new Map<number, CompanySwitches>();
  for (const c of DEMO_COMPANIES) {
    companies.set(c.companyId, {
      trial: c.profile === 'trial',
      sandbox: c.profile === 'sandbox',
      professional: c.profile === 'professional',
      throttle: null,
      faults: null,
    });
  }
  return {
    global: {
      enforceSubscriptionKey: o.enforceSubscriptionKey ?? true,
      accessTokenTtlSeconds: o.accessTokenTtlSeconds ?? 3600,
      refreshTokenTtlDays: o.refreshTokenTtlDays ?? 90,
      timestamps: o.timestamps ?? 'z',
      throttle: null,
      faults: null,
    },
    companies,
  };
}

/** Body of `POST /_sim/switches`: global fields, or company fields when `companyId` is given. null clears. */
export const switchesUpdateSchema = z
  .object({
    companyId: z.number().int().optional(),
    enforceSubscriptionKey: z.boolean().optional(),
    accessTokenTtlSeconds: z.number().int().positive().optional(),
    refreshTokenTtlDays: z.number().positive().optional(),
    timestamps: z.enum(['z', 'no-z']).optional(),
    trial: z.boolean().optional(),
    sandbox: z.boolean().optional(),
    professional: z.boolean().optional(),
    throttle: throttleSchema.nullable().optional(),
    faults: faultsSchema.nullable().optional(),
  })
  .strict();
export type SwitchesUpdate = z.infer<typeof switchesUpdateSchema>;

/** Applies an update; returns an error message when a field does not fit the target (global vs company). */
export function applySwitches(s: Switches, u: SwitchesUpdate): string | undefined {
  if (u.companyId !== undefined) {
    const c = s.companies.get(u.companyId);
    if (!c) return `Unknown companyId ${u.companyId}.`;
    for (const k of ['enforceSubscriptionKey', 'accessTokenTtlSeconds', 'refreshTokenTtlDays', 'timestamps'] as const) {
      if (u[k] !== undefined) return `"${k}" is a global switch: send it without companyId.`;
    }
    if (u.trial !== undefined) c.trial = u.trial;
    if (u.sandbox !== undefined) c.sandbox = u.sandbox;
    if (u.professional !== undefined) c.professional = u.professional;
    if (u.throttle !== undefined) c.throttle = u.throttle;
    if (u.faults !== undefined) c.faults = u.faults;
    return undefined;
  }
  for (const k of ['trial', 'sandbox', 'professional'] as const) {
    if (u[k] !== undefined) return `"${k}" is a company switch: send it with companyId.`;
  }
  const g = s.global;
  if (u.enforceSubscriptionKey !== undefined) g.enforceSubscriptionKey = u.enforceSubscriptionKey;
  if (u.accessTokenTtlSeconds !== undefined) g.accessTokenTtlSeconds = u.accessTokenTtlSeconds;
  if (u.refreshTokenTtlDays !== undefined) g.refreshTokenTtlDays = u.refreshTokenTtlDays;
  if (u.timestamps !== undefined) g.timestamps = u.timestamps;
  if (u.throttle !== undefined) g.throttle = u.throttle;
  if (u.faults !== undefined) g.faults = u.faults;
  return undefined;
}

export function switchesToJson(s: Switches) {
  return { global: s.global, companies: Object.fromEntries(s.companies) };
}
