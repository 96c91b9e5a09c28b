// Discovery: which Sage 200 companies the signed-in user can share, and whether each is Sage 200 Standard.
// GET /sites returns one row per company (site and company ids together, reference 2.3). The edition is not in that
// row, so each company is probed with GET company_details: 200 on the Standard base => Standard; 404 there but 200
// on the Professional ("sage200extra") base => Professional, which this integration does not support.
import pino, { type Logger } from 'pino';
import { z } from 'zod';
import { ConnectorError, type IntegrationCredentials, type SourceCompany, type TokenProvider } from '../connector.ts';
import { Sage200Client, type Sage200ClientOptions } from './client.ts';

export const PROFESSIONAL_REASON =
  'This is a Sage 200 Professional company. Only Sage 200 Standard (Sage 200cloud) is supported, so it cannot be connected.';
export const UNREACHABLE_REASON =
  'This company could not be reached through the Sage 200 Standard API, so it cannot be connected.';

const siteRow = z.object({
  company_id: z.coerce.number().int(),
  company_name: z.string().nullish(),
  site_id: z.string().min(1),
  site_name: z.string().nullish(),
  site_short_name: z.string().nullish(),
});

export interface ListCompaniesDeps {
  logger?: Logger;
  clientOptions?: Sage200ClientOptions;
  /** how many companies to probe at once */
  concurrency?: number;
}

/** The Professional base for a Standard base URL (`/uk/sage200/` -> `/uk/sage200extra/`), if recognisable. */
export function professionalBaseUrl(standardBaseUrl: string): string | undefined {
  const replaced = standardBaseUrl.replace(/\/sage200\//, '/sage200extra/');
  return replaced === standardBaseUrl ? undefined : replaced;
}

function staticTokens(accessToken: string): TokenProvider {
  return {
    getAccessToken: async () => accessToken,
    refreshAfterUnauthorized: async () => {
      throw new ConnectorError('AuthError', 'Sage 200 refused the new access token. Sign in to Sage again.');
    },
  };
}

export async function listCompanies(
  credentials: IntegrationCredentials,
  accessToken: string,
  deps: ListCompaniesDeps = {},
): Promise<SourceCompany[]> {
  const logger = deps.logger ?? pino({ enabled: false });
  const base = { credentials, tokens: staticTokens(accessToken), logger, connectionId: 'link' };
  const unscoped = new Sage200Client({ ...base, source: { siteId: '', companyId: '' } }, deps.clientOptions);
  const body = await unscoped.getUnscoped<unknown>('sites');
  const rows = z.array(siteRow).safeParse(Array.isArray(body) ? body : (body as { value?: unknown })?.value);
  if (!rows.success) {
    throw new ConnectorError('FetchError', 'Sage 200 GET sites returned rows of an unexpected shape');
  }

  const extraBase = professionalBaseUrl(unscoped.baseUrl);
  const probe = async (row: z.infer<typeof siteRow>): Promise<SourceCompany> => {
    const company: SourceCompany = {
      siteId: row.site_id,
      siteName: row.site_name ?? row.site_short_name ?? row.site_id,
      companyId: String(row.company_id),
      companyName: row.company_name ?? `Company ${row.company_id}`,
      supported: true,
    };
    const source = { siteId: row.site_id, companyId: String(row.company_id) };
    const onBase = async (apiBaseUrl: string) => {
      const client = new Sage200Client({ ...base, source }, { ...deps.clientOptions, apiBaseUrl });
      try {
        await client.get('company_details');
        return 'ok' as const;
      } catch (err) {
        if (err instanceof ConnectorError && err.kind === 'NotFound') return 'not-found' as const;
        throw err;
      }
    };
    if ((await onBase(unscoped.baseUrl)) === 'ok') return company;
    const professional = extraBase ? (await onBase(extraBase)) === 'ok' : false;
    logger.info({ siteId: row.site_id, companyId: row.company_id, professional }, 'sage200: company not on Standard');
    return { ...company, supported: false, reason: professional ? PROFESSIONAL_REASON : UNREACHABLE_REASON };
  };

  const out: SourceCompany[] = new Array(rows.data.length);
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, rows.data.length) }, async () => {
      while (next < rows.data.length) {
        const i = next++;
        out[i] = await probe(rows.data[i]);
      }
    }),
  );
  return out;
}
