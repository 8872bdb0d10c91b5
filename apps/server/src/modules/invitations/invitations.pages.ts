import { type Html, html, renderPage } from '../identity/html-page.ts';

/**
 * Pages of an invitation to join a firm's organization, served by the embedded provider (the
 * firm's directory) with the look of its sign-in pages. Labels follow the client procedure:
 * « Accepter », « Pas de compte ? Créez-en-un ».
 */

export type UnavailableState = 'used' | 'expired' | 'revoked' | 'unknown';

export const invitationPath = (token: string) => `/invitation/${encodeURIComponent(token)}`;

const UNAVAILABLE: Record<UnavailableState, { title: string; message: string }> = {
  used: {
    title: 'Invitation déjà utilisée',
    message:
      'Ce lien d’invitation a déjà été utilisé. Si vous avez accepté l’invitation, connectez-vous à votre espace avec votre adresse e-mail et votre mot de passe.',
  },
  expired: {
    title: 'Invitation expirée',
    message: 'Ce lien d’invitation a expiré.',
  },
  revoked: {
    title: 'Invitation annulée',
    message:
      'Ce lien d’invitation n’est plus valable\u00a0: une invitation plus récente vous a peut-être été envoyée, ou le cabinet l’a annulée.',
  },
  unknown: {
    title: 'Invitation introuvable',
    message:
      'Ce lien d’invitation est inconnu. Vérifiez que l’adresse ouverte est complète (copiez-la depuis l’e-mail reçu).',
  },
};

/** The link cannot be used; the person may sign in, or ask for a fresh link. */
export function invitationUnavailablePage(input: { state: UnavailableState; token: string }) {
  const { title, message } = UNAVAILABLE[input.state];
  const signIn =
    input.state === 'used'
      ? html`<p><a class="button button-primary" href="/espace">Se connecter à mon espace</a></p>`
      : undefined;
  return renderPage({
    title,
    brand: 'idp',
    body: html`<div class="notice" role="status">${message}</div>
${signIn}
<p>Besoin d’un nouveau lien\u00a0? Il sera envoyé à l’adresse e-mail à laquelle le cabinet vous a invité.</p>
<form method="post" action="${invitationPath(input.token)}/renouveler">
<button class="button ${input.state === 'used' ? 'button-secondary' : 'button-primary'}" type="submit">Recevoir une nouvelle invitation</button>
</form>`,
  });
}

/** The same answer whatever happened: nothing tells whether the link or the contact exists. */
export function renewalRequestedPage() {
  return renderPage({
    title: 'Demande enregistrée',
    brand: 'idp',
    body: html`<p>Si ce lien correspond à une invitation encore d’actualité, une nouvelle invitation vient d’être envoyée à l’adresse e-mail invitée. Pensez à regarder dans vos courriers indésirables.</p>
<p>Si vous ne recevez rien d’ici quelques minutes, contactez votre cabinet.</p>`,
  });
}

export function invitationPage(input: { firmName: string; email: string; token: string }) {
  return renderPage({
    title: `${input.firmName} vous invite à rejoindre son organisation`,
    brand: 'idp',
    body: html`<p class="lead">Rejoignez l’organisation de ${input.firmName} pour collaborer avec votre expert-comptable dans Passerelle.</p>
<dl class="facts">
<dt>Invitation pour</dt><dd>${input.email}</dd>
<dt>Organisation</dt><dd>${input.firmName}</dd>
</dl>
<form method="post" action="${invitationPath(input.token)}">
<button class="button button-primary" type="submit">Accepter</button>
</form>
<p class="footnote">Vous ne connaissez pas ce cabinet\u00a0? Ignorez cette invitation\u00a0: rien ne se fera sans votre accord.</p>`,
  });
}

/** No account holds the invited e-mail yet: the way to create one. */
export function noAccountPage(input: { firmName: string; email: string; token: string }) {
  return renderPage({
    title: 'Connexion',
    brand: 'idp',
    body: html`<p class="lead">Pour rejoindre l’organisation de ${input.firmName}, connectez-vous avec le compte de votre adresse e-mail.</p>
<dl class="facts">
<dt>E-mail</dt><dd>${input.email}</dd>
</dl>
<div class="notice">Aucun compte n’est encore associé à cette adresse e-mail.</div>
<p><a class="button button-primary" href="${invitationPath(input.token)}/compte">Pas de compte ? Créez-en-un</a></p>`,
  });
}

/** An account exists for the invited e-mail: its password, then the person joins. */
export function invitationSignInPage(input: {
  firmName: string;
  email: string;
  token: string;
  error?: string;
}) {
  const error = input.error
    ? html`<div class="alert" role="alert" id="login-error">${input.error}</div>`
    : undefined;
  const invalid = input.error ? html` aria-invalid="true" aria-describedby="login-error"` : undefined;
  return renderPage({
    title: 'Connexion',
    brand: 'idp',
    body: html`<p class="lead">Connectez-vous avec votre compte pour rejoindre l’organisation de ${input.firmName}.</p>
${error}
<form method="post" action="${invitationPath(input.token)}/connexion">
<div class="field">
<label for="email">E-mail</label>
<input id="email" name="email" type="email" autocomplete="username" readonly value="${input.email}">
</div>
<div class="field">
<label for="password">Mot de passe</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus${invalid}>
</div>
<button class="button button-primary" type="submit">Se connecter</button>
</form>`,
  });
}

export type AccountField = 'firstName' | 'lastName' | 'password' | 'passwordConfirmation';

export function createAccountPage(input: {
  firmName: string;
  email: string;
  token: string;
  values: { firstName: string; lastName: string };
  errors?: Partial<Record<AccountField, string[]>>;
}) {
  const errors = input.errors ?? {};
  const all = Object.values(errors).flat();
  const describedBy = (field: AccountField, hint?: string) => {
    const ids = [hint, errors[field]?.length ? `${field}-error` : undefined].filter(Boolean).join(' ');
    return ids ? html` aria-describedby="${ids}"` : undefined;
  };
  const invalid = (field: AccountField) => (errors[field]?.length ? html` aria-invalid="true"` : undefined);
  const fieldErrors = (field: AccountField): Html | undefined =>
    errors[field]?.length
      ? html`<p class="field-error" id="${field}-error">${errors[field].join(' ')}</p>`
      : undefined;
  const summary =
    all.length > 0
      ? html`<div class="alert" role="alert"><p>Le compte n’a pas été créé\u00a0:</p><ul>${all.map((m) => html`<li>${m}</li>`)}</ul></div>`
      : undefined;
  return renderPage({
    title: 'Créer votre compte',
    brand: 'idp',
    body: html`<p class="lead">Votre compte vous servira à vous connecter à l’espace collaboratif de ${input.firmName}.</p>
${summary}
<form method="post" action="${invitationPath(input.token)}/compte" novalidate>
<div class="field">
<label for="email">E-mail</label>
<input id="email" name="email" type="email" autocomplete="username" readonly value="${input.email}" aria-describedby="email-hint">
<p class="field-hint" id="email-hint">L’adresse à laquelle vous avez été invité\u00a0: elle sera votre identifiant.</p>
</div>
<div class="field">
<label for="firstName">Prénom</label>
<input id="firstName" name="firstName" type="text" autocomplete="given-name" required maxlength="100" value="${input.values.firstName}"${invalid('firstName')}${describedBy('firstName')}>
${fieldErrors('firstName')}
</div>
<div class="field">
<label for="lastName">Nom</label>
<input id="lastName" name="lastName" type="text" autocomplete="family-name" required maxlength="100" value="${input.values.lastName}"${invalid('lastName')}${describedBy('lastName')}>
${fieldErrors('lastName')}
</div>
<div class="field">
<label for="password">Mot de passe</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="12"${invalid('password')}${describedBy('password', 'password-hint')}>
<p class="field-hint" id="password-hint">Au moins 12 caractères. Une phrase facile à retenir convient très bien\u00a0; évitez les mots de passe courants et votre adresse e-mail.</p>
${fieldErrors('password')}
</div>
<div class="field">
<label for="passwordConfirmation">Confirmation du mot de passe</label>
<input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" required${invalid('passwordConfirmation')}${describedBy('passwordConfirmation')}>
${fieldErrors('passwordConfirmation')}
</div>
<button class="button button-primary" type="submit">Créer mon compte</button>
</form>`,
  });
}

export function invitationAcceptedPage(input: { firmName: string; email: string }) {
  return renderPage({
    title: 'Invitation acceptée',
    brand: 'idp',
    body: html`<div class="success" role="status">Vous avez rejoint l’organisation de ${input.firmName}.</div>
<p>Connectez-vous à votre espace collaboratif avec votre identifiant <strong>${input.email}</strong> et votre mot de passe.</p>
<p><a class="button button-primary" href="/espace">Se connecter à mon espace</a></p>`,
  });
}

export function tooManyInvitationAttemptsPage() {
  return renderPage({
    title: 'Trop de tentatives',
    brand: 'idp',
    body: html`<p>Trop de tentatives depuis cet appareil. Patientez quelques minutes, puis réessayez.</p>`,
  });
}

export function invitationRefusedPage(message: string) {
  return renderPage({ title: 'Requête refusée', brand: 'idp', body: html`<p>${message}</p>` });
}
