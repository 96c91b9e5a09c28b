// Opening the platform from a CLI command: config (validated, with clear messages), logger, store (migrated),
// keyring. Shared by `serve`, `keys` and `migrate`.
import { type Config, ConfigError, type ConfigOverrides, loadConfig } from '../config.ts';
import { configureLookupCaches } from '../connectors/sage200/read/lookup-cache.ts';
import { createLogger, type Logger } from '../logger.ts';
import { createStore, type Store } from '../store/index.ts';
import { missingStartupFlags, tuneHeap } from './heap.ts';
import { type Keyring, loadKeyring } from './secrets.ts';

export interface PlatformProcess {
  config: Config;
  logger: Logger;
  store: Store;
  keyring: Keyring;
}

/** Flags `--name value`, `--name=value`, `--flag`. */
export function parseArgs(args: string[]): { flags: Map<string, string>; positional: string[] } {
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

/** loadConfig, printing every problem and exiting with code 2 instead of a stack trace. */
export function loadConfigOrExit(overrides: ConfigOverrides = {}, env = process.env): Config {
  try {
    return loadConfig(env, overrides);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`${err.message}\nFix the environment variables above and start again (see docs/configuration.md).`);
      process.exit(2);
    }
    throw err;
  }
}

/**
 * The master key must be explicit for PostgreSQL deployments outside the embedded mode: a generated key file on
 * one machine would leave other machines unable to decrypt.
 */
export function checkMasterKey(config: Config): string | undefined {
  if (config.masterKey.current || config.embedded || config.database.dialect === 'sqlite') return undefined;
  return 'LEDGERLINK_MASTER_KEY is required with PostgreSQL (every process must share it): generate one with `openssl rand -base64 32`';
}

/** `syncs`: this process runs syncs (serve, worker, sync), so it says when it lacks the V8 options. */
export async function openPlatform(
  config: Config,
  options: { migrate?: boolean; syncs?: boolean } = {},
): Promise<PlatformProcess> {
  const problem = checkMasterKey(config);
  if (problem) throw new ConfigErrorWithHint(problem);
  const logger = createLogger({ level: config.logLevel });
  configureLookupCaches(config.lookupCache);
  tuneHeap(config.heapGrowingPercent);
  const missing = missingStartupFlags();
  if (options.syncs && missing.length > 0) {
    logger.info(
      { missing },
      `started without the V8 options of bin/ledgerlink.mjs, so syncs use more CPU: start it as \`npx ledgerlink ...\`, \`./bin/ledgerlink.mjs ...\` or \`node ${missing.join(' ')} bin/ledgerlink.mjs ...\``,
    );
  }
  const store = createStore(config);
  try {
    if (options.migrate !== false) await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return { config, logger, store, keyring: loadKeyring(config) };
}

class ConfigErrorWithHint extends ConfigError {
  constructor(problem: string) {
    super([problem]);
  }
}
