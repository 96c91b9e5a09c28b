// Codat's dataset (pull operation) statuses and how connector failures map onto them.
import type { ConnectorErrorKind } from '../connectors/connector.ts';

export const DATASET_STATUSES = [
  'Initial',
  'Queued',
  'Fetching',
  'MapQueued',
  'Mapping',
  'Complete',
  'FetchError',
  'MapError',
  'InternalError',
  'ProcessingQueued',
  'Processing',
  'ProcessingError',
  'ValidationQueued',
  'Validating',
  'ValidationError',
  'AuthError',
  'Cancelled',
  'NotSupported',
  'RateLimitError',
  'PermissionsError',
  'PrerequisiteNotMet',
] as const;
export type DatasetStatus = (typeof DATASET_STATUSES)[number];

/** Statuses in which a worker holds the dataset (heartbeats expected). */
export const RUNNING: DatasetStatus[] = ['Fetching', 'Mapping', 'Validating', 'Processing'];
export const IN_FLIGHT: DatasetStatus[] = ['Queued', ...RUNNING];
export const ERRORED: DatasetStatus[] = [
  'FetchError',
  'MapError',
  'InternalError',
  'ProcessingError',
  'ValidationError',
  'AuthError',
  'RateLimitError',
  'PermissionsError',
  'PrerequisiteNotMet',
];

export function isErrored(s: string): boolean {
  return (ERRORED as string[]).includes(s);
}

export function statusForConnectorError(kind: ConnectorErrorKind): DatasetStatus {
  switch (kind) {
    case 'AuthError':
      return 'AuthError';
    case 'RateLimitError':
      return 'RateLimitError';
    case 'NotSupported':
      return 'NotSupported';
    case 'PermissionsError':
      return 'PermissionsError';
    case 'FetchError':
    case 'NotFound':
      return 'FetchError';
    default:
      return 'InternalError';
  }
}

/** Progress (0-100) shown for a stage; fetching grows with pages towards 70. */
export function progressFor(status: DatasetStatus, pages = 0): number {
  switch (status) {
    case 'Queued':
      return 0;
    case 'Fetching':
      return Math.min(70, 5 + Math.round(65 * (pages / (pages + 20))));
    case 'Mapping':
      return 75;
    case 'Validating':
      return 80;
    case 'Processing':
      return 90;
    case 'Complete':
      return 100;
    default:
      return 100;
  }
}
