// Structured JSON logging (pino) with secrets redacted wherever they appear in a logged object.
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Field names whose values are secrets; redacted at any of the depths listed below. */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'access_token',
  'refresh_token',
  'id_token',
  'clientSecret',
  'client_secret',
  'subscriptionKey',
  'apiKey',
  'masterKey',
  'authCode',
  '"ocp-apim-subscription-key"',
  '"x-api-key"',
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const k of SECRET_KEYS) {
    paths.push(k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`, `headers.${k}`);
  }
  return paths;
}

export interface LoggerOptions {
  level?: string;
  /** where to write (tests pass a stream to capture lines) */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'ledgerlink' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(), censor: '[redacted]' },
    },
    options.destination,
  );
}
