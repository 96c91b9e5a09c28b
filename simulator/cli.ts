// `ledgerlink simulator [...]`: starts the Sage 200 simulator and prints where it listens and the demo credentials.
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { credentials } from './admin/routes.ts';
import { DEFAULT_AS_OF, DEFAULT_SEED } from './demo.ts';
import { type SimulatorOptions, startSimulator } from './server.ts';
import type { SwitchesUpdate } from './switches.ts';

const USAGE = `Usage: ledgerlink simulator [options]
  --port N                  port (default 8090; 0 = any free port)
  --host H                  interface (default 127.0.0.1)
  --seed N                  books seed (default ${DEFAULT_SEED})
  --scale X                 books size multiplier (default 1)
  --as-of YYYY-MM-DD        books end date (default ${DEFAULT_AS_OF})
  --no-subscription-key     accept requests without Ocp-Apim-Subscription-Key
  --access-token-ttl S      access-token lifetime in seconds (default 3600)
  --refresh-token-days D    refresh-token lifetime in days from consent (default 90)
  --timestamps z|no-z       audit stamps with Z (default) or every datetime without a zone
  --trial IDS               extra company ids (comma list) that behave as trial sites
  --professional IDS        extra company ids that are Professional edition
  --throttle N/SECONDS      allow N requests per window (all companies), then 429 + Retry-After
  --error-rate X            share (0..1) of API requests answered 500
  --latency MS              added to every API response
  --truncate-rate X         share of API responses cut off mid-body
  --drop-rate X             share of API requests whose connection is dropped
  --fault-seed N            seed of the fault sequence (default 1)
  --switches JSON           raw switch updates (object or array, as POST /_sim/switches)
  --request-log             keep a log of the API requests served (GET/DELETE /_sim/requests)`;

function ids(v: string | undefined): number[] {
  return (v ?? '')
    .split(',')
    .filter(Boolean)
    .map((x) => {
      const n = Number(x);
      if (!Number.isInteger(n)) throw new Error(`"${x}" is not a company id`);
      return n;
    });
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} needs a number, got "${v}"`);
  return n;
}

export function parseSimulatorArgs(args: string[]): SimulatorOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      scale: { type: 'string' },
      'as-of': { type: 'string' },
      'no-subscription-key': { type: 'boolean' },
      'access-token-ttl': { type: 'string' },
      'refresh-token-days': { type: 'string' },
      timestamps: { type: 'string' },
      trial: { type: 'string' },
      professional: { type: 'string' },
      throttle: { type: 'string' },
      'error-rate': { type: 'string' },
      latency: { type: 'string' },
      'truncate-rate': { type: 'string' },
      'drop-rate': { type: 'string' },
      'fault-seed': { type: 'string' },
      switches: { type: 'string' },
      'request-log': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) throw new HelpRequested();
  const asOf = values['as-of'];
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error('--as-of must be YYYY-MM-DD');
  const timestamps = values.timestamps;
  if (timestamps !== undefined && timestamps !== 'z' && timestamps !== 'no-z')
    throw new Error('--timestamps is z or no-z');

  const switches: SwitchesUpdate[] = [];
  for (const id of ids(values.trial)) switches.push({ companyId: id, trial: true });
  for (const id of ids(values.professional)) switches.push({ companyId: id, professional: true });
  if (values.throttle) {
    const m = /^(\d+)\/(\d+)$/.exec(values.throttle);
    if (!m) throw new Error('--throttle is N/SECONDS, e.g. 100/60');
    switches.push({ throttle: { limit: Number(m[1]), windowSeconds: Number(m[2]) } });
  }
  const errorRate = num('error-rate', values['error-rate']);
  const latency = num('latency', values.latency);
  const truncateRate = num('truncate-rate', values['truncate-rate']);
  const dropRate = num('drop-rate', values['drop-rate']);
  if ([errorRate, latency, truncateRate, dropRate].some((x) => x !== undefined)) {
    switches.push({
      faults: {
        errorRate: errorRate ?? 0,
        errorStatus: 500,
        latencyMs: latency ?? 0,
        truncateRate: truncateRate ?? 0,
        dropRate: dropRate ?? 0,
        seed: num('fault-seed', values['fault-seed']) ?? 1,
      },
    });
  }
  if (values.switches) {
    const raw = JSON.parse(values.switches) as SwitchesUpdate | SwitchesUpdate[];
    switches.push(...(Array.isArray(raw) ? raw : [raw]));
  }
  return {
    ...(values['request-log'] ? { requestLog: true } : {}),
    port: num('port', values.port) ?? 8090,
    host: values.host ?? '127.0.0.1',
    seed: num('seed', values.seed),
    scale: num('scale', values.scale),
    asOf,
    enforceSubscriptionKey: values['no-subscription-key'] ? false : undefined,
    accessTokenTtlSeconds: num('access-token-ttl', values['access-token-ttl']),
    refreshTokenTtlDays: num('refresh-token-days', values['refresh-token-days']),
    timestamps,
    switches,
  };
}

class HelpRequested extends Error {}

export async function run(args: string[]): Promise<number | undefined> {
  let options: SimulatorOptions;
  try {
    options = parseSimulatorArgs(args);
  } catch (e) {
    if (e instanceof HelpRequested) {
      console.log(USAGE);
      return 0;
    }
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  // A long-running stand-in: V8 would drop the bytecode of handlers idle for a few collections (as in Ledgerlink's
  // src/platform/heap.ts), and the next burst of requests would pay to compile them again.
  setFlagsFromString('--no-flush-bytecode');
  const sim = await startSimulator({ ...options, logger: false });
  const c = credentials(sim.url);
  const lines = [
    `Sage 200 simulator listening on ${sim.url}`,
    `  Sage ID:        ${c.authorizeUrl}  and  ${c.tokenUrl}  (audience ${c.audience})`,
    `  API Standard:   ${c.apiBaseUrls.standard}`,
    `  API Professional: ${c.apiBaseUrls.professional}`,
    `  Controls:       ${sim.url}/_sim/credentials, /_sim/switches, /_sim/clock, /_sim/reset`,
    '',
    `  Client ID:        ${c.client.clientId}`,
    `  Client secret:    ${c.client.clientSecret}`,
    `  Subscription key: ${c.subscriptionKey}${options.enforceSubscriptionKey === false ? ' (not enforced)' : ''}`,
    `  Redirect URIs:    ${c.client.redirectUris.join(', ')} (and any http://localhost:<port>/oauth/callback)`,
    '',
    '  Users:',
    ...c.users.map((u) => `    ${u.email} / ${u.password}  (companies ${u.companyIds.join(', ')})`),
    '  Sites (X-Site / X-Company):',
    ...c.sites.map((s) => `    ${s.site_id} / ${s.company_id}  ${s.company_name} [${s.profile}]`),
  ];
  // demo credentials only: these are the simulator's published test values, not real secrets
  console.log(lines.join('\n'));
  await new Promise<void>((resolve) => {
    const stop = () => {
      sim.close().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
