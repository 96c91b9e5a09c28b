// Server-rendered pages of the hosted Link flow. Plain HTML forms (work without JavaScript), every control labelled,
// one column that fits a phone. Every value shown is escaped.
import type { SourceCompany } from '../connectors/connector.ts';

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface Page {
  status: number;
  html: string;
}

function layout(title: string, body: string, status = 200): Page {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)} · Ledgerlink</title>
<link rel="stylesheet" href="/link/styles.css">
</head>
<body>
<header class="top" role="banner">Ledgerlink</header>
<main id="main">
<div class="card">
${body}
</div>
</main>
</body>
</html>`;
  return { status, html };
}

export interface IntegrationChoice {
  platformKey: string;
  /** shown on the radio, e.g. "Sage200cloud" (the label Codat's Link uses) */
  label: string;
}

export function companyPage(p: { companyId: string; companyName: string; integrations: IntegrationChoice[] }): Page {
  const choices = p.integrations
    .map(
      (i, n) =>
        `<label class="choice"><input type="radio" name="platformKey" value="${esc(i.platformKey)}"${
          n === 0 ? ' checked' : ''
        } required> <span>${esc(i.label)}</span></label>`,
    )
    .join('\n');
  return layout(
    'Connect your accounting software',
    `<h1>Connect your accounting software</h1>
<p>${esc(p.companyName)} would like to access your accounting data. Choose the software you use.</p>
<form method="get" action="/link/company/${esc(p.companyId)}/connect">
<fieldset>
<legend>Accounting software</legend>
<div class="choices">
${choices}
</div>
</fieldset>
<div class="actions"><button class="btn" type="submit">Next</button></div>
</form>`,
  );
}

export function continuePage(p: { companyId: string; platformKey: string; platformName: string }): Page {
  return layout(
    `Connect ${p.platformName}`,
    `<h1>Connect ${esc(p.platformName)}</h1>
<p>You will sign in to Sage with your Sage ID, authorise access, and choose the Sage 200 company to share.</p>
<p class="muted">Only Sage 200 Standard (Sage 200cloud) companies can be connected. Access is read and write, and you
can revoke it at any time.</p>
<form method="post" action="/link/company/${esc(p.companyId)}/connect">
<input type="hidden" name="platformKey" value="${esc(p.platformKey)}">
<div class="actions">
<button class="btn" type="submit">Continue to ${esc(p.platformName)}</button>
<a class="btn btn-secondary" href="/link/company/${esc(p.companyId)}">Back</a>
</div>
</form>`,
  );
}

export function pickerPage(p: { action: string; token: string; companies: SourceCompany[]; error?: string }): Page {
  const firstSupported = p.companies.findIndex((c) => c.supported);
  const items = p.companies
    .map((c, i) => {
      const id = `company-${i}`;
      const disabled = !c.supported;
      const reasonId = `${id}-reason`;
      return `<label class="choice${disabled ? ' choice-disabled' : ''}" for="${id}">
<input type="radio" id="${id}" name="choice" value="${i}"${disabled ? ` disabled aria-describedby="${reasonId}"` : ''}${
        i === firstSupported ? ' checked' : ''
      } required>
<span><strong>${esc(c.companyName)}</strong><br><span class="muted">Site: ${esc(c.siteName)}</span>${
        disabled ? `<span class="reason" id="${reasonId}">${esc(c.reason ?? 'Not supported')}</span>` : ''
      }</span></label>`;
    })
    .join('\n');
  return layout(
    'Choose a company',
    `<h1>Choose the company to share</h1>
${p.error ? `<p class="error" role="alert">${esc(p.error)}</p>` : ''}
<form method="post" action="${esc(p.action)}">
<input type="hidden" name="token" value="${esc(p.token)}">
<fieldset>
<legend>Your Sage 200 companies</legend>
<div class="choices">
${items}
</div>
</fieldset>
<div class="actions"><button class="btn" type="submit">Share this company</button></div>
</form>`,
  );
}

export function successPage(p: { companyName: string; siteName: string }): Page {
  return layout(
    'Connected',
    `<h1>${esc(p.companyName)} is now connected</h1>
<p class="success" role="status">${esc(p.companyName)} (site ${esc(p.siteName)}) is now connected.</p>
<p>What happens next:</p>
<ul class="next">
<li>Your accounting data is being fetched now. This can take a few minutes for large books.</li>
<li>It is then kept up to date automatically; you do not need to do anything else.</li>
<li>Sage asks you to sign in again about every 90 days. You will be sent a new link when that is due.</li>
</ul>
<p class="muted">You can close this window.</p>`,
  );
}

export function messagePage(p: {
  title: string;
  message: string;
  status: number;
  hint?: string;
  linkUrl?: string;
  linkLabel?: string;
}): Page {
  return layout(
    p.title,
    `<h1>${esc(p.title)}</h1>
<p class="${p.status >= 400 ? 'error' : 'note'}" role="${p.status >= 400 ? 'alert' : 'status'}">${esc(p.message)}</p>
${p.hint ? `<p>${esc(p.hint)}</p>` : ''}
${p.linkUrl ? `<div class="actions"><a class="btn" href="${esc(p.linkUrl)}">${esc(p.linkLabel ?? 'Try again')}</a></div>` : ''}`,
    p.status,
  );
}
