// The checks in front of every Sage 200 API call, in the order Azure API Management and the Sage service apply them:
// subscription key (401, APIM wording), rate limit (429 + Retry-After), bearer token (401), then for everything but
// GET /sites: X-Site and X-Company present (401), granted to this user (403), and on the right edition's base (404).
import type { FastifyRequest } from 'fastify';
import { DEMO_SUBSCRIPTION_KEY, DEMO_USERS, type DemoCompany, type DemoUser } from '../demo.ts';
import type { CompanySwitches } from '../switches.ts';
import type { SimContext } from './context.ts';
import type { FaultDecision } from './limits.ts';

export type Edition = 'sage200' | 'sage200extra';

export interface Refusal {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Caller {
  user: DemoUser;
  fault: FaultDecision;
}

export interface CompanyCaller extends Caller {
  company: DemoCompany;
  switches: CompanySwitches;
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Gateway checks shared by GET /sites and the rest; returns the caller or the refusal to send. */
export function authenticate(ctx: SimContext, req: FastifyRequest): Caller | Refusal {
  const g = ctx.switches.global;
  if (g.enforceSubscriptionKey) {
    const key = header(req, 'ocp-apim-subscription-key');
    if (!key) {
      return refusal(401, {
        statusCode: 401,
        message:
          'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
      });
    }
    if (key !== DEMO_SUBSCRIPTION_KEY) {
      return refusal(401, {
        statusCode: 401,
        message:
          'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
      });
    }
  }
  const companyId = Number(header(req, 'x-company'));
  const companySwitches = Number.isInteger(companyId) ? ctx.switches.companies.get(companyId) : undefined;
  const throttle = companySwitches?.throttle ?? g.throttle;
  const wait = ctx.limits.throttle(companySwitches?.throttle ? `company:${companyId}` : 'global', throttle);
  if (wait !== undefined) {
    return refusal(
      429,
      { statusCode: 429, message: `Rate limit is exceeded. Try again in ${wait} seconds.` },
      { 'retry-after': String(wait) },
    );
  }
  const fault = ctx.limits.fault(companySwitches?.faults ?? g.faults);

  const auth = header(req, 'authorization');
  const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  if (!m) {
    return refusal(401, {
      statusCode: 401,
      message: 'Authorization has been denied for this request: send an Authorization: Bearer <access token> header.',
    });
  }
  const rec = ctx.store.lookupAccess(m[1]!);
  if (rec === 'invalid') {
    return refusal(401, { statusCode: 401, message: 'Invalid access token: obtain a new one from Sage ID.' });
  }
  if (rec === 'expired') {
    return refusal(401, { statusCode: 401, message: 'The access token has expired: refresh it at /oauth/token.' });
  }
  const user = DEMO_USERS.find((u) => u.email === rec.email)!;
  return { user, fault };
}

export function selectCompany(
  ctx: SimContext,
  req: FastifyRequest,
  caller: Caller,
  edition: Edition,
): CompanyCaller | Refusal {
  const site = header(req, 'x-site');
  const companyRaw = header(req, 'x-company');
  if (!site || !companyRaw) {
    const missing = [!site && 'X-Site', !companyRaw && 'X-Company'].filter(Boolean).join(' and ');
    return refusal(401, {
      Message: `Authorization has been denied for this request: the ${missing} header is missing. Take site_id and company_id from GET /sites.`,
    });
  }
  const companyId = /^\d+$/.test(companyRaw.trim()) ? Number(companyRaw.trim()) : Number.NaN;
  const company = ctx.books.company(companyId);
  if (
    !company ||
    !caller.user.companyIds.includes(companyId) ||
    company.siteId.toLowerCase() !== site.trim().toLowerCase()
  ) {
    return refusal(403, {
      Message: `Access to company '${companyRaw}' on site '${site}' is not granted to this user. Use a site_id and company_id pair returned by GET /sites.`,
    });
  }
  const switches = ctx.switches.companies.get(companyId)!;
  if (switches.professional !== (edition === 'sage200extra')) {
    return refusal(404, {
      Message: switches.professional
        ? `Company '${company.companyName}' is a Sage 200 Professional company: use the /uk/sage200extra/accounts/v1/ base.`
        : `Company '${company.companyName}' is a Sage 200 Standard company: use the /uk/sage200/accounts/v1/ base.`,
    });
  }
  return { ...caller, company, switches };
}

function refusal(status: number, body: unknown, headers?: Record<string, string>): Refusal {
  return { status, body, headers };
}

export const isRefusal = (x: Caller | Refusal): x is Refusal => 'status' in x;
