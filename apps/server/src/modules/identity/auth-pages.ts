import { html, renderPage } from './html-page.ts';

/** Why a sign-in failed, in words a person understands. Never a stack trace. */
export type SignInFailure =
  | 'missing_browser_binding'
  | 'unknown_request'
  | 'expired_request'
  | 'state_mismatch'
  | 'access_denied'
  | 'provider_error'
  | 'code_rejected'
  | 'invalid_response'
  | 'provider_unreachable'
  | 'internal';

const REASONS: Record<SignInFailure, string> = {
  missing_browser_binding:
    'Ce navigateur ne présente pas la demande de connexion d’origine (elle a expiré ou les cookies sont bloqués).',
  unknown_request: 'Cette demande de connexion est inconnue ou a déjà été utilisée.',
  expired_request: 'La demande de connexion a expiré : elle est valable 10 minutes.',
  state_mismatch:
    'La réponse du fournisseur d’identité ne correspond pas à la demande faite par ce navigateur.',
  access_denied:
    'Vous avez refusé que Passerelle utilise votre compte. Aucune information n’a été transmise.',
  provider_error: 'Le fournisseur d’identité a refusé la demande de connexion.',
  code_rejected: 'Le fournisseur d’identité a refusé le code de connexion (déjà utilisé ou expiré).',
  invalid_response: 'La réponse du fournisseur d’identité n’a pas pu être vérifiée.',
  provider_unreachable: 'Le fournisseur d’identité ne répond pas. Réessayez dans quelques instants.',
  internal: 'Une erreur inattendue est survenue.',
};

export const loginHref = (returnTo?: string) =>
  returnTo && returnTo !== '/' ? `/auth/login?returnTo=${encodeURIComponent(returnTo)}` : '/auth/login';

export function signInFailedPage(reason: SignInFailure, returnTo?: string) {
  return renderPage({
    title: 'La connexion a échoué',
    brand: 'app',
    body: html`<div class="alert" role="alert">${REASONS[reason]}</div>
<p><a class="button button-primary" href="${loginHref(returnTo)}">Recommencer la connexion</a></p>`,
  });
}

export function noAccessPage(input: {
  email: string | null;
  emailVerified: boolean;
  switchAccountHref: string;
}) {
  return renderPage({
    title: 'Aucun accès à Passerelle',
    brand: 'app',
    body: html`<p>${
      input.email
        ? `Aucun accès n’est ouvert sur Passerelle pour le compte ${input.email}.`
        : 'Aucun accès n’est ouvert sur Passerelle pour ce compte.'
    }</p>
${
  input.emailVerified
    ? undefined
    : html`<div class="notice">Votre fournisseur d’identité n’a pas confirmé que cette adresse e-mail vous appartient : elle ne peut donc pas être rattachée à un accès.</div>`
}
<p>Si vous pensez qu’il s’agit d’une erreur, contactez votre cabinet : il doit vous inviter avec cette adresse e-mail.</p>
<p><a class="button button-secondary" href="${input.switchAccountHref}">Se connecter avec un autre compte</a></p>`,
  });
}
