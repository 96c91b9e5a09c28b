// The CLI as users run it: real processes on a real database (SQLite temp dir, or a PostgreSQL schema).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../../src/platform/api-keys.ts';
import { missingStartupFlags, STARTUP_FLAGS } from '../../src/platform/heap.ts';
import { saveEnvironment } from '../../src/platform/integrations.ts';
import { createKeyring } from '../../src/platform/secrets.ts';
import { createTestStore, type TestStore } from '../helpers/index.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ledgerlink.mjs');

describe('ledgerlink CLI', () => {
  let store: TestStore;
  let env: Record<string, string>;
  const masterKey = randomBytes(32).toString('base64');
  beforeAll(async () => {
    store = await createTestStore({ migrate: false });
    const base = {
      ...process.env,
      LOG_LEVEL: 'silent',
      DATA_DIR: store.dir,
      LEDGERLINK_MASTER_KEY: masterKey,
    } as Record<string, string>;
    if (store.database.dialect === 'postgres') {
      base.DATABASE_URL = store.database.url;
      base.DATABASE_SCHEMA = store.database.schema!;
    } else {
      delete base.DATABASE_URL;
    }
    env = base;
  });
  afterAll(() => store?.close());

  const ll = (...args: string[]) => run(process.execPath, [BIN, ...args], { env, timeout: 60_000 });

  it('migrate applies migrations', async () => {
    const first = await ll('migrate');
    expect(first.stdout).toMatch(/Applied \d+ migration\(s\)/);
    expect(first.stdout).toContain('0001_platform');
    const tables = await store.db.introspection.getTables();
    expect(tables.map((t) => t.name)).toContain('companies');
  });

  it('keys create prints a working key as the last line', async () => {
    const { stdout } = await ll('keys', 'create', '--name', 'ci-key');
    const lines = stdout.trim().split('\n');
    const key = lines[lines.length - 1];
    expect(key).toMatch(/^[A-Za-z0-9]{40}$/);
    const found = await authenticateApiKey(store.db, key);
    expect(found?.keyName).toBe('ci-key');
  });

  it('keys rotate re-encrypts secrets with the new master key', async () => {
    const tenant = await store.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow();
    const oldRing = createKeyring([Buffer.from(masterKey, 'base64')]);
    await saveEnvironment(
      { db: store.db, keyring: oldRing, defaults: { authBaseUrl: 'http://a', apiBaseUrl: 'http://b' } },
      tenant.id,
      'jcrp',
      'production',
      { clientId: 'c', clientSecret: 'rotate-me-secret', subscriptionKey: 'rotate-me-sub' },
      () => new Date(),
    );
    const newKey = randomBytes(32).toString('base64');
    const { stdout } = await run(process.execPath, [BIN, 'keys', 'rotate'], {
      env: { ...env, LEDGERLINK_MASTER_KEY: newKey, LEDGERLINK_OLD_MASTER_KEYS: masterKey },
    });
    const newRing = createKeyring([Buffer.from(newKey, 'base64')]);
    expect(stdout).toContain(`Re-encrypted 2 secret(s) with master key ${newRing.currentId}`);
    const row = await store.db.selectFrom('integration_environments').selectAll().executeTakeFirstOrThrow();
    expect(newRing.decrypt(row.client_secret_enc)).toBe('rotate-me-secret');
    expect(() => oldRing.decrypt(row.client_secret_enc)).toThrow();
  });

  it('runs with the V8 options of its shebang, and says so when started without them', async () => {
    const shebang = readFileSync(BIN, 'utf8').split('\n')[0]!;
    for (const flag of STARTUP_FLAGS) expect(shebang).toContain(` ${flag}`);
    // a worker's startup log, until it says it started
    const startupLog = async (command: string, args: string[]) => {
      const child = spawn(command, [...args, 'worker'], { env: { ...env, LOG_LEVEL: 'info' } });
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
      });
      child.stderr!.on('data', (d) => {
        out += d;
      });
      const deadline = Date.now() + 60_000;
      while (!out.includes('worker started') && child.exitCode === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      expect(out).toContain('worker started');
      return out;
    };
    // as `npx ledgerlink worker` runs it: the file itself, through env -S
    expect(await startupLog(BIN, [])).not.toContain('started without the V8 options');
    expect(await startupLog(process.execPath, [BIN])).toContain(
      `started without the V8 options of bin/ledgerlink.mjs, so syncs use more CPU: start it as \`npx ledgerlink ...\`, \`./bin/ledgerlink.mjs ...\` or \`node ${STARTUP_FLAGS.join(' ')} bin/ledgerlink.mjs ...\``,
    );
    expect(missingStartupFlags(['--max-semi-space-size=16', '--interrupt_budget=1000'])).toEqual([
      '--initial-old-space-size=128',
    ]);
    expect(missingStartupFlags(['--max-semi-space-size=16'])).toEqual([
      '--initial-old-space-size=128',
      '--interrupt-budget=270336',
    ]);
    expect(missingStartupFlags([...STARTUP_FLAGS])).toEqual([]);
  });
});

describe('npm start (serve --embedded)', () => {
  let child: ChildProcess | undefined;
  let dir: TestStore;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await dir?.close();
  });

  it('starts the simulator beside the server, prints the first API key once, and serves', async () => {
    dir = await createTestStore({ migrate: false });
    const env = { ...process.env, DATA_DIR: join(dir.dir, 'embedded'), LOG_LEVEL: 'warn' } as Record<string, string>;
    delete env.DATABASE_URL;
    delete env.LEDGERLINK_MASTER_KEY;
    child = spawn(BIN, ['serve', '--embedded', '--port', '0', '--sim-port', '0'], { env });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
    });
    child.stderr!.on('data', (d) => {
      out += d;
    });
    const deadline = Date.now() + 90_000;
    while (!/First start[\s\S]*\n {2}([A-Za-z0-9]{40})\n/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const key = /\n {2}([A-Za-z0-9]{40})\n/.exec(out)![1];
    const api = /API: +(http:\/\/localhost:\d+)\//.exec(out)![1];
    const sim = /Simulator: +(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
    expect(out).toContain('Client ID:        ledgerlink-demo-client');
    expect(out).toContain(`GET ${sim}/_sim/credentials`);
    const res = await fetch(`${api}/integrations/jcrp/settings`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const settings = await res.json();
    expect(settings.environments.production.authBaseUrl).toBe(sim);
    expect(settings.environments.production.apiBaseUrl).toBe(`${sim}/uk/sage200/accounts/v1/`);
    expect((await fetch(`${sim}/_sim/credentials`)).status).toBe(200);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child!.once('exit', r));
    expect(code).toBe(0);
  });
});
