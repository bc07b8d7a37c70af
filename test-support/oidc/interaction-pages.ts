/**
 * Plain HTML for the test IdP's login, consent, logout and error pages. Self-contained on purpose: the
 * provider's default pages import web fonts from the internet, which the test machines cannot (and must not) reach.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:28em;margin:2em auto}label{display:block;margin:.5em 0}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function loginPage(uid: string, opts: { loginHint?: string; clientId: string; error?: string }): string {
  return page(
    'Sign in to the KeyTalk test IdP',
    `<p>Application <code>${escapeHtml(opts.clientId)}</code> asks you to sign in.</p>
${opts.error ? `<p role="alert" id="error">${escapeHtml(opts.error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
  <label>User name <input id="username" name="username" value="${escapeHtml(opts.loginHint ?? '')}" required></label>
  <label>Password <input id="password" name="password" type="password" required></label>
  <button id="sign-in" type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button id="cancel" type="submit">Cancel</button></form>`,
  );
}

export function consentPage(
  uid: string,
  opts: { clientId: string; scopes: string[]; resources: Record<string, string[]> },
): string {
  const resourceItems = Object.entries(opts.resources)
    .map(([resource, scopes]) => `<li>${escapeHtml(resource)}: ${scopes.map(escapeHtml).join(', ')}</li>`)
    .join('');
  return page(
    'Allow access?',
    `<p>Application <code>${escapeHtml(opts.clientId)}</code> asks for:</p>
<ul>${opts.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}${resourceItems}</ul>
<form method="post" action="/interaction/${escapeHtml(uid)}/confirm"><button id="allow" type="submit">Allow</button></form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button id="deny" type="submit">Deny</button></form>`,
  );
}

export function logoutPage(form: string, host: string): string {
  return page(
    `Sign out from ${host}?`,
    `${form}<button id="logout-yes" type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button id="logout-no" type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

export function signedOutPage(): string {
  return page('Signed out', '<p id="signed-out">You are signed out.</p>');
}

export function errorPage(out: Record<string, unknown>): string {
  return page(
    'Sign-in error',
    `<p id="oidc-error">${escapeHtml(out.error)}</p><p id="oidc-error-description">${escapeHtml(out.error_description)}</p>`,
  );
}
