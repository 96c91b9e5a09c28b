// Benchmark: a full sync of a whole company (every data type, POST /data/all) from the Sage 200 simulator over
// loopback, against the limit measured in the same run, then an incremental sync after about 1% of the records
// changed, against the full sync; and peak RSS.
//   limit = downloading the same data pages raw (the simulator's request log of the full sync, replayed with the
//           same parallelism and JSON-parsed; lookups, id listings and freshness checks are not data pages and are
//           left out) + bulk-inserting the same rows into a table shaped like `records` in the same database.
// The simulator runs in its own process (`ledgerlink simulator --request-log`), so RSS figures are Ledgerlink's.
// Run: npx tsx bench/sync-company.ts [--scale 1] [--page-size 5000] [--change-pct 1] [--workers 0]
//   --workers N (PostgreSQL only: DATABASE_URL=postgres://...) runs N `ledgerlink worker` processes; 0 runs the
//   embedded executor in this process. At --scale 16 the demo company holds 1,018,288 records.
//   Diagnostics: --skip-limit, --dump-requests FILE, --profile-full FILE, --profile-incremental FILE (this process),
//   --profile-workers DIR (each worker's CPU profile, written when it stops), --worker-log FILE (workers log at info
//   level: each dataset's phase timings), --heap-snapshot FILE.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  createWriteStream,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { deserialize } from 'node:v8';
import { inflateRawSync } from 'node:zlib';
import { sql } from 'kysely';
import { DEMO_COMPANIES, DEMO_SUBSCRIPTION_KEY } from '../simulator/demo.ts';
import { loadConfig } from '../src/config.ts';
import { parseJsonBytes } from '../src/connectors/json-body.ts';
import { DEFAULT_PAGE_SIZE } from '../src/connectors/sage200/client.ts';
import { clearLookupCaches } from '../src/connectors/sage200/read/lookup-cache.ts';
import { missingStartupFlags, STARTUP_FLAGS, tuneHeap } from '../src/platform/heap.ts';
import { dialectOf } from '../src/store/json.ts';
import { DEFAULT_PIPELINE_OPTIONS } from '../src/sync/pipeline.ts';
import { pgPage, pgPageRows, toStagedRow } from '../src/sync/records-store.ts';
import { startSyncHarness } from '../test/sync/sage-harness.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    // the engine's default page size (the client's DEFAULT_PAGE_SIZE), so the figures are what users get
    'page-size': { type: 'string', default: String(DEFAULT_PAGE_SIZE) },
    'change-pct': { type: 'string', default: '1' },
    workers: { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '2' },
    'per-connection': { type: 'string', default: '2' },
    validate: { type: 'boolean', default: true },
    /** stop after the full sync (profiling) */
    'full-only': { type: 'boolean', default: false },
    /** skip the limit (profiling the syncs; no full / limit ratio) */
    'skip-limit': { type: 'boolean', default: false },
    /** with --skip-limit: wait this long before the incremental sync, as the limit would (idle processes) */
    'idle-seconds': { type: 'string', default: '0' },
    /** write the incremental sync's request log (url, ms, time) to this file, the full sync's to <file>.full.json */
    'dump-requests': { type: 'string' },
    /** write a CPU profile of this process during the incremental sync to this file (.cpuprofile) */
    'profile-incremental': { type: 'string' },
    /** worker processes write V8 CPU profiles (--cpu-prof) into this folder when they stop */
    'profile-workers': { type: 'string' },
    /** the simulator writes a V8 CPU profile into this folder when it stops (the bench pauses 4 s before the
     * incremental sync, so the last busy stretch of the profile is the incremental) */
    'profile-simulator': { type: 'string' },
    /** extra node options for the worker processes (V8 heap experiments), e.g. "--max-semi-space-size=32" */
    'worker-node-args': { type: 'string' },
    /** worker processes log at info level into this file (each dataset's phase timings: 'dataset complete') */
    'worker-log': { type: 'string' },
    /** PostgreSQL: print the statements that took the most time in each sync (needs pg_stat_statements) */
    'pg-statements': { type: 'boolean', default: false },
    /** the same for the full sync */
    'profile-full': { type: 'string' },
    /** write a heap snapshot of this process right after the full sync (after a full GC) to this file */
    'heap-snapshot': { type: 'string' },
  },
});
const scale = Number(values.scale);
const pageSize = Number(values['page-size']);
const changePct = Number(values['change-pct']);
const workers = Number(values.workers);
const concurrency = Number(values.concurrency);
const perConnection = Number(values['per-connection']);
const log = (s: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (n: number) => Math.round(n / 1048576);
const mb1 = (n: number) => (n / 1048576).toFixed(1);
if (workers > 0 && !process.env.DATABASE_URL?.startsWith('postgres'))
  throw new Error('--workers needs PostgreSQL (DATABASE_URL=postgres://...)');

// Peak RSS per process, sampled every 100 ms: this process, each worker, the simulator.
const peaks = new Map<string, number>();
/** the phase being timed: peaks are kept per phase too (the limit's own work is not Ledgerlink's) */
let phase = 'setup';
const watched = new Map<string, number>();
function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
/**
 * CPU seconds used so far by each watched process, this one, every other process by command name (PostgreSQL's by
 * role), and the whole machine. Linux only (/proc): elsewhere the CPU lines are left out.
 */
const hasProc = existsSync('/proc/stat');
/** `pid N` -> `other <name>` as last seen */
const otherNames = new Map<string, string>();
function cpuNow(): Map<string, number> {
  if (!hasProc) return new Map();
  const tick = 100; // USER_HZ on Linux
  const of = (pid: number | string) => {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      return { comm: f.slice(f.indexOf('(') + 1, f.lastIndexOf(')')), s: (Number(rest[11]) + Number(rest[12])) / tick };
    } catch {
      return undefined;
    }
  };
  const out = new Map<string, number>([['ledgerlink (this process)', of(process.pid)?.s ?? 0]]);
  for (const [k, pid] of watched) out.set(k, of(pid)?.s ?? 0);
  // everything else by command name (PostgreSQL's backends and autovacuum, npx/tsx wrappers, other tenants)
  const mine = new Set([process.pid, ...watched.values()]);
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || mine.has(Number(d))) continue;
    const x = of(d);
    if (!x) continue;
    let name = x.comm;
    if (name === 'postgres') {
      // "postgres: 15/main: checkpointer" (a server process) or "postgres: 15/main: user db host(port) idle" (a backend)
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      } catch {}
      const m =
        /^postgres: [^:]+: (checkpointer|background writer|walwriter|autovacuum (?:launcher|worker)|logical replication launcher)/.exec(
          cmd.replace(/\0/g, ' '),
        );
      name = m ? `postgres ${m[1]}` : 'postgres backends';
    }
    // per process: a kernel thread renames itself between samples, so deltas are taken by pid, summed by name after
    out.set(`pid ${d}`, x.s);
    otherNames.set(`pid ${d}`, `other ${name}`);
  }
  // the whole machine (/proc/stat, all cores): busy, idle, waiting on disk, stolen by the hypervisor
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((x) => Number(x) / tick);
  out.set('machine busy', user! + nice! + system! + irq! + softirq!);
  out.set('machine idle', idle!);
  out.set('machine iowait', iowait!);
  out.set('machine steal', steal!);
  return out;
}
/** Minor page faults and system CPU (kernel time) of this process and the watched ones: fresh memory costs both. */
function faultsNow(): Map<string, { faults: number; sys: number }> {
  const out = new Map<string, { faults: number; sys: number }>();
  if (!hasProc) return out;
  for (const [k, pid] of [['ledgerlink (this process)', process.pid] as const, ...watched]) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      out.set(k, { faults: Number(rest[7]), sys: Number(rest[12]) / 100 });
    } catch {}
  }
  return out;
}
const faultsLine = (before: ReturnType<typeof faultsNow>) =>
  [...faultsNow()]
    .map(([k, a]) => {
      const b = before.get(k) ?? { faults: 0, sys: 0 };
      return `${k} ${a.faults - b.faults} (system ${(a.sys - b.sys).toFixed(1)} s)`;
    })
    .join(', ');
const cpuLine = (before: Map<string, number>, wallMs: number) => {
  if (!hasProc) return 'CPU: not measured (no /proc)';
  const after = cpuNow();
  const deltas = new Map<string, number>();
  for (const [k, v] of after) {
    const name = k.startsWith('pid ') ? otherNames.get(k)! : k;
    deltas.set(name, (deltas.get(name) ?? 0) + v - (before.get(k) ?? 0));
  }
  const all = [...deltas];
  const parts = all.filter(([k, v]) => !k.startsWith('machine') && (!k.startsWith('other ') || v >= 0.1));
  const machine = all.filter(([k]) => k.startsWith('machine'));
  const total = parts.reduce((n, [, v]) => n + v, 0);
  return `CPU ${total.toFixed(1)} s over ${secs(wallMs)} (${(total / (wallMs / 1000)).toFixed(2)} cores): ${parts.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}; ${machine.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')} (core-seconds)`;
};
/** this process's memory breakdown at its peak, per phase */
const peakUsage = new Map<string, NodeJS.MemoryUsage>();
function printBreakdown() {
  for (const [ph, m] of peakUsage) {
    console.log(
      `  at this process's ${ph} peak (${mb(m.rss)} MB): heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB (array buffers ${mb(m.arrayBuffers)} MB), rest (code, stacks, native: SQLite, allocator) ${mb(m.rss - m.heapTotal - m.external)} MB`,
    );
  }
}
/** each Ledgerlink process's peak RSS during the timed syncs */
function printSyncPeaks() {
  const during = (p: string) =>
    [...peaks]
      .filter(([k]) => k.startsWith(`${p}|`) && !k.endsWith('|simulator'))
      .map(([k, v]) => `${k.slice(p.length + 1)} ${mb(v)} MB`)
      .join(', ');
  console.log(
    `peak RSS during the syncs    : full: ${during('full')}; incremental: ${during('incremental') || '-'}   (target < 400 MB each; simulator ${mb(peaks.get('simulator') ?? 0)} MB)`,
  );
}
const sampler = setInterval(() => {
  const note = (k: string, v: number) => {
    peaks.set(k, Math.max(peaks.get(k) ?? 0, v));
    const pk = `${phase}|${k}`;
    peaks.set(pk, Math.max(peaks.get(pk) ?? 0, v));
  };
  const m = process.memoryUsage();
  if (m.rss > (peaks.get(`${phase}|ledgerlink (this process)`) ?? 0)) peakUsage.set(phase, m);
  note('ledgerlink (this process)', m.rss);
  for (const [k, pid] of watched) note(k, rssOf(pid));
}, 100);

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
function child(args: string[], env: NodeJS.ProcessEnv = process.env, nodeArgs: string[] = []): ChildProcess {
  // with the node options bin/ledgerlink.mjs's shebang gives `npx ledgerlink` (this process is started with them too:
  // npm run bench:company)
  const c = spawn(process.execPath, [...STARTUP_FLAGS, ...nodeArgs, 'bin/ledgerlink.mjs', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
}

async function separateSimulator() {
  const c = child(
    ['simulator', '--port', '0', '--scale', String(scale), '--request-log'],
    process.env,
    values['profile-simulator'] ? ['--cpu-prof', `--cpu-prof-dir=${values['profile-simulator']}`] : [],
  );
  watched.set('simulator', c.pid!);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    c.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    c.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        watched.delete('simulator');
        c.once('exit', () => resolve());
        c.kill('SIGINT');
      }),
  };
}

log(
  `simulator scale ${scale} (own process), Ledgerlink on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}, ${
    workers ? `${workers} worker processes` : 'embedded executor'
  }, page size ${pageSize}, validation ${values.validate ? 'on' : 'off'}`,
);
const sim = await separateSimulator();
const h = await startSyncHarness({
  sim,
  startEngine: workers === 0,
  engine: {
    ...(workers ? { role: 'producer' as const } : {}),
    worker: { pollMs: 50, concurrency, staleAfterMs: 120_000 },
    // the production default for deletion checks (the test harness checks on every incremental)
    pipeline: { pageSize, perConnection, deletionCheckAfterMs: DEFAULT_PIPELINE_OPTIONS.deletionCheckAfterMs },
    ...(values.validate ? {} : { validate: null }),
    // no scheduler ticks: a tick would queue other work mid-run
    schedulerTickMs: 86_400_000,
  },
});
// as `serve` does (src/platform/process.ts): this process plays `ledgerlink serve --embedded`
// (the harness's config does not read the environment: HEAP_GROWING_PERCENT is read here)
tuneHeap(loadConfig(process.env).heapGrowingPercent);
const lacking = missingStartupFlags();
if (lacking.length > 0) {
  log(
    `this process lacks ${lacking.join(' ')} (which \`ledgerlink serve\` has): run it as \`npm run bench:company -- ...\``,
  );
}
const db = h.server.store.db;
const onPostgres = dialectOf(db) === 'postgres';
const demo = DEMO_COMPANIES[0]!;

const workerLog = values['worker-log'] ? createWriteStream(values['worker-log']) : undefined;
function startWorker(): ChildProcess {
  const dbc = h.server.config.database;
  if (dbc.dialect !== 'postgres') throw new Error('PostgreSQL only');
  const c = child(
    [
      'worker',
      '--page-size',
      String(pageSize),
      '--poll-ms',
      '50',
      '--concurrency',
      String(concurrency),
      '--per-connection',
      String(perConnection),
      ...(dbc.schema ? ['--db-schema', dbc.schema] : []),
    ],
    {
      ...process.env,
      LOG_LEVEL: values['worker-log'] ? 'info' : 'warn',
      DATA_DIR: h.server.store.dir,
      LEDGERLINK_MASTER_KEY: h.server.config.masterKey.current!,
      PUBLIC_URL: h.server.url,
      SAGE_AUTH_BASE_URL: sim.url,
      SAGE_API_BASE_URL: `${sim.url}/uk/sage200/accounts/v1/`,
      DATABASE_URL: dbc.url,
    },
    [
      ...(values['profile-workers'] ? ['--cpu-prof', `--cpu-prof-dir=${values['profile-workers']}`] : []),
      ...(values['worker-node-args']?.split(/\s+/).filter(Boolean) ?? []),
    ],
  );
  watched.set(`worker ${c.pid}`, c.pid!);
  if (workerLog) c.stdout!.pipe(workerLog, { end: false });
  else c.stdout!.resume();
  return c;
}
const workerProcs = Array.from({ length: workers }, startWorker);

// The simulator builds a company's books on first use: build them before anything is timed.
let t = performance.now();
await fetch(`${sim.url}/_sim/companies/${demo.companyId}/checks`);
log(`simulator books built in ${secs(performance.now() - t)}`);

// PostgreSQL's autovacuum, sampled every 250 ms per phase: after a million inserts it vacuums and analyzes the
// records table for a while, which competes with whatever runs next.
const autovacuum = new Map<string, { samples: number; busy: number; what: Set<string> }>();
const pgSampler = onPostgres
  ? setInterval(async () => {
      const ph = phase;
      const rows = await sql<{
        query: string;
      }>`select query from pg_stat_activity where backend_type = 'autovacuum worker'`
        .execute(db)
        .then((r) => r.rows)
        .catch(() => undefined);
      if (!rows) return;
      const a = autovacuum.get(ph) ?? { samples: 0, busy: 0, what: new Set<string>() };
      a.samples++;
      if (rows.length) a.busy++;
      for (const r of rows) a.what.add(r.query.replace(/^autovacuum: /, '').replace(/"?[a-z0-9_]+"?\./, ''));
      autovacuum.set(ph, a);
    }, 250)
  : undefined;
/** PostgreSQL: WAL written and shared-buffer reads since a snapshot (the writes a phase cost the server). */
async function pgIo() {
  if (!onPostgres) return undefined;
  const { rows } = await sql<{
    records: string;
    fpi: string;
    bytes: string;
    read: string;
    hit: string;
    lsn: string;
  }>`
    select w.wal_records::text as records, w.wal_fpi::text as fpi, w.wal_bytes::text as bytes,
           d.blks_read::text as read, d.blks_hit::text as hit, pg_current_wal_lsn()::text as lsn
    from pg_stat_wal w, pg_stat_database d where d.datname = current_database()`.execute(db);
  return rows[0];
}
async function pgIoLine(label: string, before: Awaited<ReturnType<typeof pgIo>>) {
  const after = await pgIo();
  if (!before || !after) return;
  const d = (k: Exclude<keyof typeof after, 'lsn'>) => Number(after[k]) - Number(before[k]);
  // the LSNs let `pg_waldump --stats=record -s FROM -e TO` say which tables and operations wrote the WAL
  log(
    `${label}: WAL ${mb(d('bytes'))} MB in ${d('records')} records (${d('fpi')} full-page images, LSN ${before.lsn} - ${after.lsn}); shared buffers: ${d('read')} blocks read, ${d('hit')} hits`,
  );
}
const autovacuumLine = (ph: string) => {
  const a = autovacuum.get(ph);
  return a
    ? `autovacuum active in ${a.busy} of ${a.samples} samples${a.what.size ? ` (${[...a.what].join('; ')})` : ''}`
    : '';
};

/**
 * PostgreSQL only, untimed: VACUUM ANALYZE the tables with many rows changed since their last vacuum or analyze, which
 * is what autovacuum would otherwise do during the next timed phase. After the full sync's million inserts that is
 * the records table, for tens of seconds; a scheduled incremental sync runs hours later, on a settled database.
 * Then a CHECKPOINT: the server's own checkpoints would otherwise still be writing out the gigabyte the full sync
 * dirtied while the next phase commits (each commit's WAL flush queued behind them on this machine's disk).
 */
async function settleDatabase(after: string) {
  if (!onPostgres) return;
  const t = performance.now();
  const { rows } = await sql<{ relname: string }>`
    select relname from pg_stat_user_tables
    where schemaname = current_schema() and (n_ins_since_vacuum > 10000 or n_mod_since_analyze > 10000)`.execute(db);
  for (const r of rows) await sql`vacuum (analyze) ${sql.id(r.relname)}`.execute(db);
  const checkpoint = await sql`checkpoint`
    .execute(db)
    .then(() => 'CHECKPOINT')
    .catch((err: Error) => `no CHECKPOINT (${err.message})`);
  log(
    `after the ${after}: VACUUM ANALYZE ${rows.map((r) => r.relname).join(', ') || '(nothing pending)'}, ${checkpoint} in ${secs(performance.now() - t)} (untimed; autovacuum's and the checkpointer's work)`,
  );
}

/** Starts a CPU profile of this process when `file` is set; the returned function writes it. */
async function profile(file: string | undefined): Promise<() => Promise<void>> {
  if (!file) return async () => {};
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

const IN_FLIGHT = ['Queued', 'Fetching', 'Mapping', 'Validating', 'Processing'];
/** Queues every data type of the company and waits until none is in flight. */
async function syncAll(companyId: string) {
  const since = new Date().toISOString();
  const res = await h.server.fetch(`/companies/${companyId}/data/all`, { method: 'POST' });
  if (res.status >= 300) throw new Error(`data/all: ${res.status} ${await res.text()}`);
  const started = performance.now();
  let lastLog = started;
  for (;;) {
    const rows = await db
      .selectFrom('datasets')
      .select([
        'data_type',
        'status',
        'records_fetched',
        'records_modified',
        'records_deleted',
        'error_message',
        'started',
        'completed',
      ])
      .where('company_id', '=', companyId)
      .where('requested', '>=', since)
      .execute();
    const running = rows.filter((r) => IN_FLIGHT.includes(r.status));
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      const fetched = rows.reduce((n, r) => n + r.records_fetched, 0);
      log(
        `  ... ${secs(lastLog - started)}: ${fetched} records fetched; running: ${running.map((r) => r.data_type).join(', ')}`,
      );
    }
    if (running.length === 0) return { ms: performance.now() - started, rows };
    // finely enough that polling adds little to a 4-second incremental sync
    await new Promise((r) => setTimeout(r, 25));
  }
}

function summarise(rows: Awaited<ReturnType<typeof syncAll>>['rows']) {
  const failed = rows.filter((r) => r.status !== 'Complete');
  return {
    fetched: rows.reduce((n, r) => n + r.records_fetched, 0),
    modified: rows.reduce((n, r) => n + r.records_modified, 0),
    deleted: rows.reduce((n, r) => n + r.records_deleted, 0),
    failed,
  };
}

// 1. Full sync of every data type, cold (nothing cached in Ledgerlink; books built in the simulator).
const l = await h.link(demo.companyId);
clearLookupCaches();
await fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });
// the sync and the limit both start from a simulator without query snapshots or order indexes
const dropQueryCache = () => fetch(`${sim.url}/_sim/companies/${demo.companyId}/query-cache`, { method: 'DELETE' });
await dropQueryCache();
phase = 'full';
/** PostgreSQL, --pg-statements: the statements that took the most time since the last reset */
async function printPgStatements(label: string) {
  if (!values['pg-statements']) return;
  const { rows } = await sql<{ calls: string; ms: string; rows: string; query: string }>`
    select calls, round(total_exec_time)::text as ms, rows, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 160) as query
    from public.pg_stat_statements order by total_exec_time desc limit 20`.execute(db);
  for (const r of rows)
    log(
      `  ${label}: pg ${r.ms.padStart(6)} ms ${String(r.calls).padStart(6)} calls ${String(r.rows).padStart(7)} rows  ${r.query}`,
    );
}
if (values['pg-statements']) await sql`select public.pg_stat_statements_reset()`.execute(db);
const fullIo = await pgIo();
const fullCpu = cpuNow();
const stopFullProfile = await profile(values['profile-full']);
const full = await syncAll(l.companyId);
log(`full ${cpuLine(fullCpu, full.ms)}`);
await pgIoLine('full', fullIo);
await printPgStatements('full');
if (pgSampler) log(`full: ${autovacuumLine('full')}`);
await stopFullProfile();
phase = 'limit';
await settleDatabase('full sync');
const fullSum = summarise(full.rows);
const span = (r: { started: string | null; completed: string | null }) =>
  r.started && r.completed ? Date.parse(r.completed) - Date.parse(r.started) : 0;
const perType = (rows: typeof full.rows) =>
  log(
    `per data type (records, seconds): ${[...rows]
      .sort((a, b) => span(b) - span(a))
      .map((r) => `${r.data_type} ${r.records_fetched} ${(span(r) / 1000).toFixed(1)}`)
      .join(', ')}`,
  );
perType(full.rows);
function timeline(rows: typeof full.rows) {
  const t0 = Math.min(...rows.map((r) => Date.parse(r.started ?? r.completed ?? '')).filter(Number.isFinite));
  log(
    `timeline (start-end, s): ${[...rows]
      .filter((r) => r.started && r.completed)
      .sort((a, b) => Date.parse(a.started!) - Date.parse(b.started!))
      .map(
        (r) =>
          `${r.data_type} ${((Date.parse(r.started!) - t0) / 1000).toFixed(1)}-${((Date.parse(r.completed!) - t0) / 1000).toFixed(1)}`,
      )
      .join(', ')}`,
  );
}
timeline(full.rows);
const stored = Number(
  (
    await db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('company_id', '=', l.companyId)
      .executeTakeFirstOrThrow()
  ).n,
);
log(
  `full sync: ${stored} records (${fullSum.fetched} fetched) of ${full.rows.length} data types in ${secs(full.ms)} (${Math.round(
    stored / (full.ms / 1000),
  )} records/s)${fullSum.failed.length ? `; NOT Complete: ${fullSum.failed.map((f) => `${f.data_type} ${f.status} ${f.error_message}`).join('; ')}` : ''}`,
);

{
  // The lookup snapshots the full sync left for other workers and later syncs (docs/sync.md#lookups): size, and
  // what reading one back costs (database read, inflate, deserialize; untimed in the figures above).
  const snaps = await db
    .selectFrom('lookup_snapshots')
    .select(['piece', 'payload'])
    .where('connection_id', '=', l.connectionId)
    .execute();
  const parts: string[] = [];
  for (const snap of snaps) {
    const t0 = performance.now();
    await db
      .selectFrom('lookup_snapshots')
      .select('payload')
      .where('connection_id', '=', l.connectionId)
      .where('piece', '=', snap.piece)
      .executeTakeFirstOrThrow();
    const raw = inflateRawSync(snap.payload);
    deserialize(raw);
    parts.push(
      `${snap.piece.split('|').pop()} ${mb1(snap.payload.byteLength)} MB (${mb1(raw.byteLength)} MB raw, read back in ${Math.round(performance.now() - t0)} ms)`,
    );
  }
  log(`lookup snapshots: ${parts.join(', ') || 'none'}`);
}

if (values['heap-snapshot']) {
  const session = new Session();
  session.connect();
  const file = openSync(values['heap-snapshot'], 'w');
  session.on('HeapProfiler.addHeapSnapshotChunk', (m) => writeSync(file, m.params.chunk));
  await session.post('HeapProfiler.collectGarbage');
  log(`after the full sync and a full GC: heap used ${mb(process.memoryUsage().heapUsed)} MB`);
  await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  closeSync(file);
  session.disconnect();
}

if (values['dump-requests']) {
  const log = await (await fetch(`${sim.url}/_sim/requests`)).text();
  writeFileSync(values['dump-requests'].replace(/(\.json)?$/, '.full.json'), log);
}
if (values['full-only']) {
  printSyncPeaks();
  printBreakdown();
  for (const w of workerProcs) w.kill('SIGTERM');
  await h.close();
  process.exit(0);
}

const headers = {
  Authorization: `Bearer ${l.accessToken}`,
  'X-Site': demo.siteId,
  'X-Company': String(demo.companyId),
  'Ocp-Apim-Subscription-Key': DEMO_SUBSCRIPTION_KEY,
};
let limitMs = Number.NaN;
const fullSyncOrders = new Map<string, URL>();
/**
 * The simulator builds an order index on a query's first use and keeps it while its data is unchanged (patching it
 * after writes). The limit starts from a simulator without any (as the full sync did), which also drops the ones
 * the full sync built, such as the `date_time_updated` orders incremental reads use; a database keeps its indexes.
 * So, untimed, one `$top=1` query per order the full sync read builds them again before the changes.
 */
async function restoreOrderIndexes() {
  const t0 = performance.now();
  for (const u of fullSyncOrders.values()) {
    const q = new URL(u);
    q.searchParams.set('$top', '1');
    q.searchParams.delete('$skip');
    const res = await fetch(q, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`rebuilding an order index: ${res.status} for ${q}`);
  }
  log(
    `rebuilt the simulator's ${fullSyncOrders.size} order indexes of the full sync in ${secs(performance.now() - t0)} (untimed)`,
  );
}
async function measureLimit() {
  // 2a. Limit, download: the data pages the sync read, replayed raw with the same parallelism.
  const served = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as {
    method: string;
    url: string;
    status: number;
  }[];
  const isLookup = (u: string) => /[?&]\$select=/.test(decodeURIComponent(u)) || /[?&]\$top=1(&|$)/.test(u);
  const dataPages = served.filter(
    (r) => r.method === 'GET' && r.status === 200 && r.url.includes('/accounts/v1/') && !isLookup(r.url),
  );
  log(`request log: ${served.length} requests, ${dataPages.length} data pages (the rest: lookups, freshness checks)`);
  // every (resource, order) the full sync read, to build again after the limit (restoreOrderIndexes)
  for (const r of served) {
    if (r.method !== 'GET' || r.status !== 200 || !r.url.includes('/accounts/v1/')) continue;
    const u = new URL(r.url, sim.url);
    const order = u.searchParams.get('$orderby');
    if (order) fullSyncOrders.set(`${u.pathname}|${order}`, u);
  }
  const parallel = Math.max(1, Math.min(perConnection, Math.max(1, workers) * concurrency));
  await dropQueryCache();
  t = performance.now();
  let next = 0;
  let rawRows = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = next++; i < dataPages.length; i = next++) {
        const res = await fetch(`${sim.url}${dataPages[i]!.url}`, { headers });
        // parsed as the connector parses a page (json-body.ts: faster than res.json() for large pages)
        const body = parseJsonBytes(Buffer.from(await res.arrayBuffer()));
        rawRows += Array.isArray(body) ? body.length : 1;
      }
    }),
  );
  const downloadMs = performance.now() - t;

  // 2b. Limit, insert: the same rows into a table shaped like `records`, one transaction per page of `pageSize`
  // (read back page by page, untimed, so memory stays at one page as in the sync). On PostgreSQL both page inserts
  // are measured, the engine's (contents joined into one text, split on the server) and plain text[] arrays, and
  // the faster is the limit.
  const pg = onPostgres;
  const types = (
    await db.selectFrom('datasets').select('data_type').distinct().where('company_id', '=', l.companyId).execute()
  ).map((r) => r.data_type);
  const insertAll = async (method: 'split' | 'unnest' | 'multi-row') => {
    // Shaped like `records`, with the same indexes (a loader into this table pays for them too): on PostgreSQL its
    // definition (the bigserial key, the content column's compression: lz4, migration 0204); on SQLite the
    // integer key is the rowid, and the other two indexes of migration 0200_sync.ts are made here.
    if (pg) {
      await sql`create table bench_records (like records including defaults including constraints
                  including compression including indexes)`.execute(db);
    } else {
      await sql`create table bench_records as select * from records where 1 = 0`.execute(db);
      await sql`create unique index bench_records_key on bench_records (company_id, data_type, record_id)`.execute(db);
      await sql`create index bench_records_modified on bench_records (company_id, data_type, modified_date)`.execute(
        db,
      );
    }
    let ms = 0;
    let inserted = 0;
    // one data type at a time, keyset on record_id (an index range on both databases)
    for (let ti = 0, after = ''; ti < types.length; ) {
      const type = types[ti]!;
      const page = await db
        .selectFrom('records')
        .select(['data_type', 'record_id', 'content'])
        .where('company_id', '=', l.companyId)
        .where('data_type', '=', type)
        .where('record_id', '>', after)
        .orderBy('record_id')
        .limit(pageSize)
        .execute();
      if (page.length === 0) {
        ti++;
        after = '';
        continue;
      }
      after = page[page.length - 1]!.record_id;
      const rows = page.map((p) => ({
        type: p.data_type,
        ...toStagedRow(typeof p.content === 'string' ? JSON.parse(p.content) : (p.content as never)),
      }));
      const now = new Date().toISOString();
      const t0 = performance.now();
      await db.transaction().execute(async (trx) => {
        if (method === 'split') {
          await sql`insert into bench_records (company_id, data_type, record_id, connection_id, content, content_hash,
                      source_modified_date, modified_date, is_deleted, dataset_id)
            select ${l.companyId}, ${type}, u.record_id, ${l.connectionId}, u.content::jsonb, u.content_hash,
                   u.source_modified_date, ${now}, 0, 'bench'
            from ${pgPageRows(pgPage(rows))}`.execute(trx);
          return;
        }
        if (method === 'unnest') {
          await sql`insert into bench_records (company_id, data_type, record_id, connection_id, content, content_hash,
                      source_modified_date, modified_date, is_deleted, dataset_id)
            select ${l.companyId}, ${type}, u.r, ${l.connectionId}, u.c::jsonb, u.h, u.s, ${now}, 0, 'bench'
            from unnest(${rows.map((r) => r.record_id)}::text[], ${rows.map((r) => r.content)}::text[],
                        ${rows.map((r) => r.content_hash)}::text[], ${rows.map((r) => r.source_modified_date)}::text[])
                 as u(r, c, h, s)`.execute(trx);
          return;
        }
        for (let j = 0; j < rows.length; j += 1000) {
          await trx
            .insertInto('bench_records' as never)
            .values(
              rows.slice(j, j + 1000).map((r) => ({
                company_id: l.companyId,
                data_type: r.type,
                record_id: r.record_id,
                connection_id: l.connectionId,
                content: r.content,
                content_hash: r.content_hash,
                source_modified_date: r.source_modified_date,
                modified_date: now,
                is_deleted: 0,
                dataset_id: 'bench',
              })) as never,
            )
            .execute();
        }
      });
      ms += performance.now() - t0;
      inserted += rows.length;
    }
    await sql`drop table bench_records`.execute(db);
    return { ms, inserted };
  };
  const methods = pg ? (['split', 'unnest'] as const) : (['multi-row'] as const);
  const results = [];
  for (const m of methods) results.push({ method: m, ...(await insertAll(m)) });
  const best = results.reduce((a, b) => (b.ms < a.ms ? b : a));
  const insertMs = best.ms;
  const inserted = best.inserted;
  if (results.length > 1)
    log(`limit inserts: ${results.map((r) => `${r.method} ${secs(r.ms)}`).join(', ')} (the faster counts)`);
  limitMs = downloadMs + insertMs;
  log(
    `limit: raw download of ${dataPages.length} pages (${rawRows} rows, ${parallel} at a time) ${secs(downloadMs)} + bulk insert of ${inserted} rows ${secs(insertMs)} = ${secs(limitMs)}`,
  );
}
if (!values['skip-limit']) {
  await measureLimit();
  await restoreOrderIndexes();
} else if (Number(values['idle-seconds']) > 0) {
  log(`idle for ${values['idle-seconds']} s (as the workers are while the limit is measured)`);
  await new Promise((r) => setTimeout(r, Number(values['idle-seconds']) * 1000));
}

// 3. About 1% of the records change in Sage: customers and suppliers renamed, new sales invoices posted.
const target = Math.max(1, Math.round((stored * changePct) / 100));
// one retry when a kept-alive socket was closed by the server meanwhile (nothing was processed)
const sage = (path: string, init: RequestInit = {}): Promise<Response> => {
  const go = () =>
    fetch(`${sim.url}/uk/sage200/accounts/v1/${path}`, {
      ...init,
      headers: { ...headers, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  return go().catch((err: Error) => {
    if ((err.cause as { code?: string } | undefined)?.code !== 'UND_ERR_SOCKET') throw err;
    return go();
  });
};
const list = async (path: string) => (await (await sage(path)).json()) as Record<string, unknown>[];
const customers = await list('customers?$orderby=id%20asc&$top=5000&$select=id,name');
const suppliers = await list('suppliers?$orderby=id%20asc&$top=5000&$select=id,name');
const taxCodes = await list('tax_codes?$top=500');
const nominals = await list('nominal_codes?$top=5000&$select=reference');
const t20 = taxCodes.find((x) => Number(x.tax_rate) === 20)!;
const n4000 = nominals.find((n) => n.reference === '4000')!;
const renames = [...customers, ...suppliers].slice(0, Math.floor(target / 2));
const postings = target - renames.length;
t = performance.now();
let changeNo = 0;
const jobs: (() => Promise<Response>)[] = [
  ...renames.map((p, i) => () => {
    const side = i < customers.length ? 'customers' : 'suppliers';
    return sage(`${side}/${p.id}`, { method: 'PUT', body: JSON.stringify({ name: `${p.name} *` }) });
  }),
  ...Array.from(
    { length: postings },
    (_, i) => () =>
      sage('sales_invoices', {
        method: 'POST',
        body: JSON.stringify({
          customer_id: customers[i % customers.length]!.id,
          transaction_date: '2026-11-20T00:00:00Z',
          reference: `BENCH-${i}`,
          second_reference: `BENCH${i}`,
          document_goods_value: 100,
          document_tax_value: 20,
          tax_analysis_items: [{ id: t20.id, goods_amount: 100, tax_amount: 20 }],
          nominal_analysis_items: [
            { code: n4000.reference, cost_centre: '', department: '', narrative: 'Bench', value: 100 },
          ],
        }),
      }),
  ),
];
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let i = changeNo++; i < jobs.length; i = changeNo++) {
      const res = await jobs[i]!();
      if (res.status !== 200) throw new Error(`change ${i}: ${res.status} ${await res.text()}`);
    }
  }),
);
log(
  `changed in Sage: ${renames.length} customers/suppliers renamed, ${postings} sales invoices posted (${secs(performance.now() - t)}, untimed)`,
);

// A database has indexes on the update stamps incremental reads filter and sort by; the simulator builds an order
// index on its first use (after a restart or the limit's cold start): build them, untimed, as it would have them.
t = performance.now();
const stampIndexes = await fetch(`${sim.url}/_sim/companies/${demo.companyId}/stamp-indexes`, { method: 'POST' });
if (stampIndexes.status !== 200) throw new Error(`stamp indexes: ${stampIndexes.status}`);
const { built } = (await stampIndexes.json()) as { built: string[] };
log(`simulator: ${built.length} update-stamp order indexes current in ${secs(performance.now() - t)} (untimed)`);

// 4. Incremental sync of every data type.
await settleDatabase('limit and the changes');
if (values['profile-simulator']) await new Promise((r) => setTimeout(r, 4000));
await fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });
phase = 'incremental';
if (values['pg-statements']) await sql`select public.pg_stat_statements_reset()`.execute(db);
const incrIo = await pgIo();
const incrFaults = faultsNow();
const incrCpu = cpuNow();
const stopProfile = await profile(values['profile-incremental']);
const incr = await syncAll(l.companyId);
phase = 'end';
log(`incremental ${cpuLine(incrCpu, incr.ms)}`);
await pgIoLine('incremental', incrIo);
if (hasProc) log(`incremental: minor page faults ${faultsLine(incrFaults)}`);
if (pgSampler) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where backend_type = 'client backend' and backend_start > now() - make_interval(secs => ${incr.ms / 1000})`.execute(
    db,
  );
  log(
    `incremental: ${autovacuumLine('incremental')}; before it: ${autovacuumLine('limit')}; PostgreSQL connections opened during it (still open): ${rows[0]?.n}`,
  );
}
if (pgSampler) clearInterval(pgSampler);
await printPgStatements('incremental');
await stopProfile();
const incrRequests = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as { url: string; ms: number }[];
if (values['dump-requests']) writeFileSync(values['dump-requests'], JSON.stringify(incrRequests, null, 1));
const slowest = [...incrRequests].sort((a, b) => b.ms - a.ms).slice(0, 6);
log(
  `incremental: slowest simulator answers: ${slowest.map((r) => `${r.ms} ms ${decodeURIComponent(r.url.slice(r.url.indexOf('/v1/') + 4)).slice(0, 140)}`).join(' | ')}`,
);
const incrSum = summarise(incr.rows);
perType(incr.rows);
timeline(incr.rows);
log(
  `incremental sync: ${secs(incr.ms)}; ${incrSum.modified} records modified${incrSum.failed.length ? `; NOT Complete: ${incrSum.failed.map((f) => `${f.data_type} ${f.status}`).join(', ')}` : ''}`,
);
clearInterval(sampler);

for (const w of workerProcs) w.kill('SIGTERM');
await Promise.all(workerProcs.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))));

console.log('');
console.log(`records in the company       : ${stored}`);
console.log(`full sync / limit            : ${(full.ms / limitMs).toFixed(2)}x   (target <= 1.5x)`);
console.log(`incremental (${changePct}% changed) / full : ${((incr.ms / full.ms) * 100).toFixed(1)}%   (target <= 5%)`);
printSyncPeaks();
printBreakdown();
console.log(
  `peak RSS, whole run          : ${[...peaks]
    .filter(([k]) => !k.includes('|') && k !== 'simulator')
    .map(([k, v]) => `${k} ${mb(v)} MB`)
    .join(', ')} (includes the limit's own download and insert)`,
);
await h.close();
