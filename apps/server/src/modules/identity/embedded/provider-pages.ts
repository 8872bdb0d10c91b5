import { type Html, html, IDENTITY_ASSETS, renderPage } from '../html-page.ts';

/** Pages of the embedded provider (the firm's organization directory), in French. */

export const LOGIN_FAILED_MESSAGE = 'E-mail ou mot de passe incorrect.';

export function loginPage(input: { action: string; email?: string; error?: string; firmName?: string }) {
  const error = input.error
    ? html`<div class="alert" role="alert" id="login-error">${input.error}</div>`
    : undefined;
  const invalid = input.error ? html` aria-invalid="true" aria-describedby="login-error"` : undefined;
  // The e-mail typed back (or hinted): the password is what is left to type.
  const autofocus = html` autofocus`;
  return renderPage({
    title: 'Connexion',
    brand: 'idp',
    body: html`<p class="lead">${
      input.firmName
        ? `Connectez-vous avec votre compte de l’organisation ${input.firmName}.`
        : 'Connectez-vous avec le compte de votre organisation.'
    }</p>
${error}
<form method="post" action="${input.action}">
<div class="field">
<label for="email">E-mail</label>
<input id="email" name="email" type="email" autocomplete="username" required spellcheck="false" value="${input.email ?? ''}"${invalid}${input.email ? undefined : autofocus}>
</div>
<div class="field">
<label for="password">Mot de passe</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${input.email ? autofocus : undefined}>
</div>
<button class="button button-primary" type="submit">Se connecter</button>
</form>`,
  });
}

const CLAIM_LABELS: Record<string, string> = {
  openid: 'votre identifiant de compte',
  email: 'votre adresse e-mail',
  profile: 'vos nom et prénom',
};

export function consentPage(input: {
  action: string;
  clientName: string;
  email: string;
  firmNames: string[];
  scopes: string[];
}) {
  const items = input.scopes
    .map((scope) => CLAIM_LABELS[scope])
    .filter((label): label is string => label !== undefined)
    .map((label) => html`<li>${label}</li>`);
  const firms =
    input.firmNames.length > 0
      ? html`<dt>Organisation</dt><dd>${input.firmNames.join(', ')}</dd>`
      : undefined;
  return renderPage({
    title: `Autoriser ${input.clientName} ?`,
    brand: 'idp',
    body: html`<p class="lead">L’application <strong>${input.clientName}</strong> souhaite utiliser votre compte.</p>
<dl class="facts">
<dt>Compte</dt><dd>${input.email}</dd>
${firms}
</dl>
<p>${input.clientName} recevra :</p>
<ul class="scopes">${items}</ul>
<form method="post" action="${input.action}">
<div class="actions">
<button class="button button-primary" type="submit" name="decision" value="oui">Oui</button>
<button class="button button-secondary" type="submit" name="decision" value="non">Non</button>
</div>
</form>
<p class="footnote">Si vous acceptez, votre choix est mémorisé et cette question ne vous sera plus posée.</p>`,
  });
}

export function messagePage(input: {
  title: string;
  message: string;
  link?: { href: string; label: string };
}) {
  return renderPage({
    title: input.title,
    brand: 'idp',
    body: html`<p>${input.message}</p>
${input.link ? html`<p><a class="button button-primary" href="${input.link.href}">${input.link.label}</a></p>` : undefined}`,
  });
}

export function tooManyAttemptsPage(retryHref: string) {
  return messagePage({
    title: 'Trop de tentatives',
    message:
      'Trop de tentatives de connexion ont échoué pour ce compte depuis cet appareil. Patientez une minute, puis réessayez.',
    link: { href: retryHref, label: 'Revenir à la connexion' },
  });
}

/** Sign-out at the provider; auto-confirmed when Passerelle sent a valid id_token_hint. */
export function logoutPage(input: { form: string; automatic: boolean }) {
  const form: Html = { html: input.form };
  return renderPage({
    title: 'Déconnexion',
    brand: 'idp',
    scripts: input.automatic ? [`${IDENTITY_ASSETS}/logout.js`] : [],
    body: html`<p class="lead">${
      input.automatic
        ? 'Déconnexion en cours… Si rien ne se passe, cliquez sur « Se déconnecter ».'
        : 'Voulez-vous vous déconnecter de l’annuaire sur cet appareil ?'
    }</p>
${form}
<div class="actions">
<button id="logout-confirm" class="button button-primary" type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>
<button class="button button-secondary" type="submit" form="op.logoutForm">Rester connecté</button>
</div>`,
  });
}

const PROVIDER_ERRORS: Record<string, string> = {
  invalid_request: 'La demande de connexion est invalide ou a expiré.',
  invalid_client: 'L’application qui demande la connexion n’est pas reconnue.',
  invalid_redirect_uri: 'L’adresse de retour de l’application n’est pas autorisée.',
  access_denied: 'L’accès a été refusé.',
  server_error: 'Une erreur inattendue est survenue.',
};

export function providerErrorPage(error: string, homeHref: string) {
  return renderPage({
    title: 'Connexion impossible',
    brand: 'idp',
    body: html`<p>${PROVIDER_ERRORS[error] ?? 'La demande n’a pas pu aboutir.'}</p>
<p class="footnote">Code : ${error}</p>
<p><a class="button button-primary" href="${homeHref}">Revenir à Passerelle</a></p>`,
  });
}
