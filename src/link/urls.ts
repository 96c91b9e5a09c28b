// The public URLs of the hosted Link flow (one place, so the API, tokens and pages agree).

export const companyLinkUrl = (publicUrl: string, companyId: string): string =>
  `${publicUrl}/link/company/${encodeURIComponent(companyId)}`;

export const connectionLinkUrl = (publicUrl: string, companyId: string, connectionId: string): string =>
  `${publicUrl}/link/companies/${encodeURIComponent(companyId)}/connections/${encodeURIComponent(connectionId)}/start`;

/** The redirect URI registered with Sage ID for this deployment. */
export const oauthCallbackUrl = (publicUrl: string): string => `${publicUrl}/oauth/callback`;
