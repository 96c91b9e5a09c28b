// The hosted Link flow as plain functions (routes.ts only maps HTTP onto them):
// company page -> choose integration -> Continue -> connection start (state) -> Sage ID -> /oauth/callback ->
// (picker) -> Linked. Each step returns a page to render or a URL to redirect to.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import {
  type Connector,
  ConnectorError,
  type IntegrationCredentials,
  type SourceCompany,
  type TokenSet,
} from '../connectors/connector.ts';
import type { EventBus } from '../platform/events.ts';
import type { Clock } from '../platform/ids.ts';
import type { Keyring } from '../platform/secrets.ts';
import { saveConsentTokens } from '../platform/tokens.ts';
import type { Database } from '../store/schema.ts';
import {
  companyPage,
  continuePage,
  type IntegrationChoice,
  messagePage,
  type Page,
  pickerPage,
  successPage,
} from './pages.ts';
import {
  findCompany,
  findConnection,
  findReusableConnection,
  type LinkCompany,
  type LinkConnection,
  markLinked,
  type SageConnectionInfo,
} from './platform.ts';
import { consumeState, createState, peekState } from './states.ts';
import { connectionLinkUrl, oauthCallbackUrl } from './urls.ts';

export type Step = Page | { redirect: string };

export interface LinkDeps {
  db: Kysely<Database>;
  keyring: Keyring;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  events: EventBus;
  /** read per request: tests learn the port after listening */
  publicUrl: () => string;
  /** accounting connectors installed in this build */
  connectors: () => Connector[];
  /** whether the tenant configured (credentials saved) and enabled the integration */
  integrationState: (tenantId: string, platformKey: string) => Promise<{ enabled: boolean; configured: boolean }>;
  /** the tenant's decrypted credentials for the active environment */
  credentials: (tenantId: string, platformKey: string) => Promise<IntegrationCredentials>;
  /** creates a PendingAuth connection through the platform's repository; returns its id */
  createConnection: (tenantId: string, companyId: string, platformKey: string) => Promise<string>;
}

/** Codat's Link shows the Sage 200 option as "Sage200cloud"; the button then says "Continue to Sage 200cloud". */
const CHOICE_LABELS: Record<string, string> = { jcrp: 'Sage200cloud' };

interface PickPayload {
  tokens: { accessToken: string; refreshToken: string; accessTokenExpiresAt: string; refreshTokenExpiresAt?: string };
  companies: SourceCompany[];
}

const notFoundCompany = () =>
  messagePage({
    status: 404,
    title: 'Link not found',
    message: 'This link does not match any company.',
    hint: 'Check that you opened the whole link you were sent, or ask the sender for a new one.',
  });

const notSetUp = (name = 'The accounting integration') =>
  messagePage({
    status: 409,
    title: 'Not available yet',
    message: `${name} has not been set up yet, so you cannot connect your accounting software at the moment.`,
    hint: 'The company that sent you this link must set up and enable the integration first. Please let them know.',
  });

async function availableIntegrations(deps: LinkDeps, company: LinkCompany): Promise<Connector[]> {
  const out: Connector[] = [];
  for (const c of deps.connectors()) {
    if (c.sourceType !== 'Accounting') continue;
    const st = await deps.integrationState(company.tenantId, c.platformKey);
    if (st.enabled && st.configured) out.push(c);
  }
  return out;
}

export async function companyStep(deps: LinkDeps, companyId: string): Promise<Step> {
  const company = await findCompany(deps.db, companyId);
  if (!company) return notFoundCompany();
  const integrations = await availableIntegrations(deps, company);
  if (integrations.length === 0) return notSetUp();
  const choices: IntegrationChoice[] = integrations.map((c) => ({
    platformKey: c.platformKey,
    label: CHOICE_LABELS[c.platformKey] ?? c.name,
  }));
  return companyPage({ companyId: company.id, companyName: company.name, integrations: choices });
}

async function resolveIntegration(
  deps: LinkDeps,
  companyId: string,
  platformKey: string | undefined,
): Promise<{ company: LinkCompany; connector: Connector } | Page> {
  const company = await findCompany(deps.db, companyId);
  if (!company) return notFoundCompany();
  const connector = deps.connectors().find((c) => c.platformKey === platformKey);
  if (!connector) {
    return messagePage({
      status: 400,
      title: 'Choose your accounting software',
      message: 'Please choose the accounting software you use.',
      linkUrl: `/link/company/${company.id}`,
      linkLabel: 'Back',
    });
  }
  const st = await deps.integrationState(company.tenantId, connector.platformKey);
  if (!st.enabled || !st.configured) return notSetUp(connector.name);
  return { company, connector };
}

export async function continueStep(deps: LinkDeps, companyId: string, platformKey?: string): Promise<Step> {
  const r = await resolveIntegration(deps, companyId, platformKey);
  if ('status' in r) return r;
  return continuePage({
    companyId: r.company.id,
    platformKey: r.connector.platformKey,
    platformName: r.connector.name,
  });
}

/** "Continue": reuse the company's connection to this platform (any status, same id) or create a PendingAuth one. */
export async function connectStep(deps: LinkDeps, companyId: string, platformKey?: string): Promise<Step> {
  const r = await resolveIntegration(deps, companyId, platformKey);
  if ('status' in r) return r;
  const existing = await findReusableConnection(deps.db, r.company.id, r.connector.platformKey);
  const connectionId =
    existing?.id ?? (await deps.createConnection(r.company.tenantId, r.company.id, r.connector.platformKey));
  return { redirect: `/link/companies/${r.company.id}/connections/${connectionId}/start` };
}

/** The connection's linkUrl: a fresh single-use state, then off to the platform's sign-in. */
export async function startStep(deps: LinkDeps, companyId: string, connectionId: string): Promise<Step> {
  const company = await findCompany(deps.db, companyId);
  if (!company) return notFoundCompany();
  const connection = await findConnection(deps.db, company.id, connectionId);
  if (!connection) return notFoundCompany();
  const connector = deps.connectors().find((c) => c.platformKey === connection.platformKey);
  if (!connector) return notSetUp();
  const st = await deps.integrationState(company.tenantId, connector.platformKey);
  if (!st.enabled || !st.configured) return notSetUp(connector.name);
  const credentials = await deps.credentials(company.tenantId, connector.platformKey);
  const state = await createState(
    deps.db,
    deps.keyring,
    { purpose: 'authorize', tenantId: company.tenantId, companyId: company.id, connectionId: connection.id },
    deps.clock(),
  );
  return {
    redirect: connector.auth.authorizeUrl(credentials, { state, redirectUri: oauthCallbackUrl(deps.publicUrl()) }),
  };
}

const STATE_PAGES = {
  unknown: 'This sign-in link is not valid.',
  'wrong-purpose': 'This sign-in link is not valid.',
  used: 'This sign-in link has already been used.',
  expired: 'This sign-in link has expired.',
} as const;

function badState(reason: keyof typeof STATE_PAGES): Page {
  return messagePage({
    status: 400,
    title: 'Sign-in link not valid',
    message: STATE_PAGES[reason],
    hint: 'Nothing was changed. To connect, open the link you were sent again and sign in to Sage once more.',
  });
}

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
}

export async function callbackStep(deps: LinkDeps, q: CallbackQuery): Promise<Step> {
  if (!q.state) return badState('unknown');
  const consumed = await consumeState(deps.db, deps.keyring, q.state, 'authorize', deps.clock());
  if (!consumed.ok) return badState(consumed.reason);
  const { tenantId, companyId, connectionId } = consumed.state;
  const linkUrl = connectionLinkUrl(deps.publicUrl(), companyId, connectionId);
  const connection = await findConnection(deps.db, companyId, connectionId);
  const company = await findCompany(deps.db, companyId);
  if (!connection || !company) return notFoundCompany();
  const connector = deps.connectors().find((c) => c.platformKey === connection.platformKey);
  if (!connector) return notSetUp();

  if (q.error) {
    const denied = q.error === 'access_denied';
    return messagePage({
      status: denied ? 200 : 502,
      title: denied ? 'Access not shared' : 'Sign-in did not complete',
      message: denied
        ? `You chose not to share your ${connector.name} data with ${company.name}; to connect, open the link again.`
        : `${connector.name} sign-in did not complete: ${q.error_description ?? q.error}.`,
      linkUrl,
      linkLabel: 'Open the link again',
    });
  }
  if (!q.code) {
    return messagePage({
      status: 400,
      title: 'Sign-in did not complete',
      message: 'The answer from Sage carried no authorisation code.',
      hint: 'Nothing was changed. Open the link again to start over.',
      linkUrl,
      linkLabel: 'Open the link again',
    });
  }

  let tokens: TokenSet;
  let companies: SourceCompany[];
  try {
    const credentials = await deps.credentials(tenantId, connector.platformKey);
    tokens = await connector.auth.exchangeCode(credentials, {
      code: q.code,
      redirectUri: oauthCallbackUrl(deps.publicUrl()),
    });
    companies = await connector.auth.listCompanies(credentials, tokens.accessToken);
  } catch (err) {
    deps.logger.warn({ err: errSummary(err), connectionId }, 'link: sign-in could not be completed');
    return messagePage({
      status: 502,
      title: 'Sign-in did not complete',
      message: `We could not complete the connection to ${connector.name}: ${
        err instanceof ConnectorError ? err.message : 'an unexpected error occurred'
      }`,
      hint: 'Nothing was changed. Please open the link again in a few minutes.',
      linkUrl,
      linkLabel: 'Open the link again',
    });
  }

  const offered = restrictToPrevious(connection, companies);
  const supported = offered.filter((c) => c.supported);
  if (supported.length === 0) return noSupportedCompany(connector, offered, linkUrl);
  if (supported.length === 1) {
    return link(deps, { company, connection, connector, tokens, chosen: supported[0] });
  }
  const payload: PickPayload = {
    tokens: {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessTokenExpiresAt: tokens.accessTokenExpiresAt.toISOString(),
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt?.toISOString(),
    },
    companies: offered,
  };
  const token = await createState(
    deps.db,
    deps.keyring,
    { purpose: 'pick', tenantId, companyId, connectionId, payload },
    deps.clock(),
  );
  return pickerPage({ action: pickAction(companyId, connectionId), token, companies: offered });
}

export const pickAction = (companyId: string, connectionId: string) =>
  `/link/companies/${companyId}/connections/${connectionId}/pick`;

export async function pickStep(
  deps: LinkDeps,
  companyId: string,
  connectionId: string,
  body: { token?: string; choice?: string },
): Promise<Step> {
  if (!body.token) return badState('unknown');
  const now = deps.clock();
  const peeked = await peekState<PickPayload>(deps.db, deps.keyring, body.token, 'pick', now);
  if (!peeked.ok) return badState(peeked.reason);
  if (peeked.state.companyId !== companyId || peeked.state.connectionId !== connectionId) return badState('unknown');
  const payload = peeked.state.payload as PickPayload;
  const index = Number(body.choice);
  const chosen = Number.isInteger(index) ? payload.companies[index] : undefined;
  if (!chosen?.supported) {
    // Re-render with the same token (not used up yet) so the user can choose again.
    return {
      ...pickerPage({
        action: pickAction(companyId, connectionId),
        token: body.token,
        companies: payload.companies,
        error: chosen ? (chosen.reason ?? 'This company cannot be connected.') : 'Choose one of the companies below.',
      }),
      status: 400,
    };
  }
  const consumed = await consumeState<PickPayload>(deps.db, deps.keyring, body.token, 'pick', now);
  if (!consumed.ok) return badState(consumed.reason);
  const company = await findCompany(deps.db, companyId);
  const connection = await findConnection(deps.db, companyId, connectionId);
  const connector = connection && deps.connectors().find((c) => c.platformKey === connection.platformKey);
  if (!company || !connection || !connector) return notFoundCompany();
  const t = payload.tokens;
  const tokens: TokenSet = {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    accessTokenExpiresAt: new Date(t.accessTokenExpiresAt),
    refreshTokenExpiresAt: t.refreshTokenExpiresAt ? new Date(t.refreshTokenExpiresAt) : undefined,
  };
  return link(deps, { company, connection, connector, tokens, chosen });
}

/**
 * A connection that was linked before keeps its source company: its data belongs to that company, so a re-link
 * may only pick the same one (others are shown disabled, with the reason).
 */
function restrictToPrevious(connection: LinkConnection, companies: SourceCompany[]): SourceCompany[] {
  const prev = connection.connectionInfo;
  if (!prev || typeof prev.siteId !== 'string' || prev.companyId === undefined) return companies;
  return companies.map((c) =>
    c.siteId === prev.siteId && c.companyId === String(prev.companyId)
      ? c
      : {
          ...c,
          supported: false,
          reason:
            c.supported === false
              ? c.reason
              : `This connection is for ${String(prev.companyName ?? 'another company')}. To reconnect, choose that company.`,
        },
  );
}

function noSupportedCompany(connector: Connector, companies: SourceCompany[], linkUrl: string): Page {
  if (companies.length === 0) {
    return messagePage({
      status: 200,
      title: 'No company to share',
      message: `Your Sage ID has no ${connector.name} company that can be shared.`,
      hint: 'Nothing was changed. Sign in with the Sage ID that has access to your Sage 200 company, then open the link again.',
      linkUrl,
      linkLabel: 'Open the link again',
    });
  }
  const professional = companies.some((c) => /Professional/i.test(c.reason ?? ''));
  const reasons = [...new Set(companies.map((c) => c.reason).filter(Boolean))].join(' ');
  return messagePage({
    status: 200,
    title: professional ? 'Sage 200 Professional is not supported' : 'This company cannot be connected',
    message: professional
      ? `Sage 200 Professional is not supported. Only Sage 200 Standard (Sage 200cloud) companies can be connected, and none of the companies your Sage ID can reach is a Sage 200 Standard company.`
      : reasons || 'None of the companies your Sage ID can reach can be connected.',
    hint: 'Nothing was changed. If you also use Sage 200 Standard, sign in with the Sage ID that has access to it.',
    linkUrl,
    linkLabel: 'Open the link again',
  });
}

async function link(
  deps: LinkDeps,
  p: {
    company: LinkCompany;
    connection: LinkConnection;
    connector: Connector;
    tokens: TokenSet;
    chosen: SourceCompany;
  },
): Promise<Step> {
  const now = deps.clock();
  const info: SageConnectionInfo = {
    siteId: p.chosen.siteId,
    siteName: p.chosen.siteName,
    companyId: p.chosen.companyId,
    companyName: p.chosen.companyName,
    refreshTokenExpiresAt: p.tokens.refreshTokenExpiresAt?.toISOString() ?? null,
    linkedAt: now.toISOString(),
  };
  // Tokens and the Linked status commit together: never Linked without tokens, never tokens of an unlinked choice.
  await deps.db.transaction().execute(async (trx) => {
    await saveConsentTokens(trx, deps.keyring, p.connection.id, p.tokens, now);
    await markLinked(trx, p.connection.id, info, now);
  });
  const relinked = p.connection.status !== 'PendingAuth';
  deps.logger.info(
    { connectionId: p.connection.id, companyId: p.company.id, relinked, previousStatus: p.connection.status },
    'link: connection linked',
  );
  // Not awaited: subscribers (sync fetch on first link, webhooks) must not delay the page.
  void deps.events.emit('connectionLinked', {
    tenantId: p.company.tenantId,
    companyId: p.company.id,
    connectionId: p.connection.id,
    platformKey: p.connector.platformKey,
    relinked,
    connectionInfo: info,
  });
  return successPage({ companyName: p.chosen.companyName, siteName: p.chosen.siteName });
}

function errSummary(err: unknown) {
  return err instanceof ConnectorError
    ? { kind: err.kind, message: err.message, status: err.details.sourceStatus }
    : { message: err instanceof Error ? err.message : String(err) };
}
