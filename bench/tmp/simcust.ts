import { DEMO_CLIENT, DEMO_COMPANIES, DEMO_SUBSCRIPTION_KEY } from '../../simulator/demo.ts';
import { startSimulator } from '../../simulator/server.ts';
const company = DEMO_COMPANIES[0]!;
const sim = await startSimulator({ scale: Number(process.argv[2] ?? 16) });
async function signIn(url: string): Promise<string> {
  const redirect = 'http://localhost:8080/oauth/callback';
  const q = new URLSearchParams({ audience: 's200ukipd/sage200', client_id: DEMO_CLIENT.clientId, response_type: 'code', redirect_uri: redirect, scope: 'openid offline_access', state: 'bench' });
  const session = (html: string) => /name="session" value="([^"]+)"/.exec(html)![1]!;
  const login = await (await fetch(`${url}/authorize?${q}`)).text();
  const consent = await (await fetch(`${url}/login`, { method: 'POST', body: new URLSearchParams({ session: session(login), email: 'demo@hadley.example', password: 'Sage200-demo!' }) })).text();
  const done = await fetch(`${url}/consent`, { method: 'POST', body: new URLSearchParams({ session: session(consent), decision: 'authorize' }), redirect: 'manual' });
  const code = new URL(done.headers.get('location')!).searchParams.get('code')!;
  const tok = await fetch(`${url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret }) });
  return ((await tok.json()) as { access_token: string }).access_token;
}
const token = await signIn(sim.url);
const headers = { authorization: `Bearer ${token}`, 'ocp-apim-subscription-key': DEMO_SUBSCRIPTION_KEY, 'x-site': company.siteId, 'x-company': String(company.companyId) };
await fetch(`${sim.url}/uk/sage200/accounts/v1/tax_codes`, { headers }).then((r) => r.text());
const urls = process.argv.slice(3);
for (let round = 0; round < 3; round++) {
  for (const u of urls) {
    const t = performance.now();
    const body = await fetch(`${sim.url}/uk/sage200/accounts/v1/${u}`, { headers }).then((r) => r.text());
    console.log(round, (performance.now() - t).toFixed(0), "ms", body.length, "bytes", u.slice(0, 80)); if (process.env.SHOW) console.log(body.slice(0, 6000));
  }
}
await sim.close();
