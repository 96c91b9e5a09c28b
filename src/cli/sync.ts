// `ledgerlink sync <companyId> [--dataType T] [--full]`: queues syncs for a company, runs them in this process
// (alongside any workers: claims are exclusive), shows a live progress bar per data type and ends with a table of
// records, duration and status. Exit code 0 when every dataset is Complete.
import { defaultEventBus } from '../platform/events.ts';
import { DatasetInProgressError, type DatasetRow } from '../sync/datasets.ts';
import { createSyncEngine } from '../sync/engine.ts';
import { intFlag, openProcess, parseFlags } from '../sync/process.ts';
import { createProgressRenderer, summaryTable } from '../sync/progress-view.ts';
import { SyncRequestError } from '../sync/service.ts';
import { IN_FLIGHT } from '../sync/statuses.ts';

const HELP = `Usage: ledgerlink sync <companyId> [--dataType T] [--full] [--page-size N] [--concurrency N]
Syncs one company (all data types fetched on first link, or one with --dataType) and shows progress.`;

export async function run(args: string[]): Promise<number> {
  const { flags, positional } = parseFlags(args);
  const companyId = positional[0];
  if (!companyId || flags.has('help')) {
    console.log(HELP);
    return companyId ? 0 : 2;
  }
  const { config, store, logger, keyring } = await openProcess(flags, 'warn');
  try {
    const company = await store.db
      .selectFrom('companies')
      .select(['id', 'tenant_id', 'name'])
      .where('id', '=', companyId)
      .executeTakeFirst();
    if (!company) {
      console.error(`Company ${companyId} not found. List companies with GET /companies (or in the portal).`);
      return 2;
    }
    const engine = await createSyncEngine({
      config,
      db: store.db,
      dialect: store.dialect,
      keyring,
      logger,
      events: defaultEventBus,
      role: 'embedded',
      worker: { concurrency: intFlag(flags, 'concurrency', 2), pollMs: 200 },
      pipeline: { pageSize: intFlag(flags, 'page-size') },
    });
    const dataType = flags.get('dataType') ?? flags.get('data-type');
    let ids: string[];
    try {
      if (dataType) {
        ids = [(await engine.service.queue(company.tenant_id, company.id, dataType, { full: flags.has('full') })).id];
      } else {
        ids = (await engine.service.queueAll(company.tenant_id, company.id, { trigger: 'all' })).map((r) => r.id);
      }
    } catch (err) {
      if (err instanceof DatasetInProgressError || err instanceof SyncRequestError) {
        console.error(err.message);
        return 1;
      }
      throw err;
    }
    if (ids.length === 0) {
      console.error('Nothing to sync: every data type is already in progress or disabled in the sync settings.');
      return 1;
    }
    console.log(`Syncing ${company.name} (${company.id}): ${ids.length} data type(s)`);
    await engine.start();
    const render = createProgressRenderer(process.stdout);
    let rows: DatasetRow[] = [];
    let stopRequested = false;
    const onSignal = () => {
      stopRequested = true;
    };
    process.once('SIGINT', onSignal);
    for (;;) {
      rows = await store.db.selectFrom('datasets').selectAll().where('id', 'in', ids).orderBy('requested').execute();
      render(rows, new Date());
      if (stopRequested || rows.every((r) => !(IN_FLIGHT as string[]).includes(r.status))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    process.off('SIGINT', onSignal);
    await engine.stop();
    rows = await store.db.selectFrom('datasets').selectAll().where('id', 'in', ids).orderBy('requested').execute();
    console.log(`\n${summaryTable(rows, new Date())}`);
    if (stopRequested) console.log('\nStopped: unfinished syncs were checkpointed and resume with the next worker.');
    return rows.every((r) => r.status === 'Complete') ? 0 : 1;
  } finally {
    await store.close();
  }
}
