import { z } from 'zod';

const singleLine = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((v) => !/[\r\n]/.test(v), 'must be one line');

/** What a feature hands to the outbox. Checked on enqueue: a bad mail is a bug, caught at its source. */
export const outgoingMailSchema = z.object({
  /** The reason the mail exists, e.g. 'client.invitation'. */
  kind: singleLine(100),
  toAddress: z.email().max(320),
  subject: singleLine(900),
  textBody: z.string().min(1),
  htmlBody: z.string().min(1).optional(),
  firmId: z.uuid().nullable().optional(),
});
export type OutgoingMail = z.input<typeof outgoingMailSchema>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Anything else is answered 404, like an id that does not exist. */
export const isUuid = (value: string) => UUID_RE.test(value);

export const mailboxIdParamsSchema = z.object({ id: z.string().max(100) });

export const mailboxPageQuerySchema = z.object({
  to: z.string().trim().max(320).optional(),
});

export const mailboxApiQuerySchema = z.object({
  to: z.string().trim().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const mailboxApiMessageSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  envelopeFrom: z.string().nullable(),
  envelopeTo: z.array(z.string()),
  subject: z.string().nullable(),
  messageId: z.string().nullable(),
  text: z.string().nullable(),
  html: z.string().nullable(),
  /** Every http(s) link of the mail, text and HTML parts, in order of appearance. */
  links: z.array(z.string()),
});

export const mailboxApiResponseSchema = z.object({ messages: z.array(mailboxApiMessageSchema) });
export type MailboxApiMessage = z.infer<typeof mailboxApiMessageSchema>;
