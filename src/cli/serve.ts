// `ledgerlink serve [--port 8080] [--host H] [--embedded] [--sim-port 8090] [--role embedded|producer]`.
// `npm start` = `serve --embedded`: SQLite under DATA_DIR, a generated master key file, and the Sage 200 simulator
// in-process with the Sage base URLs pointing at it. Prints where everything listens and, on first start, the API key.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRuntime } from '../http/runtime.ts';
import { buildServer, PORTAL_DIR } from '../http/server.ts';
import { bootstrapDefaultTenant } from '../platform/api-keys.ts';
import { loadConfigOrExit, openPlatform, parseArgs } from '../platform/process.ts';

const HELP = `Usage: ledgerlink serve [--port 8080] [--host 0.0.0.0] [--embedded] [--sim-port 8090] [--role embedded|producer]
  --embedded   SQLite + generated master key + the Sage 200 simulator in this process (what \`npm start\` runs)
  --role       embedded (default): run syncs in this process; producer: queue only, for separate \`ledgerlink worker\`s
Configuration comes from the environment: see docs/configuration.md.`;

interface Closable {
  close(): Promise<void>;
}

interface SimCredentials {
  client?: { clientId?: string; clientSecret?: string };
  subscriptionKey?: string;
  users?: { email: string; password: string }[];
}

async function startEmbeddedSimulator(port: number, host: string): Promise<{ url: string; close(): Promise<void> }> {
  const mod = (await import('../../simulator/server.ts').catch((err: unknown) => {
    throw new Error(`The Sage 200 simulator could not be loaded (simulator/server.ts): ${String(err)}`);
  })) as {
    startSimulator: (o: {
      port?: number;
      host?: string;
      warm?: boolean;
    }) => Promise<{ url: string; close(): Promise<void> }>;
  };
  // warm: every demo company's books are built right after start, so a first Link (which probes them all) is quick
  return mod.startSimulator({ port, host, warm: true });
}

function int(flags: Map<string, string>, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`--${name} must be a port number between 0 and 65535 (got "${v}")`);
    process.exit(2);
  }
  return n;
}

export async function run(args: string[]): Promise<number> {
  const { flags } = parseArgs(args);
  if (flags.has('help')) {
    console.log(HELP);
    return 0;
  }
  const embedded = flags.has('embedded');
  const role = (flags.get('role') ?? 'embedded') as 'embedded' | 'producer';
  if (role !== 'embedded' && role !== 'producer') {
    console.error('--role must be "embedded" or "producer"');
    return 2;
  }
  const port = int(flags, 'port');
  const host = flags.get('host');
  const config = loadConfigOrExit({
    embedded,
    ...(port !== undefined ? { port } : {}),
    ...(host ? { host } : {}),
  });
  if (embedded && config.database.dialect !== 'sqlite') {
    console.error(
      '--embedded uses SQLite under DATA_DIR: unset DATABASE_URL, or run `ledgerlink serve` without --embedded.',
    );
    return 2;
  }

  const closables: Closable[] = [];
  let simUrl: string | undefined;
  if (embedded) {
    const simPort = int(flags, 'sim-port') ?? 8090;
    const sim = await startEmbeddedSimulator(simPort, '127.0.0.1');
    closables.push(sim);
    simUrl = sim.url;
    // Sage URLs follow the simulator unless the environment set them explicitly.
    if (!process.env.SAGE_AUTH_BASE_URL) config.sage.authBaseUrl = sim.url;
    if (!process.env.SAGE_API_BASE_URL) config.sage.apiBaseUrl = `${sim.url}/uk/sage200/accounts/v1/`;
  }

  let p: Awaited<ReturnType<typeof openPlatform>>;
  try {
    p = await openPlatform(config, { syncs: true });
  } catch (err) {
    for (const c of closables.reverse()) await c.close().catch(() => {});
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
  const { logger, store, keyring } = p;
  closables.push({ close: () => store.close() });
  const first = await bootstrapDefaultTenant(store.db);
  const runtime = await createRuntime({ config, store, logger, keyring, role });
  const app = await buildServer({ config, store, logger, keyring, services: runtime.services });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await runtime.stop();
    for (const c of closables.reverse()) await c.close().catch(() => {});
    const code = (err as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${config.port} is already in use: stop the other process or start with --port <another port> (PORT=...)`
        : `Could not listen on ${config.host}:${config.port}: ${String(err)}`,
    );
    return 1;
  }
  await runtime.start();

  const addr = app.server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : config.port;
  if (config.port === 0) config.publicUrl = `http://localhost:${actualPort}`;
  const base = config.publicUrl;
  const lines = [
    '',
    `Ledgerlink is running (${store.dialect === 'sqlite' ? `SQLite ${config.database.dialect === 'sqlite' ? config.database.file : ''}` : 'PostgreSQL'}).`,
    `  API:        ${base}/  (listening on ${config.host}:${actualPort})`,
    `  Portal:     ${base}/portal/${existsSync(join(PORTAL_DIR, 'index.html')) ? '' : '  (not built: run `npm run build:web`)'}`,
    `  API docs:   ${base}/docs  (OpenAPI: ${base}/openapi.json)`,
    `  Health:     ${base}/healthz  ${base}/readyz  ${base}/metrics`,
    `  OAuth redirect URI to register with Sage ID: ${base}/oauth/callback`,
  ];
  if (simUrl) {
    lines.push(`  Simulator:  ${simUrl}  (Sage ID and the Sage 200 API stand-in)`);
    lines.push(`  Demo Sage credentials: GET ${simUrl}/_sim/credentials`);
    try {
      const creds = (await (await fetch(`${simUrl}/_sim/credentials`)).json()) as SimCredentials;
      lines.push(`    Client ID:        ${creds.client?.clientId ?? '?'}`);
      lines.push(`    Client secret:    ${creds.client?.clientSecret ?? '?'}`);
      lines.push(`    Subscription key: ${creds.subscriptionKey ?? '?'}`);
      for (const u of creds.users ?? []) lines.push(`    Sage ID user:     ${u.email} / ${u.password}`);
      lines.push(
        '    (simulator demo credentials, not real secrets: enter them in Portal > Accounting integrations > Sage 200cloud)',
      );
    } catch {
      lines.push('    (could not read them now; open the URL above)');
    }
  }
  if (first) {
    lines.push('', 'First start: created the default tenant and its API key (shown only this once; keep it safe):');
    lines.push(`  ${first.apiKey}`);
    lines.push(
      '  Use it as "Authorization: Basic <base64 of the key>" or "Authorization: Bearer <key>", and to sign in to the portal.',
    );
  } else {
    lines.push('', 'Create another API key with: npx ledgerlink keys create --name NAME');
  }
  console.log(lines.join('\n'));

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await runtime.stop();
  await app.close();
  for (const c of closables.reverse()) await c.close().catch(() => {});
  return 0;
}
