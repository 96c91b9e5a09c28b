// Opens what a sync process needs (config, store, keyring, logger) for the `worker` and `sync` commands: the
// platform's opener, plus the flags these commands share.
import { loadConfigOrExit, openPlatform, type PlatformProcess, parseArgs } from '../platform/process.ts';

export type ProcessContext = PlatformProcess;

/** `--name value` / `--name=value` / `--flag` into a map; positional arguments separately. */
export const parseFlags = parseArgs;

export function intFlag(flags: Map<string, string>, name: string, fallback?: number): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number (got "${v}")`);
  return n;
}

export async function openProcess(flags: Map<string, string>, logLevel?: string): Promise<ProcessContext> {
  const config = loadConfigOrExit();
  // Tests and multi-tenant deployments may place Ledgerlink in its own PostgreSQL schema.
  const schema = flags.get('db-schema');
  if (schema && config.database.dialect === 'postgres') config.database = { ...config.database, schema };
  return openPlatform(logLevel ? { ...config, logLevel } : config, { syncs: true });
}
