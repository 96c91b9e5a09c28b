// Benchmark: the simulator serving >= N posted transactions in $top=5000 pages over loopback while a client fetches
// and JSON-parses every page, against a baseline measured in the same run: the same client fetching the same page
// bytes from a trivial static HTTP server. Run: npx tsx bench/simulator-serve.ts [--records 1000000] [--expand]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createBook } from '../simulator/books/index.ts';
import { DEMO_CLIENT, DEMO_COMPANIES, DEMO_SUBSCRIPTION_KEY } from '../simulator/demo.ts';
import { startSimulator } from '../simulator/server.ts';

const { values } = parseArgs({
  options: { records: { type: 'string', default: '1000000' }, expand: { type: 'boolean', default: false } },
});
const target = Number(values.records);
if (!Number.isInteger(target) || target < 5000) throw new Error('--records must be an integer >= 5000');
const PAGE = 5000;
const RESOURCES = ['sales_posted_transactions', 'purchase_posted_transactions', 'bank_posted_transactions'];
const company = DEMO_COMPANIES[0]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;
const log = (s: string) => console.log(`[bench] ${s}`);

// 1. pick the scale: posted transactions grow linearly with it (plus a fixed part), so fit a line through two
// small books and solve for the target
const count = (scale: number) => {
  const book = createBook({ company, seed: 200, scale, asOf: '2026-10-31' });
  return RESOURCES.reduce((n, r) => n + book.collection(r)!.size(), 0);
};
const [s1, s2] = [0.1, 0.3];
const [n1, n2] = [count(s1), count(s2)];
const slope = (n2 - n1) / (s2 - s1);
const scale = Math.ceil(((target - (n1 - slope * s1)) / slope) * 1.04 * 1000) / 1000; // growth is slightly sub-linear: aim 4% high
log(`target ${target.toLocaleString()} posted transactions -> scale ${scale}`);

// 2. start the simulator and sign in (generation happens on the first company request)
const sim = await startSimulator({ scale });
const token = await signIn(sim.url);
const headers = {
  authorization: `Bearer ${token}`,
  'ocp-apim-subscription-key': DEMO_SUBSCRIPTION_KEY,
  'x-site': company.siteId,
  'x-company': String(company.companyId),
};
let t = performance.now();
await fetch(`${sim.url}/uk/sage200/accounts/v1/tax_codes`, { headers }).then((r) => r.text());
const genSeconds = (performance.now() - t) / 1000;
log(`books generated in ${genSeconds.toFixed(1)} s, peak RSS ${mb(peakRss())}`);

// 3. the simulator run: every page of every posted-transaction resource
const expand = values.expand ? '&$expand=tax_analysis_items,nominal_analysis_items' : '';
const sample: Buffer[] = [];
let records = 0;
let bytes = 0;
t = performance.now();
for (const resource of RESOURCES) {
  for (let skip = 0; ; skip += PAGE) {
    const res = await fetch(
      `${sim.url}/uk/sage200/accounts/v1/${resource}?$orderby=id asc&$top=${PAGE}&$skip=${skip}${expand}`,
      {
        headers,
      },
    );
    if (res.status !== 200) throw new Error(`${resource} skip ${skip}: ${res.status} ${await res.text()}`);
    const buf = Buffer.from(await res.arrayBuffer());
    const rows = JSON.parse(buf.toString('utf8')) as unknown[];
    if (sample.length < 20 && rows.length === PAGE) sample.push(buf);
    records += rows.length;
    bytes += buf.length;
    if (records % 100_000 < PAGE) log(`  ${records.toLocaleString()} records`);
    if (rows.length < PAGE) break;
  }
}
const simSeconds = (performance.now() - t) / 1000;
const simRate = records / simSeconds;
await sim.close();

// 4. baseline: same client, same number of pages of the same bytes, from a server that only writes a buffer
const server = createServer((req, res) => {
  const i = Number(new URL(req.url!, 'http://x').searchParams.get('i')) % sample.length;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': sample[i]!.length });
  res.end(sample[i]);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const pages = Math.ceil(records / PAGE);
let baseRecords = 0;
t = performance.now();
for (let i = 0; i < pages; i++) {
  const res = await fetch(`${base}/page?i=${i}`);
  baseRecords += (JSON.parse(await res.text()) as unknown[]).length;
}
const baseSeconds = (performance.now() - t) / 1000;
const baseRate = baseRecords / baseSeconds;
server.close();

console.log(
  [
    '',
    `Simulator serve benchmark (${values.expand ? 'with tax/nominal analysis expanded' : 'default shape, no $expand'})`,
    `  posted transactions served  ${records.toLocaleString()} in ${pages} pages of ${PAGE} (${mb(bytes)} JSON)`,
    `  books generation            ${genSeconds.toFixed(1)} s (scale ${scale})`,
    `  simulator                   ${Math.round(simRate).toLocaleString()} records/s (${simSeconds.toFixed(1)} s)`,
    `  baseline (static server)    ${Math.round(baseRate).toLocaleString()} records/s (${baseSeconds.toFixed(1)} s)`,
    `  ratio simulator/baseline    ${(simRate / baseRate).toFixed(2)}`,
    `  peak RSS                    ${mb(peakRss())}`,
  ].join('\n'),
);

async function signIn(url: string): Promise<string> {
  const redirect = 'http://localhost:8080/oauth/callback';
  const q = new URLSearchParams({
    audience: 's200ukipd/sage200',
    client_id: DEMO_CLIENT.clientId,
    response_type: 'code',
    redirect_uri: redirect,
    scope: 'openid offline_access',
    state: 'bench',
  });
  const session = (html: string) => /name="session" value="([^"]+)"/.exec(html)![1]!;
  const login = await (await fetch(`${url}/authorize?${q}`)).text();
  const consent = await (
    await fetch(`${url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ session: session(login), email: 'demo@hadley.example', password: 'Sage200-demo!' }),
    })
  ).text();
  const done = await fetch(`${url}/consent`, {
    method: 'POST',
    body: new URLSearchParams({ session: session(consent), decision: 'authorize' }),
    redirect: 'manual',
  });
  const code = new URL(done.headers.get('location')!).searchParams.get('code')!;
  const tok = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
      client_id: DEMO_CLIENT.clientId,
      client_secret: DEMO_CLIENT.clientSecret,
    }),
  });
  return ((await tok.json()) as { access_token: string }).access_token;
}
