// Opens what a sync process needs from the environment (config, store, keyring, logger) for the `worker` and
// `sync` commands, and parses their shared flags.
import { type Config, loadConfig } from '../config.ts';
import { createLogger, type Logger } from '../logger.ts';
import { loadKeyring } from '../platform/secrets.ts';
import { createStore, type Store } from '../store/index.ts';

export interface ProcessContext {
  config: Config;
  store: Store;
  logger: Logger;
  keyring: ReturnType<typeof loadKeyring>;
}

/** `--name value` / `--name=value` / `--flag` into a map; positional arguments separately. */
export function parseFlags(args: string[]): { flags: Map<string, string>; positional: string[] } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (args[i + 1] !== undefined && !args[i + 1].startsWith('--')) flags.set(a.slice(2), args[++i]);
    else flags.set(a.slice(2), 'true');
  }
  return { flags, positional };
}

export function intFlag(flags: Map<string, string>, name: string, fallback?: number): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number (got "${v}")`);
  return n;
}

export async function openProcess(flags: Map<string, string>, logLevel?: string): Promise<ProcessContext> {
  const config = loadConfig(process.env);
  // Tests and multi-tenant deployments may place Ledgerlink in its own PostgreSQL schema.
  const schema = flags.get('db-schema');
  if (schema && config.database.dialect === 'postgres') config.database = { ...config.database, schema };
  const logger = createLogger({ level: logLevel ?? config.logLevel });
  const store = createStore(config);
  await store.migrate();
  return { config, store, logger, keyring: loadKeyring(config) };
}
