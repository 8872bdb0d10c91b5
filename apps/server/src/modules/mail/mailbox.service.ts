import type { AddressObject } from 'mailparser';
import type { Db } from '../../db/connection.ts';
import { findMailboxMessage, listMailboxMessages } from './mail.repository.ts';
import { isUuid, type MailboxApiMessage } from './mail.schemas.ts';

/** Reads what the embedded SMTP server captured, for the mailbox page and its JSON twin. */

const URL_RE = /https?:\/\/[^\s<>"'`]+/g;
const HREF_RE = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&quot;': '"',
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
};

/** Trailing punctuation belongs to the sentence, not to the link. */
export function trimUrl(url: string): string {
  return url.replace(/[.,;:!?)\]]+$/, '');
}

export function extractLinks(text: string | null, html: string | null): string[] {
  const links = new Set<string>();
  for (const match of text?.matchAll(URL_RE) ?? []) links.add(trimUrl(match[0]));
  for (const match of html?.matchAll(HREF_RE) ?? []) {
    const href = (match[1] ?? match[2] ?? '')
      .replace(/&(amp|quot|#39|lt|gt);/g, (e) => ENTITIES[e] ?? e)
      .trim();
    if (/^https?:\/\//i.test(href)) links.add(href);
  }
  return [...links];
}

/** "Name <address>" without the quoting of the header, for people to read. */
const addresses = (value: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : [])
    .flatMap((group) => group.value)
    .map((a) => (a.name && a.address ? `${a.name} <${a.address}>` : (a.address ?? a.name)))
    .join(', ');

export function createMailboxService(db: Db) {
  async function parse(raw: string) {
    // Loaded on first use: the parser (~25 MiB) is only needed when someone opens the mailbox.
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(raw, { skipTextLinks: true });
    return {
      from: addresses(parsed.from),
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      date: parsed.date ?? null,
      text: parsed.text ?? null,
      html: parsed.html === false ? null : (parsed.html ?? null),
      attachments: parsed.attachments
        .filter((a) => a.contentDisposition !== 'inline')
        .map((a) => ({ filename: a.filename ?? 'pièce jointe', size: a.size, contentType: a.contentType })),
    };
  }

  return {
    listSummaries: (to: string | undefined) => listMailboxMessages(db, { to, limit: 200 }),

    async listForApi(to: string | undefined, limit: number): Promise<MailboxApiMessage[]> {
      const rows = await listMailboxMessages(db, { to, limit, withRaw: true });
      return Promise.all(
        rows.map(async (row) => {
          const parsed = await parse(row.raw ?? '');
          return {
            id: row.id,
            receivedAt: row.receivedAt.toISOString(),
            envelopeFrom: row.envelopeFrom,
            envelopeTo: row.envelopeTo.split(','),
            subject: row.subject,
            messageId: row.messageId,
            text: parsed.text,
            html: parsed.html,
            links: extractLinks(parsed.text, parsed.html),
          };
        }),
      );
    },

    /** undefined when the id is malformed or unknown: both read as "not found". */
    async findMessage(id: string) {
      if (!isUuid(id)) return undefined;
      const row = await findMailboxMessage(db, id);
      if (!row) return undefined;
      return { ...row, envelopeTo: row.envelopeTo.split(','), parsed: await parse(row.raw) };
    },

    async findRaw(id: string): Promise<string | undefined> {
      if (!isUuid(id)) return undefined;
      return (await findMailboxMessage(db, id))?.raw;
    },
  };
}

export type MailboxService = ReturnType<typeof createMailboxService>;
export type MailboxMessageView = NonNullable<Awaited<ReturnType<MailboxService['findMessage']>>>;
export type MailboxSummary = Awaited<ReturnType<MailboxService['listSummaries']>>[number];
