import type { FastifyReply } from 'fastify';

/** Server-rendered pages of the sign-in journey: French, accessible, no inline script. */

export const IDENTITY_ASSETS = '/idp-assets';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** Marks a fragment as already-escaped HTML. */
export interface Html {
  readonly html: string;
}

/** Tagged template: interpolated values are escaped unless they are `Html` fragments. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return { html: out };
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && 'html' in value) return (value as Html).html;
  return escapeHtml(value);
}

export interface PageOptions {
  title: string;
  /** Who speaks: the embedded provider (the firm's directory) or Passerelle itself. */
  brand: 'idp' | 'app';
  body: Html;
  scripts?: string[];
}

export function renderPage({ title, brand, body, scripts = [] }: PageOptions): string {
  const brandLine =
    brand === 'idp'
      ? html`<span class="brand-mark" aria-hidden="true">P</span><span>Passerelle <span class="brand-sub">· Annuaire</span></span>`
      : html`<span class="brand-mark" aria-hidden="true">P</span><span>Passerelle</span>`;
  return html`<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · Passerelle</title>
<link rel="stylesheet" href="${IDENTITY_ASSETS}/identity.css">
${scripts.map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<header class="brand">${brandLine}</header>
<main class="card">
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.html;
}

export function sendPage(reply: FastifyReply, status: number, body: string) {
  return (
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      // Our forms post back here: with the default no-referrer, browsers send `Origin: null`.
      .header('referrer-policy', 'same-origin')
      .send(body)
  );
}
