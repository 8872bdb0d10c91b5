import { escapeHtml as e } from './mail.template.ts';
import type { MailboxMessageView, MailboxSummary } from './mailbox.service.ts';
import { trimUrl } from './mailbox.service.ts';

/**
 * Server-rendered pages of the demo mailbox. No script at all (CSP script-src 'self');
 * every value is escaped; a mail's HTML only ever runs inside a sandboxed srcdoc frame.
 */

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'medium',
  timeStyle: 'medium',
  timeZone: 'Europe/Paris',
});

const time = (date: Date) => `<time datetime="${e(date.toISOString())}">${e(dateFormat.format(date))}</time>`;

const STYLE = `
:root { color-scheme: light; --ink: #111827; --muted: #4b5563; --line: #e5e7eb; --brand: #1d4ed8; --bg: #f3f4f6; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--brand); }
a:focus-visible, button:focus-visible, input:focus-visible, iframe:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: .5rem; background: #fff; padding: .5rem 1rem; border-radius: 6px; z-index: 1; }
.skip:focus { left: .5rem; }
.wrap { max-width: 1040px; margin: 0 auto; padding: 0 1.25rem; }
.top { background: #fff; border-bottom: 1px solid var(--line); }
.top .wrap { display: flex; align-items: center; gap: .75rem; min-height: 3.5rem; flex-wrap: wrap; }
.brand { font-weight: 700; color: var(--brand); text-decoration: none; font-size: 1.1rem; }
.tag { font-size: .8rem; color: #92400e; background: #fef3c7; border: 1px solid #fde68a; border-radius: 999px; padding: .1rem .6rem; }
main.wrap { padding-top: 1.75rem; padding-bottom: 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .75rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
.notice { background: #eff6ff; border: 1px solid #bfdbfe; border-radius: 10px; padding: .9rem 1.1rem; margin: 0 0 1.5rem; color: #1e3a8a; max-width: 75ch; }
.notice p { margin: 0; }
.notice p + p { margin-top: .4rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.toolbar { display: flex; flex-wrap: wrap; align-items: end; gap: .75rem 1rem; margin-bottom: 1rem; }
.toolbar form { display: flex; flex-wrap: wrap; align-items: end; gap: .5rem; flex: 1 1 22rem; }
.field { display: flex; flex-direction: column; gap: .25rem; flex: 1 1 14rem; max-width: 26rem; }
label { font-size: .9rem; font-weight: 600; }
input[type=email] { font: inherit; padding: .5rem .7rem; border: 1px solid #9ca3af; border-radius: 8px; background: #fff; min-height: 2.75rem; }
.button { display: inline-flex; align-items: center; justify-content: center; min-height: 2.75rem; padding: .5rem 1rem; border-radius: 8px;
  border: 1px solid var(--brand); background: var(--brand); color: #fff; font: inherit; font-weight: 600; text-decoration: none; cursor: pointer; }
.button.secondary { background: #fff; color: var(--brand); }
.count { color: var(--muted); margin: 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 12px; overflow: hidden; }
table { width: 100%; border-collapse: collapse; }
caption { text-align: left; padding: .9rem 1.1rem; font-weight: 600; border-bottom: 1px solid var(--line); }
th, td { text-align: left; padding: .75rem 1.1rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: #f9fafb; }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:hover { background: #f9fafb; }
td.date { white-space: nowrap; color: var(--muted); width: 13rem; }
td.to { overflow-wrap: anywhere; width: 34%; }
td.subject a { font-weight: 600; text-decoration: none; overflow-wrap: anywhere; }
td.subject a:hover { text-decoration: underline; }
.empty { padding: 2.5rem 1.25rem; text-align: center; color: var(--muted); }
.back { display: inline-block; margin-bottom: 1rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; padding: 1rem 1.1rem; }
dl.meta dt { color: var(--muted); font-weight: 600; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
section { margin-top: 1.5rem; }
.frame { display: block; width: 100%; height: 640px; border: 0; background: #fff; }
pre.text { margin: 0; padding: 1rem 1.1rem; white-space: pre-wrap; overflow-wrap: anywhere; font: .95rem/1.55 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
ul.files { margin: 0; padding: .75rem 1.1rem .75rem 2.2rem; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1.5rem; }
.muted { color: var(--muted); }
@media (max-width: 700px) {
  .wrap { padding: 0 1rem; }
  main.wrap { padding-top: 1.25rem; }
  h1 { font-size: 1.35rem; }
  table, caption, tbody, tr, td { display: block; width: auto; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tbody tr { padding: .8rem 1rem; border-bottom: 1px solid var(--line); display: flex; flex-direction: column; gap: .15rem; }
  tbody tr:last-child { border-bottom: 0; }
  td { padding: 0; border: 0; width: auto !important; }
  td.subject { order: -1; }
  td.date { font-size: .85rem; }
  td.to { font-size: .9rem; color: var(--muted); }
  td.to::before { content: "À : "; }
  dl.meta { grid-template-columns: 1fr; gap: 0; }
  dl.meta dd { margin-bottom: .5rem; }
  .frame { height: 85vh; min-height: 480px; }
  .toolbar form .button { flex: 1 1 auto; }
}
`;

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${e(title)} · Passerelle</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#contenu">Aller au contenu</a>
<header class="top"><div class="wrap">
<a class="brand" href="/mailbox">Passerelle</a>
<span class="tag">Boîte de démonstration</span>
</div></header>
<main id="contenu" class="wrap">
${body}
</main>
</body>
</html>
`;
}

const plural = (n: number) => (n > 1 ? `${n} e-mails` : `${n} e-mail`);

export function renderInboxPage(messages: MailboxSummary[], filter: string | undefined): string {
  const rows = messages
    .map(
      (m) => `<tr>
<td class="date">${time(m.receivedAt)}</td>
<td class="to">${e(m.envelopeTo.split(',').join(', '))}</td>
<td class="subject"><a href="/mailbox/${e(m.id)}">${e(m.subject || '(sans objet)')}</a></td>
</tr>`,
    )
    .join('\n');

  const list = messages.length
    ? `<table>
<caption>E-mails reçus, du plus récent au plus ancien</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Destinataire</th><th scope="col">Objet</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
    : `<p class="empty">${filter ? `Aucun e-mail reçu pour ${e(filter)}.` : 'Aucun e-mail reçu pour l’instant.'}</p>`;

  return layout(
    'Boîte de réception de démonstration',
    `<h1>Boîte de réception de démonstration</h1>
<div class="notice">
<p>Passerelle tourne ici sans serveur de messagerie&nbsp;: les e-mails qu’elle envoie (invitations, accès à l’espace client, notifications) sont reçus par un serveur SMTP intégré et affichés sur cette page.</p>
<p>En production, les e-mails partent par votre serveur SMTP (variable <code>SMTP_URL</code>, obligatoire) et cette page n’existe pas.</p>
</div>
<div class="toolbar">
<form method="get" action="/mailbox" role="search">
<div class="field"><label for="to">Destinataire</label>
<input id="to" name="to" type="email" autocomplete="off" placeholder="prenom.nom@exemple.fr" value="${e(filter ?? '')}"></div>
<button class="button" type="submit">Filtrer</button>
${filter ? '<a class="button secondary" href="/mailbox">Tout afficher</a>' : '<a class="button secondary" href="/mailbox">Actualiser</a>'}
</form>
<p class="count">${plural(messages.length)}${filter ? ` pour ${e(filter)}` : ''}</p>
</div>
<div class="card">
${list}
</div>`,
  );
}

/** Plain text with its web links made clickable; everything else escaped. */
function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"'`]+/g)) {
    const url = trimUrl(match[0]);
    out += e(text.slice(last, match.index));
    out += `<a href="${e(url)}" rel="noopener noreferrer" target="_blank">${e(url)}</a>`;
    last = match.index + url.length;
  }
  return out + e(text.slice(last));
}

/**
 * The mail's own HTML, as a document for a sandboxed frame: no scripts, no same-origin access;
 * links open in a new tab (the only thing the sandbox allows it).
 */
function frameDocument(html: string): string {
  const base = '<base target="_blank">';
  return /<head[^>]*>/i.test(html)
    ? html.replace(/<head[^>]*>/i, (head) => `${head}${base}`)
    : `${base}${html}`;
}

const formatSize = (bytes: number) =>
  bytes < 1024
    ? `${bytes} o`
    : bytes < 1024 * 1024
      ? `${Math.round(bytes / 1024)} Ko`
      : `${(bytes / 1048576).toFixed(1)} Mo`;

export function renderMessagePage(message: MailboxMessageView): string {
  const { parsed } = message;
  const subject = message.subject || '(sans objet)';
  const htmlPart = parsed.html
    ? `<section aria-labelledby="version-html">
<h2 id="version-html">Version HTML</h2>
<div class="card"><iframe class="frame" title="Contenu HTML de l’e-mail" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" srcdoc="${e(frameDocument(parsed.html))}"></iframe></div>
</section>`
    : '';
  const textPart = parsed.text
    ? `<section aria-labelledby="version-texte">
<h2 id="version-texte">Version texte</h2>
<div class="card"><pre class="text">${linkify(parsed.text)}</pre></div>
</section>`
    : '';
  const files = parsed.attachments.length
    ? `<section aria-labelledby="pieces-jointes">
<h2 id="pieces-jointes">Pièces jointes</h2>
<div class="card"><ul class="files">${parsed.attachments
        .map(
          (a) =>
            `<li>${e(a.filename)} <span class="muted">(${e(a.contentType)}, ${formatSize(a.size)})</span></li>`,
        )
        .join('')}</ul></div>
</section>`
    : '';

  return layout(
    subject,
    `<a class="back" href="/mailbox">← Boîte de réception</a>
<h1>${e(subject)}</h1>
<div class="card">
<dl class="meta">
<dt>De</dt><dd>${e(parsed.from || message.envelopeFrom || '—')}</dd>
<dt>À</dt><dd>${e(parsed.to || message.envelopeTo.join(', '))}</dd>
${parsed.cc ? `<dt>Cc</dt><dd>${e(parsed.cc)}</dd>` : ''}
<dt>Reçu le</dt><dd>${time(message.receivedAt)}</dd>
<dt>Message-ID</dt><dd><code>${e(message.messageId ?? '—')}</code></dd>
</dl>
</div>
${htmlPart}
${textPart}
${files}
<div class="actions">
<a class="button secondary" href="/mailbox/${e(message.id)}/raw">Voir la source (RFC 822)</a>
<a class="button secondary" href="/mailbox">Retour à la boîte de réception</a>
</div>`,
  );
}

export function renderNotFoundPage(): string {
  return layout(
    'E-mail introuvable',
    `<h1>E-mail introuvable</h1>
<p>Cet e-mail n’existe pas ou plus dans la boîte de démonstration.</p>
<p><a class="button" href="/mailbox">Retour à la boîte de réception</a></p>`,
  );
}
