import { describe, expect, it } from 'vitest';
import { errorForStatus, parseErrorBody } from './errors.ts';

describe('parseErrorBody', () => {
  it('reads every error body shape Sage and its gateway use', () => {
    expect(parseErrorBody('{"Message":"The customer reference is too long."}')).toBe(
      'The customer reference is too long.',
    );
    expect(parseErrorBody('{"statusCode":401,"message":"Access denied due to invalid subscription key."}')).toBe(
      'Access denied due to invalid subscription key.',
    );
    expect(parseErrorBody('{"error":"invalid_grant","error_description":"Unknown or expired refresh token."}')).toBe(
      'Unknown or expired refresh token.',
    );
    expect(parseErrorBody('{"error":{"code":"x","message":"OData says no"}}')).toBe('OData says no');
    expect(parseErrorBody('Service Unavailable')).toBe('Service Unavailable');
    expect(parseErrorBody('')).toBeUndefined();
    expect(parseErrorBody(undefined)).toBeUndefined();
    expect(parseErrorBody('<html><body>Bad gateway</body></html>')).toBeUndefined();
    expect(parseErrorBody('x'.repeat(2000))?.length).toBeLessThan(510);
  });
});

describe('errorForStatus', () => {
  it('maps statuses to connector error kinds with the source message', () => {
    expect(errorForStatus(401, '', 'GET customers').kind).toBe('AuthError');
    expect(errorForStatus(403, '{"Message":"Denied"}', 'GET customers').kind).toBe('PermissionsError');
    const trial = errorForStatus(
      403,
      '{"Message":"This is a trial site: records cannot be created."}',
      'POST customers',
    );
    expect(trial.kind).toBe('TrialAccount');
    expect(trial.message).toMatch(/trial account/);
    expect(errorForStatus(404, '{"Message":"No customer 9"}', 'GET customers/9').details.sourceMessage).toBe(
      'No customer 9',
    );
    const v = errorForStatus(400, '{"Message":"name is longer than 60"}', 'POST customers');
    expect(v.kind).toBe('ValidationError');
    expect(v.message).toBe('Sage 200 rejected POST customers (400): name is longer than 60');
    expect(errorForStatus(504, '', 'GET sites').kind).toBe('FetchError');
    expect(errorForStatus(429, '', 'GET sites').kind).toBe('RateLimitError');
  });
});
