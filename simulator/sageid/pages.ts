// Sage ID's HTML pages: plain, accessible forms (labelled inputs, real buttons) that work in any browser and in tests.

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} | Sage ID (simulator)</title>
<style>
body{font-family:system-ui,sans-serif;background:#f2f5f6;margin:0;padding:2rem;color:#1a1a1a}
main{max-width:26rem;margin:0 auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}label{display:block;margin:1rem 0 .3rem;font-weight:600}
input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #888;border-radius:4px}
button{margin-top:1.2rem;padding:.6rem 1.2rem;font-size:1rem;border-radius:4px;border:1px solid #00815d;background:#00815d;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#00815d}
.error{background:#fde8e8;border:1px solid #c00;padding:.6rem;border-radius:4px;color:#900}
.note{font-size:.85rem;color:#555}
</style>
</head>
<body><main>
<p class="note">Sage ID: Ledgerlink simulator</p>
${body}
</main></body>
</html>`;
}

export function loginPage(o: { session: string; appName: string; email?: string; error?: string }): string {
  const error = o.error ? `<p class="error" role="alert" id="login-error">${esc(o.error)}</p>` : '';
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p>Sign in with your Sage ID to continue to <strong>${esc(o.appName)}</strong>.</p>
${error}
<form method="post" action="/login">
<input type="hidden" name="session" value="${esc(o.session)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${esc(o.email ?? '')}"${o.error ? ' aria-describedby="login-error"' : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

export function consentPage(o: { session: string; appName: string; email: string; scope: string }): string {
  const scopes = o.scope
    .split(' ')
    .filter(Boolean)
    .map((s) => `<li>${esc(s)}</li>`)
    .join('');
  return layout(
    'Authorize',
    `<h1>Authorize ${esc(o.appName)}</h1>
<p>Signed in as <strong>${esc(o.email)}</strong>.</p>
<p><strong>${esc(o.appName)}</strong> is requesting access to your Sage 200 data:</p>
<ul>${scopes}</ul>
<form method="post" action="/consent">
<input type="hidden" name="session" value="${esc(o.session)}">
<button type="submit" name="decision" value="authorize">Authorize</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${esc(title)}</h1><p class="error" role="alert">${esc(message)}</p>`);
}
