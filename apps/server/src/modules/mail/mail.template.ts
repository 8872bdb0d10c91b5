/**
 * Our own mails: one sober layout, French, in HTML (responsive, table-based so that old
 * clients render it) with a plain-text alternative. Every interpolated value is escaped;
 * callers pass plain strings, never markup.
 */
export interface MailContent {
  /** Heading of the mail and <title> of the HTML part. */
  title: string;
  /** Short line some clients show next to the subject in the list of mails. */
  preheader?: string;
  /** Plain-text paragraphs, in order. */
  paragraphs: string[];
  /** Labelled values shown in a block, e.g. { label: 'Identifiant', value: 'jeanne@exemple.fr' }. */
  details?: { label: string; value: string }[];
  /** The one button of the mail; its URL is repeated in clear for clients that hide buttons. */
  action?: { label: string; url: string };
  /** Paragraphs after the button (e.g. "Ce lien expire dans 7 jours."). */
  closing?: string[];
  /** Small print: who sends this and why. */
  footer: string;
}

export interface RenderedMail {
  html: string;
  text: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Only web links may become a button: a `javascript:` or `data:` URL would be a trap. */
function assertWebUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`mail action URL must be http(s), got ${parsed.protocol}`);
  }
  return parsed.toString();
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const BRAND = '#1d4ed8';
const INK = '#1f2937';
const MUTED = '#6b7280';

export function renderMail(content: MailContent): RenderedMail {
  const actionUrl = content.action ? assertWebUrl(content.action.url) : undefined;
  return { html: renderHtml(content, actionUrl), text: renderText(content, actionUrl) };
}

function renderHtml(content: MailContent, actionUrl: string | undefined): string {
  const e = escapeHtml;
  const paragraph = (p: string) =>
    `<p style="margin:0 0 16px;font-size:16px;line-height:1.6;color:${INK};">${e(p)}</p>`;

  const details = content.details?.length
    ? `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:0 0 20px;background:#f3f4f6;border-radius:8px;">
<tr><td style="padding:14px 18px;">${content.details
        .map(
          (d) =>
            `<p style="margin:4px 0;font-size:15px;line-height:1.5;color:${INK};"><span style="color:${MUTED};">${e(d.label)}&nbsp;:</span> <strong style="word-break:break-all;">${e(d.value)}</strong></p>`,
        )
        .join('')}</td></tr></table>`
    : '';

  const action =
    content.action && actionUrl
      ? `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:8px 0 24px;"><tr>
<td style="border-radius:8px;background:${BRAND};">
<a href="${e(actionUrl)}" class="button" style="display:inline-block;padding:14px 28px;font-family:${FONT};font-size:16px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:8px;">${e(content.action.label)}</a>
</td></tr></table>
<p style="margin:0 0 16px;font-size:13px;line-height:1.5;color:${MUTED};">Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur&nbsp;:<br><a href="${e(actionUrl)}" style="color:${BRAND};word-break:break-all;">${e(actionUrl)}</a></p>`
      : '';

  const preheader = content.preheader
    ? `<div style="display:none;max-height:0;overflow:hidden;opacity:0;color:transparent;">${e(content.preheader)}</div>`
    : '';

  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${e(content.title)}</title>
<style>
@media (max-width: 620px) {
  .card { padding: 24px 20px !important; border-radius: 0 !important; }
  .outer { padding: 0 !important; }
  .button { display: block !important; text-align: center !important; }
  .edge { padding-left: 20px !important; padding-right: 20px !important; }
}
</style>
</head>
<body style="margin:0;padding:0;background:#f3f4f6;font-family:${FONT};">
${preheader}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;">
<tr><td class="outer" align="center" style="padding:32px 16px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;">
<tr><td class="edge" style="padding:0 4px 16px;font-size:18px;font-weight:700;color:${BRAND};letter-spacing:.02em;">Passerelle</td></tr>
<tr><td class="card" style="background:#ffffff;border-radius:12px;padding:36px 40px;border:1px solid #e5e7eb;">
<h1 style="margin:0 0 20px;font-size:22px;line-height:1.3;color:${INK};">${e(content.title)}</h1>
${content.paragraphs.map(paragraph).join('\n')}
${details}
${action}
${(content.closing ?? []).map(paragraph).join('\n')}
</td></tr>
<tr><td class="edge" style="padding:16px 4px;font-size:12px;line-height:1.5;color:${MUTED};">${e(content.footer)}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

function renderText(content: MailContent, actionUrl: string | undefined): string {
  const blocks: string[] = [content.title, ...content.paragraphs];
  if (content.details?.length) blocks.push(content.details.map((d) => `${d.label} : ${d.value}`).join('\n'));
  if (content.action && actionUrl) blocks.push(`${content.action.label} :\n${actionUrl}`);
  blocks.push(...(content.closing ?? []));
  blocks.push(`--\n${content.footer}`);
  return `${blocks.join('\n\n')}\n`;
}
