// The `ledgerlink simulator` command: flag parsing, and one real start that prints the URL and the credentials.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSimulatorArgs } from './cli.ts';
import { DEMO_CLIENT, DEMO_SUBSCRIPTION_KEY, DEMO_USERS } from './demo.ts';

describe('parseSimulatorArgs', () => {
  it('maps flags to options and switches', () => {
    const o = parseSimulatorArgs([
      '--port',
      '0',
      '--seed',
      '7',
      '--scale',
      '0.5',
      '--as-of',
      '2026-06-30',
      '--no-subscription-key',
      '--access-token-ttl',
      '120',
      '--refresh-token-days',
      '30',
      '--timestamps',
      'no-z',
      '--trial',
      '1,2',
      '--throttle',
      '100/60',
      '--error-rate',
      '0.1',
      '--latency',
      '50',
    ]);
    expect(o).toMatchObject({
      port: 0,
      seed: 7,
      scale: 0.5,
      asOf: '2026-06-30',
      enforceSubscriptionKey: false,
      accessTokenTtlSeconds: 120,
      refreshTokenTtlDays: 30,
      timestamps: 'no-z',
    });
    expect(o.switches).toEqual([
      { companyId: 1, trial: true },
      { companyId: 2, trial: true },
      { throttle: { limit: 100, windowSeconds: 60 } },
      { faults: { errorRate: 0.1, errorStatus: 500, latencyMs: 50, truncateRate: 0, dropRate: 0, seed: 1 } },
    ]);
    expect(parseSimulatorArgs([])).toMatchObject({ port: 8090, host: '127.0.0.1' });
  });

  it('refuses bad values with a message', () => {
    expect(() => parseSimulatorArgs(['--as-of', '31/10/2026'])).toThrow('YYYY-MM-DD');
    expect(() => parseSimulatorArgs(['--throttle', 'lots'])).toThrow('N/SECONDS');
    expect(() => parseSimulatorArgs(['--port', 'x'])).toThrow('--port');
    expect(() => parseSimulatorArgs(['--bogus'])).toThrow();
  });
});

describe('ledgerlink simulator', () => {
  it('starts, prints where it listens and the demo credentials, and serves them', async () => {
    const bin = fileURLToPath(new URL('../bin/ledgerlink.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'simulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start line in: ${out}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m && out.includes('Sites')) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      await new Promise((r) => setTimeout(r, 100));
      for (const s of [
        DEMO_CLIENT.clientId,
        DEMO_CLIENT.clientSecret,
        DEMO_SUBSCRIPTION_KEY,
        DEMO_USERS[0]!.email,
        DEMO_USERS[0]!.password,
      ]) {
        expect(out).toContain(s);
      }
      const creds = (await (await fetch(`${url}/_sim/credentials`)).json()) as { subscriptionKey: string };
      expect(creds.subscriptionKey).toBe(DEMO_SUBSCRIPTION_KEY);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });
});
