// The push workflow: record the push durably, then try it (validate -> resolve references -> send -> resolve the
// posted record -> record the outcome), retrying transient source failures with the SAME push key so the writer can
// look for an earlier try's posting before sending again. Crash recovery and timeouts run in the background.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import {
  type ConnectionContext,
  type Connector,
  ConnectorError,
  type DataType,
  type PushOperationType,
} from '../connectors/connector.ts';
import { fromJson } from '../store/json.ts';
import type { Database } from '../store/schema.ts';
import { PushConflictError, PushNotSupportedError, PushPartialError, PushValidationError } from './errors.ts';
import { IdempotencyStore } from './idempotency.ts';
import { type PushRow, PushStore } from './store.ts';
import type { PushCallOptions, PushChange, PushOutcome, ValidationItem } from './types.ts';

/** What the push core needs to reach a company's source. Implemented over the platform in ./platform.ts. */
export interface PushConnection {
  connectionId: string;
  companyId: string;
  status: string;
  connector: Connector;
  context(signal?: AbortSignal): Promise<ConnectionContext>;
}

export interface PushEvents {
  /** in the SAME transaction as the final status: `{dataType}.write.successful|unsuccessful` into the outbox */
  inTransaction?(trx: Kysely<Database>, row: PushRow): Promise<void>;
  /** after commit: queue a targeted sync of the data type so the record appears in reads */
  afterCommit?(row: PushRow): Promise<void>;
}

export interface PushServiceDeps {
  db: Kysely<Database>;
  logger: Logger;
  clock?: () => Date;
  loadConnection(tenantId: string, companyId: string, connectionId: string): Promise<PushConnection | undefined>;
  events?: PushEvents;
  /** how long a request waits for the push before answering with the Pending operation */
  waitMs?: number;
  /** tries per push for transient source failures (5xx, timeouts, dropped connections) */
  maxAttempts?: number;
  retryDelayMs?: (attempt: number) => number;
  /** a worker owns a push this long per try; after that another process may resume it (crash recovery) */
  leaseMs?: number;
  /** test seam: pretend the process died right after the source accepted the write, before we recorded it */
  crashAfterSourceWrite?: (pushOperationKey: string) => boolean;
}

export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash between sending to the source and recording the outcome');
  }
}

export interface StartPush {
  tenantId: string;
  companyId: string;
  connectionId: string;
  dataType: DataType;
  operation: PushOperationType;
  body: Record<string, unknown>;
  recordId?: string;
  timeoutInMinutes?: number | null;
  forceUpdate?: boolean;
  expectedSourceModified?: string | null;
  /** pre-allocated key (the idempotency layer reserves it first) */
  pushOperationKey?: string;
}

export class PushService {
  readonly store: PushStore;
  private readonly clock: () => Date;
  private readonly running = new Map<string, Promise<PushRow | undefined>>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly deps: PushServiceDeps) {
    this.store = new PushStore(deps.db);
    this.clock = deps.clock ?? (() => new Date());
  }

  /** The company's connection as the push core sees it (connector, status, context builder). */
  loadConnection(tenantId: string, companyId: string, connectionId: string): Promise<PushConnection | undefined> {
    return this.deps.loadConnection(tenantId, companyId, connectionId);
  }

  /** Records the push and starts it; answers with its state after at most `waitMs` (Pending if not done yet). */
  async start(input: StartPush): Promise<PushRow> {
    const key = input.pushOperationKey ?? randomUUID();
    await this.store.insert({ ...input, pushOperationKey: key, now: this.clock() });
    const run = this.run(key);
    const waitMs = this.deps.waitMs ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([run.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
    return (await this.store.get(key))!;
  }

  /** Runs (or joins) the workflow of one push in this process. */
  run(key: string): Promise<PushRow | undefined> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const p = this.runLoop(key).finally(() => this.running.delete(key));
    this.running.set(key, p);
    return p;
  }

  /** Waits for a push this process is running (tests, graceful shutdown). */
  async settled(key: string): Promise<PushRow | undefined> {
    await this.running.get(key)?.catch(() => undefined);
    return this.store.get(key);
  }

  private async runLoop(key: string): Promise<PushRow | undefined> {
    const maxAttempts = this.deps.maxAttempts ?? 4;
    for (;;) {
      const row = await this.store.claim(key, this.clock(), this.deps.leaseMs ?? 5 * 60_000);
      if (!row) return this.store.get(key); // finished, timed out, or another worker holds it
      const result = await this.attempt(row);
      if (result !== 'retry') return result;
      if (row.attempts >= maxAttempts) {
        return this.fail(
          row,
          502,
          'Sage 200 did not answer successfully after several tries. Nothing was posted twice: each retry first looked for an earlier posting.',
        );
      }
      await this.store.release(key, this.clock());
      const delay = this.deps.retryDelayMs?.(row.attempts) ?? Math.min(30_000, 500 * 2 ** (row.attempts - 1));
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  private async attempt(row: PushRow): Promise<PushRow | 'retry'> {
    const log = this.deps.logger.child({ pushOperationKey: row.push_operation_key, dataType: row.data_type });
    const conn = await this.deps.loadConnection(row.tenant_id, row.company_id, row.connection_id);
    if (!conn) return this.fail(row, 404, 'The connection no longer exists.');
    if (conn.status !== 'Linked') {
      return this.fail(row, 400, `The connection is ${conn.status}; link it again (its linkUrl) before pushing data.`);
    }
    if (!conn.connector.push) return this.fail(row, 400, `${conn.connector.name} does not support writing data.`);

    const progress = fromJson<Record<string, unknown>>(row.progress, {});
    const options: PushCallOptions = {
      pushOperationKey: row.push_operation_key,
      attempt: row.attempts,
      forceUpdate: row.force_update === 1,
      expectedSourceModifiedDate: row.expected_source_modified,
      progress,
      saveProgress: async (p) => {
        Object.assign(progress, p);
        await this.store.saveProgress(row.push_operation_key, progress, this.clock());
      },
    };
    try {
      const ctx = await conn.context();
      const body = fromJson<Record<string, unknown>>(row.body, {});
      const push = conn.connector.push as (
        ...args: [
          ConnectionContext,
          DataType,
          PushOperationType,
          Record<string, unknown>,
          string | undefined,
          PushCallOptions,
        ]
      ) => Promise<PushOutcome>;
      const outcome = await push(
        ctx,
        row.data_type as DataType,
        row.operation as PushOperationType,
        body,
        row.record_id ?? undefined,
        options,
      );
      if (this.deps.crashAfterSourceWrite?.(row.push_operation_key)) throw new SimulatedCrash();
      const changeType: PushChange['type'] =
        row.operation === 'create' ? 'Created' : row.operation === 'update' ? 'Modified' : 'Deleted';
      const done = await this.completeAndRecord(row.push_operation_key, {
        status: 'Success',
        statusCode: 200,
        warnings: outcome.warnings ?? [],
        changes: [{ type: changeType, recordRef: { id: outcome.record.id, dataType: row.data_type } }],
        recordId: outcome.record.id,
        data: row.operation === 'delete' ? undefined : outcome.record,
      });
      log.info({ recordId: outcome.record.id, alreadyApplied: outcome.alreadyApplied }, 'push succeeded');
      await this.afterCommit(done);
      return done;
    } catch (err) {
      if (err instanceof SimulatedCrash) throw err;
      return this.onError(row, err, log);
    }
  }

  private async onError(row: PushRow, err: unknown, log: Logger): Promise<PushRow | 'retry'> {
    if (err instanceof PushValidationError) {
      return this.fail(
        row,
        400,
        `The ${row.data_type} push failed validation: ${err.message}`,
        err.errors,
        err.warnings,
      );
    }
    if (err instanceof PushConflictError) return this.fail(row, 409, err.message);
    if (err instanceof PushNotSupportedError) return this.fail(row, 400, err.message);
    if (err instanceof PushPartialError) {
      const change: PushChange = { type: 'Created', recordRef: { id: err.record.id, dataType: row.data_type } };
      return this.fail(row, err.details.sourceStatus ?? 400, err.message, [], [], [change]);
    }
    if (err instanceof ConnectorError) {
      const status = err.details.sourceStatus;
      switch (err.kind) {
        case 'TrialAccount':
          return this.fail(
            row,
            status ?? 403,
            `Sage 200 trial accounts do not allow creating or updating records, so nothing was written. Sage answered ${status ?? 403}${err.details.sourceMessage ? `: "${err.details.sourceMessage}"` : ''}. Use a company on a full Sage 200 subscription.`,
          );
        case 'ValidationError':
          return this.fail(row, status ?? 400, err.message, [
            { itemId: row.data_type, message: err.details.sourceMessage ?? err.message, validatorName: 'Sage200' },
          ]);
        case 'FetchError':
        case 'RateLimitError':
          log.warn({ attempt: row.attempts, err: err.message }, 'push: transient source failure, will retry');
          return 'retry';
        case 'AuthError':
          return this.fail(row, 401, `${err.message}`);
        case 'NotFound':
          return this.fail(row, 404, err.message);
        default:
          return this.fail(row, status ?? 400, err.message);
      }
    }
    log.error({ err }, 'push: unexpected error');
    return this.fail(row, 500, `Internal error while pushing: ${err instanceof Error ? err.message : String(err)}`);
  }

  private async fail(
    row: PushRow,
    statusCode: number,
    message: string,
    errors: ValidationItem[] = [],
    warnings: ValidationItem[] = [],
    changes: PushChange[] | null = null,
  ): Promise<PushRow> {
    const done = await this.completeAndRecord(row.push_operation_key, {
      status: 'Failed',
      statusCode,
      errorMessage: message,
      errors,
      warnings,
      changes,
    });
    await this.afterCommit(done);
    return done;
  }

  /** The final status and its webhook event commit together (durable outbox). */
  private async completeAndRecord(key: string, outcome: Parameters<PushStore['complete']>[1]): Promise<PushRow> {
    const now = this.clock();
    return this.deps.db.transaction().execute(async (trx) => {
      const before = await new PushStore(trx).get(key);
      const done = await new PushStore(trx).complete(key, outcome, now);
      // A push that had already timed out announced itself then; do not announce it twice.
      if (before?.status === 'Pending') await this.deps.events?.inTransaction?.(trx, done);
      return done;
    });
  }

  private async afterCommit(row: PushRow): Promise<void> {
    try {
      await this.deps.events?.afterCommit?.(row);
    } catch (err) {
      this.deps.logger.error({ err, pushOperationKey: row.push_operation_key }, 'push: after-write hooks failed');
    }
  }

  /** Marks Pending pushes past their timeoutInMinutes as TimedOut. */
  async checkTimeouts(): Promise<PushRow[]> {
    const rows = await this.store.timeOutExpired(this.clock());
    for (const row of rows) {
      try {
        await this.deps.db
          .transaction()
          .execute((trx) => this.deps.events?.inTransaction?.(trx, row) ?? Promise.resolve());
      } catch (err) {
        this.deps.logger.error({ err, pushOperationKey: row.push_operation_key }, 'push: timeout event failed');
      }
    }
    return rows;
  }

  /** Resumes Pending pushes nobody owns (a crashed worker's, or ones never started). */
  async recover(): Promise<PushRow[]> {
    const rows = await this.store.resumable(this.clock());
    const out: PushRow[] = [];
    for (const row of rows) {
      if (this.running.has(row.push_operation_key)) continue;
      const done = await this.run(row.push_operation_key).catch(() => undefined);
      if (done) out.push(done);
    }
    return out;
  }

  /** Background loop: timeouts and crash recovery every `intervalMs`. */
  startBackground(intervalMs = 15_000): () => void {
    const tick = async () => {
      try {
        await this.checkTimeouts();
        await this.recover();
        await new IdempotencyStore(this.deps.db).purgeExpired(this.clock());
      } catch (err) {
        this.deps.logger.error({ err }, 'push: background check failed');
      }
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    return () => this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
