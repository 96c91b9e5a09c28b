// Discovery against the simulator: GET /sites rows become SourceCompany entries, and the edition probe refuses the
// Professional company with a reason an end user can read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { authorizeUrl, createSageAuth } from '../../src/connectors/sage200/auth.ts';
import { listCompanies, PROFESSIONAL_REASON, professionalBaseUrl } from '../../src/connectors/sage200/sites.ts';
import { signInAtSage, simCredentials, soloUser } from './sim-login.ts';

let sim: Simulator;
const REDIRECT = 'http://localhost:9/oauth/callback';

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 0.05 });
});
afterAll(async () => {
  await sim?.close();
});

async function tokenFor(opts: { email?: string; password?: string } = {}) {
  const credentials = simCredentials(sim.url);
  const auth = createSageAuth();
  const location = await signInAtSage(auth.authorizeUrl(credentials, { state: 'st', redirectUri: REDIRECT }), opts);
  const code = new URL(location).searchParams.get('code') ?? '';
  return { credentials, tokens: await auth.exchangeCode(credentials, { code, redirectUri: REDIRECT }) };
}

describe('Sage ID authorize URL', () => {
  it('carries the audience, scopes, client id, redirect URI and state', () => {
    const url = new URL(
      authorizeUrl(simCredentials('https://id.example'), { state: 'abc', redirectUri: 'https://h/oauth/callback' }),
    );
    expect(url.origin + url.pathname).toBe('https://id.example/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      audience: 's200ukipd/sage200',
      client_id: 'ledgerlink-demo-client',
      response_type: 'code',
      redirect_uri: 'https://h/oauth/callback',
      scope: 'openid profile email offline_access',
      state: 'abc',
    });
  });
});

describe('listCompanies', () => {
  it('lists every company of the user, Standard ones supported and the Professional one refused', async () => {
    const { credentials, tokens } = await tokenFor();
    expect(tokens.refreshTokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(89 * 86_400_000);
    const companies = await listCompanies(credentials, tokens.accessToken);
    expect(companies.map((c) => c.companyName).sort()).toEqual(DEMO_COMPANIES.map((c) => c.companyName).sort());
    const pro = companies.find((c) => c.companyName === 'Hadley Group (Professional)');
    expect(pro).toMatchObject({ supported: false, reason: PROFESSIONAL_REASON, companyId: '5' });
    const hadley = companies.find((c) => c.companyId === '1');
    expect(hadley).toMatchObject({
      supported: true,
      siteName: 'Hadley Engineering',
      companyName: 'Hadley Engineering Ltd',
    });
    expect(companies.filter((c) => c.supported)).toHaveLength(4);
  });

  it('lists the single company of a one-company user', async () => {
    const { credentials, tokens } = await tokenFor({ email: soloUser.email, password: soloUser.password });
    const companies = await listCompanies(credentials, tokens.accessToken);
    expect(companies).toEqual([
      expect.objectContaining({ companyId: '1', companyName: 'Hadley Engineering Ltd', supported: true }),
    ]);
  });

  it('derives the Professional base from the Standard one', () => {
    expect(professionalBaseUrl('https://api.columbus.sage.com/uk/sage200/accounts/v1/')).toBe(
      'https://api.columbus.sage.com/uk/sage200extra/accounts/v1/',
    );
    expect(professionalBaseUrl('https://other.example/api/')).toBeUndefined();
  });
});
