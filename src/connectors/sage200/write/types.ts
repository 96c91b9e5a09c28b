// Contracts of the Sage 200 writers: one module per Codat data type, each turning a standard-model body into Sage
// requests (validate -> resolve references -> send -> resolve the posted record) and back into the standard model.
import type { Logger } from 'pino';
import type { PushCallOptions, PushOption, PushOutcome } from '../../../push/types.ts';
import type { DataType, PushOperationType } from '../../connector.ts';
import type { Query, WriteRetry } from '../client.ts';
import type { Lookups } from './lookups.ts';

/** The part of Sage200Client the writers use (tests may pass the real client; nothing else is assumed). */
export interface WriteClient {
  get<T = unknown>(path: string, query?: Query): Promise<T>;
  post<T = unknown>(path: string, body: unknown, opts?: { retry?: WriteRetry; query?: Query }): Promise<T>;
  put<T = unknown>(path: string, body: unknown, opts?: { retry?: WriteRetry; query?: Query }): Promise<T>;
  delete<T = unknown>(path: string, opts?: { retry?: WriteRetry }): Promise<T>;
}

export interface WriteCall {
  client: WriteClient;
  lookups: Lookups;
  operation: PushOperationType;
  body: Record<string, unknown>;
  recordId?: string;
  options: PushCallOptions;
  logger: Logger;
}

export interface Writer {
  dataType: DataType;
  create?(call: WriteCall): Promise<PushOutcome>;
  update?(call: WriteCall): Promise<PushOutcome>;
  delete?(call: WriteCall): Promise<PushOutcome>;
  /** shown when an operation is not offered, e.g. posted ledger documents cannot be updated */
  refusals?: Partial<Record<PushOperationType, string>>;
  options(lookups: Lookups): Promise<PushOption>;
}

export type SageRow = Record<string, unknown> & { id?: number };
