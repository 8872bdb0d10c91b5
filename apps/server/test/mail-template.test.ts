import { describe, expect, it } from 'vitest';
import { renderMail } from '../src/modules/mail/mail.template.ts';

describe('renderMail', () => {
  const content = {
    title: 'Invitation de <Cabinet> "Durand" & Fils',
    preheader: 'Rejoignez <b>votre</b> cabinet',
    paragraphs: ['Bonjour <img src=x onerror=alert(1)>,', "L'équipe vous attend."],
    details: [{ label: 'Identifiant', value: "o'brien+<x>@exemple.fr" }],
    action: { label: "Accepter l'invitation", url: 'https://passerelle.test/i?token=a"b&c=<d>' },
    closing: ['Ce lien expire dans 7 jours.'],
    footer: 'Cabinet <Durand>',
  };

  it('escapes every interpolated value in the HTML part', () => {
    const { html } = renderMail(content);
    expect(html).toContain('<title>Invitation de &lt;Cabinet&gt; &quot;Durand&quot; &amp; Fils</title>');
    expect(html).toContain('Bonjour &lt;img src=x onerror=alert(1)&gt;,');
    expect(html).toContain('Rejoignez &lt;b&gt;votre&lt;/b&gt; cabinet');
    expect(html).toContain('o&#39;brien+&lt;x&gt;@exemple.fr');
    expect(html).toContain('Cabinet &lt;Durand&gt;');
    expect(html).toContain('href="https://passerelle.test/i?token=a%22b&amp;c=%3Cd%3E"');
    expect(html).toContain('>Accepter l&#39;invitation</a>');
    expect(html).not.toMatch(/<img|<b>|<Cabinet>|<Durand>/);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('writes a plain-text alternative with the link in clear', () => {
    const { text } = renderMail(content);
    expect(text).toBe(
      [
        'Invitation de <Cabinet> "Durand" & Fils',
        'Bonjour <img src=x onerror=alert(1)>,',
        "L'équipe vous attend.",
        "Identifiant : o'brien+<x>@exemple.fr",
        "Accepter l'invitation :\nhttps://passerelle.test/i?token=a%22b&c=%3Cd%3E",
        'Ce lien expire dans 7 jours.',
        '--\nCabinet <Durand>\n',
      ].join('\n\n'),
    );
  });

  it('refuses a button that is not a web link', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>', 'not a url']) {
      expect(() => renderMail({ ...content, action: { label: 'Ok', url } }), url).toThrow();
    }
  });

  it('renders without the optional parts', () => {
    const { html, text } = renderMail({ title: 'Bonjour', paragraphs: ['Un mot.'], footer: 'Passerelle' });
    expect(html).not.toContain('class="button"');
    expect(text).toBe('Bonjour\n\nUn mot.\n\n--\nPasserelle\n');
  });
});
