// Turns Sage responses into ConnectorErrors with a message a person can act on. Sage's error bodies are not
// documented precisely (reference 6): ASP.NET `{"Message"}`, Azure APIM `{"statusCode","message"}`, Auth0
// `{"error","error_description"}`, plain text, or nothing at all (common on 401). We read all of them.
import { ConnectorError, type ConnectorErrorKind } from '../connector.ts';

const MAX_MESSAGE = 500;

/** The human-readable message inside an error body, or undefined when there is none. */
export function parseErrorBody(text: string | undefined | null): string | undefined {
  const trimmed = (text ?? '').trim();
  if (!trimmed) return undefined;
  try {
    const body = JSON.parse(trimmed) as unknown;
    if (typeof body === 'string') return clip(body);
    if (body && typeof body === 'object') {
      const o = body as Record<string, unknown>;
      for (const key of ['Message', 'message', 'error_description', 'ExceptionMessage', 'title', 'error']) {
        const v = o[key];
        if (typeof v === 'string' && v.trim()) return clip(v.trim());
        // OData style: {"error": {"message": "..."}}
        if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).message === 'string') {
          return clip(String((v as Record<string, unknown>).message));
        }
      }
    }
    return clip(trimmed);
  } catch {
    // HTML error pages from gateways are noise: keep only the text of a short body.
    if (/^<(!doctype|html)/i.test(trimmed)) return undefined;
    return clip(trimmed);
  }
}

function clip(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}

/** Maps a non-retryable HTTP status from the Sage 200 API to a ConnectorError. */
export function errorForStatus(status: number, bodyText: string | undefined, what: string): ConnectorError {
  const sourceMessage = parseErrorBody(bodyText);
  const suffix = sourceMessage ? `: ${sourceMessage}` : '';
  let kind: ConnectorErrorKind;
  let message: string;
  if (status === 401) {
    kind = 'AuthError';
    message = `Sage 200 refused the access token for ${what} (401)${suffix}. The connection must be re-linked.`;
  } else if (status === 403 && sourceMessage && /trial/i.test(sourceMessage)) {
    kind = 'TrialAccount';
    message = `Sage 200 refused ${what} because the company is on a trial account (Sage does not allow creating or updating records on trial accounts)${suffix}`;
  } else if (status === 403) {
    kind = 'PermissionsError';
    message = `Sage 200 denied access to ${what} (403)${suffix}. Check that the Sage user may use this company.`;
  } else if (status === 404) {
    kind = 'NotFound';
    message = `Sage 200 has no ${what} (404)${suffix}`;
  } else if (status === 400 || status === 409 || status === 422) {
    kind = sourceMessage && /trial/i.test(sourceMessage) ? 'TrialAccount' : 'ValidationError';
    message = `Sage 200 rejected ${what} (${status})${suffix}`;
  } else if (status === 429) {
    kind = 'RateLimitError';
    message = `Sage 200 is throttling requests (429) for ${what}${suffix}`;
  } else {
    kind = 'FetchError';
    message = `Sage 200 answered ${status} for ${what}${suffix}`;
  }
  return new ConnectorError(kind, message, { sourceStatus: status, sourceMessage });
}
