import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMail } from '../src/modules/mail/mail.template.ts';
import { buildTestApp, type TestApp } from './support/app.ts';

/** The demo mailbox, through the whole server as `npm start` builds it. */

describe('mailbox of the embedded default (no SMTP_URL)', () => {
  let t: TestApp;
  let messageId: string;
  beforeAll(async () => {
    t = await buildTestApp();
    const ours = renderMail({
      title: 'Vos accès à Passerelle',
      paragraphs: ['Bonjour <b>Jeanne</b>,', 'Votre espace est prêt.'],
      details: [{ label: 'Identifiant', value: 'jeanne.martin@exemple.fr' }],
      action: { label: 'Se connecter', url: 'https://passerelle.test/espace?x=1&y=2' },
      footer: 'Cabinet Durand',
    });
    await t.ctx.db.transaction(async (tx) => {
      await t.mail.outbox.enqueue(tx, {
        kind: 'client.access',
        toAddress: 'jeanne.martin@exemple.fr',
        subject: '<script>alert("objet")</script> Vos accès',
        textBody: ours.text,
        htmlBody: ours.html,
      });
      await t.mail.outbox.enqueue(tx, {
        kind: 'test.hostile',
        toAddress: 'paul.durand@exemple.fr',
        subject: 'Un e-mail piégé',
        textBody: 'Voir https://exemple.fr/page.',
        htmlBody:
          '<p>Bonjour</p><script>parent.document.title="pwned"</script><img src=x onerror="alert(1)">',
      });
    });
    expect(await t.mail.deliverDue()).toBe(2);
    const api = await t.app.inject('/api/mailbox?to=JEANNE.MARTIN@exemple.fr');
    messageId = api.json().messages[0].id;
  });
  afterAll(async () => t?.close());

  it('lists received mail, newest first, escaping what it shows', async () => {
    const res = await t.app.inject('/mailbox');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('Boîte de réception de démonstration');
    expect(res.body).toContain('SMTP_URL');
    expect(res.body).toContain('&lt;script&gt;alert(&quot;objet&quot;)&lt;/script&gt; Vos accès');
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).toContain(`href="/mailbox/${messageId}"`);
    expect(res.body).toContain('jeanne.martin@exemple.fr');
    expect(res.body).toContain('2 e-mails');
  });

  it('filters by recipient', async () => {
    const res = await t.app.inject('/mailbox?to=paul.durand@exemple.fr');
    expect(res.body).toContain('Un e-mail piégé');
    expect(res.body).not.toContain('Vos accès');
    expect(res.body).toContain('1 e-mail pour paul.durand@exemple.fr');
  });

  it('shows one mail: its HTML in a sandboxed frame, its text with clickable links', async () => {
    const res = await t.app.inject(`/mailbox/${messageId}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).toContain('<h1>&lt;script&gt;alert(&quot;objet&quot;)&lt;/script&gt; Vos accès</h1>');
    expect(res.body).toMatch(
      /<iframe [^>]*sandbox="allow-popups allow-popups-to-escape-sandbox"[^>]*srcdoc="/,
    );
    // The mail's HTML lives escaped inside the srcdoc attribute, never as markup of the page.
    expect(res.body).toContain('Bonjour &amp;lt;b&amp;gt;Jeanne&amp;lt;/b&amp;gt;,');
    expect(res.body).toContain(
      '<a href="https://passerelle.test/espace?x=1&amp;y=2" rel="noopener noreferrer" target="_blank">',
    );
    expect(res.body).toContain('Message-ID');
  });

  it('never lets a hostile mail reach the page', async () => {
    const list = await t.app.inject('/api/mailbox?to=paul.durand@exemple.fr');
    const id = list.json().messages[0].id;
    const res = await t.app.inject(`/mailbox/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/<script|<img/i);
    expect(res.body).toContain('&lt;script&gt;parent.document.title');
    const frame = res.body.match(/<iframe [^>]*>/)?.[0] ?? '';
    expect(frame).not.toContain('allow-scripts');
    expect(frame).not.toContain('allow-same-origin');
    expect(res.body).toContain(
      '<a href="https://exemple.fr/page" rel="noopener noreferrer" target="_blank">',
    );
  });

  it('serves the raw message', async () => {
    const res = await t.app.inject(`/mailbox/${messageId}/raw`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toMatch(/^Message-ID: <[0-9a-f-]{36}@127\.0\.0\.1>$/m);
  });

  it('answers 404 for a malformed or unknown id', async () => {
    for (const url of ['/mailbox/not-a-uuid', `/mailbox/${randomUUID()}`, "/mailbox/1'or'1'='1"]) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('E-mail introuvable');
    }
    expect((await t.app.inject(`/mailbox/${randomUUID()}/raw`)).statusCode).toBe(404);
    expect((await t.app.inject('/mailbox/nope/raw')).statusCode).toBe(404);
  });

  it('offers the mail as JSON for automation, with its links', async () => {
    const res = await t.app.inject('/api/mailbox?to=jeanne.martin@exemple.fr');
    expect(res.statusCode).toBe(200);
    const [message] = res.json().messages;
    expect(message).toMatchObject({
      id: messageId,
      envelopeTo: ['jeanne.martin@exemple.fr'],
      subject: '<script>alert("objet")</script> Vos accès',
    });
    expect(message.links).toEqual(['https://passerelle.test/espace?x=1&y=2']);
    expect(message.text).toContain('Identifiant : jeanne.martin@exemple.fr');
    expect((await t.app.inject('/api/mailbox?to=nobody@exemple.fr')).json()).toEqual({ messages: [] });
    expect((await t.app.inject('/api/mailbox?limit=1000')).statusCode).toBe(400);
  });
});

describe('mailbox with a real SMTP server configured (SMTP_URL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ SMTP_URL: 'smtp://127.0.0.1:2525' });
  });
  afterAll(async () => t?.close());

  it('does not exist', async () => {
    for (const url of [
      '/mailbox',
      `/mailbox/${randomUUID()}`,
      `/mailbox/${randomUUID()}/raw`,
      '/api/mailbox',
    ]) {
      const res = await t.app.inject(url);
      expect(res.statusCode, url).toBe(404);
    }
    expect(t.app.routeAccessTable.some((r) => r.url.includes('mailbox'))).toBe(false);
  });
});
