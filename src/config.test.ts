import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SAGE_DEFAULT_API_BASE_URL } from './config.ts';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({}, { dataDir: '/tmp/ll' });
    expect(c.port).toBe(8080);
    expect(c.publicUrl).toBe('http://localhost:8080');
    expect(c.database).toEqual({ dialect: 'sqlite', file: '/tmp/ll/ledgerlink.db' });
    expect(c.masterKey.keyFile).toBe('/tmp/ll/master.key');
    expect(c.sage.apiBaseUrl).toBe(SAGE_DEFAULT_API_BASE_URL);
    expect(c.heapGrowingPercent).toBe(60);
  });

  it('reads the heap growth setting (0 leaves V8 alone) and refuses nonsense', () => {
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '50' }).heapGrowingPercent).toBe(50);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '-5' })).toThrow(/HEAP_GROWING_PERCENT must be 0 or more/);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: 'lots' })).toThrow(/HEAP_GROWING_PERCENT must be a number/);
  });

  it('reads PostgreSQL, public URL and the master key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const c = loadConfig({
      PORT: '9000',
      PUBLIC_URL: 'https://ll.example.com/',
      DATABASE_URL: 'postgres://u:p@h/db',
      DATABASE_SCHEMA: 'tenant_a',
      LEDGERLINK_MASTER_KEY: key,
    });
    expect(c.publicUrl).toBe('https://ll.example.com');
    expect(c.database).toEqual({ dialect: 'postgres', url: 'postgres://u:p@h/db', schema: 'tenant_a', poolMin: 4 });
    expect(c.masterKey.current).toBe(key);
    const pool = loadConfig({
      DATABASE_URL: 'postgres://u:p@h/db',
      DATABASE_POOL_MIN: '0',
      LEDGERLINK_MASTER_KEY: key,
    });
    expect(pool.database).toEqual({ dialect: 'postgres', url: 'postgres://u:p@h/db', poolMin: 0 });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:p@h/db', DATABASE_POOL_MIN: '11' })).toThrow(
      /DATABASE_POOL_MIN must be at most 10/,
    );
  });

  it('lists every problem by variable name', () => {
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', LEDGERLINK_MASTER_KEY: 'short', PUBLIC_URL: 'nope' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/PORT: PORT must be a number/);
      expect(msg).toMatch(/LOG_LEVEL/);
      expect(msg).toMatch(/LEDGERLINK_MASTER_KEY: must be 32 random bytes in base64/);
      expect(msg).toMatch(/PUBLIC_URL must be an absolute URL/);
      expect(msg).not.toContain('short');
    }
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must start with postgres/);
  });
});
