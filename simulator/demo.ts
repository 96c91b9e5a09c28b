// The built-in demo scenario (../shared/DEMO.md): one source of truth for the simulator, `npm start`, tests and docs.

export type CompanyProfile = 'normal' | 'ireland' | 'sandbox' | 'trial' | 'professional';

export interface DemoCompany {
  companyId: number;
  companyName: string;
  siteId: string;
  siteName: string;
  siteShortName: string;
  profile: CompanyProfile;
  /** ISO code of the base currency. */
  baseCurrency: 'GBP' | 'EUR';
}

export const DEMO_CLIENT = {
  name: 'Ledgerlink demo',
  clientId: 'ledgerlink-demo-client',
  clientSecret: 'sim_secret_7Qk2vN9xLp4TzR8m',
  /** Registered redirect URLs; loopback hosts on any port are also accepted (see docs/simulator.md). */
  redirectUris: ['http://localhost:8080/oauth/callback', 'http://127.0.0.1:8080/oauth/callback'],
} as const;

export const DEMO_SUBSCRIPTION_KEY = 'sim0subscription0key0a1b2c3d4e5f';

export const DEMO_SITES = {
  hadley: { siteId: '6f3c2a1e-8b4d-4c2a-9e71-1a2b3c4d5e01', siteName: 'Hadley Engineering', siteShortName: 'HADLEY' },
  ireland: { siteId: '6f3c2a1e-8b4d-4c2a-9e71-1a2b3c4d5e02', siteName: 'Hadley Ireland', siteShortName: 'HADIE' },
  group: { siteId: '6f3c2a1e-8b4d-4c2a-9e71-1a2b3c4d5e03', siteName: 'Hadley Group', siteShortName: 'HADGRP' },
} as const;

export const DEMO_COMPANIES: DemoCompany[] = [
  { companyId: 1, companyName: 'Hadley Engineering Ltd', ...DEMO_SITES.hadley, profile: 'normal', baseCurrency: 'GBP' },
  {
    companyId: 2,
    companyName: 'Hadley Engineering (Ireland) Ltd',
    ...DEMO_SITES.ireland,
    profile: 'ireland',
    baseCurrency: 'EUR',
  },
  { companyId: 3, companyName: 'Sandbox Trading Ltd', ...DEMO_SITES.hadley, profile: 'sandbox', baseCurrency: 'GBP' },
  { companyId: 4, companyName: 'Trial Company Ltd', ...DEMO_SITES.hadley, profile: 'trial', baseCurrency: 'GBP' },
  {
    companyId: 5,
    companyName: 'Hadley Group (Professional)',
    ...DEMO_SITES.group,
    profile: 'professional',
    baseCurrency: 'GBP',
  },
];

export interface DemoUser {
  email: string;
  password: string;
  name: string;
  /** company ids this Sage ID user can reach (one GET /sites row each) */
  companyIds: number[];
}

export const DEMO_USERS: DemoUser[] = [
  { email: 'demo@hadley.example', password: 'Sage200-demo!', name: 'Dana Hadley', companyIds: [1, 2, 3, 4, 5] },
  { email: 'solo@hadley.example', password: 'Sage200-solo!', name: 'Sam Solo', companyIds: [1] },
];

/** The sandbox company's balance sheet is off by exactly this amount (GBP): net assets exceed equity by it. */
export const SANDBOX_IMBALANCE = '1234.56';

/** Books are generated up to this date (inclusive) so the same seed always gives the same books. */
export const DEFAULT_AS_OF = '2026-10-31';
export const DEFAULT_SEED = 200;
