import { renderMail } from '../mail/mail.template.ts';

const dateFr = (d: Date) =>
  d.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });

/** The seed's first client mail: join the firm's organization at the identity provider. */
export function invitationMail(input: {
  firmId: string;
  firmName: string;
  to: string;
  firstName: string;
  url: string;
  expiresAt: Date;
}) {
  const subject = `${input.firmName} vous invite à rejoindre son organisation`;
  const rendered = renderMail({
    title: `Invitation de ${input.firmName}`,
    preheader: 'Acceptez l’invitation pour collaborer avec votre expert-comptable.',
    paragraphs: [
      `Bonjour ${input.firstName},`,
      `${input.firmName} vous invite à rejoindre son organisation afin de collaborer avec votre expert-comptable sur ses environnements.`,
      'Cliquez sur « Accepter l’invitation », puis confirmez. Si vous n’avez pas encore de compte, vous pourrez le créer à cette étape.',
    ],
    details: [{ label: 'Votre identifiant', value: input.to }],
    action: { label: 'Accepter l’invitation', url: input.url },
    closing: [`Ce lien est personnel et expire le ${dateFr(input.expiresAt)}.`],
    footer: `Vous recevez ce message parce que ${input.firmName} vous a proposé un service collaboratif. Si vous ne l’attendiez pas, ignorez-le.`,
  });
  return {
    kind: 'client.invitation',
    firmId: input.firmId,
    toAddress: input.to,
    subject,
    textBody: rendered.text,
    htmlBody: rendered.html,
  };
}

/** The seed's access mail: the sign-in link and the identifier (the contact's e-mail). */
export function accessMail(input: {
  firmId: string;
  firmName: string;
  to: string;
  firstName: string;
  fileName: string;
  offerLabel: string;
  url: string;
  identifier: string;
}) {
  const subject = `Votre espace collaboratif ${input.firmName} est prêt`;
  const rendered = renderMail({
    title: 'Votre espace collaboratif',
    preheader: `Accédez à l’offre ${input.offerLabel} pour ${input.fileName}.`,
    paragraphs: [
      `Bonjour ${input.firstName},`,
      `${input.firmName} vous propose l’offre collaborative ${input.offerLabel} pour le dossier ${input.fileName} : consultez vos documents, déposez vos pièces (tickets, factures) depuis votre ordinateur ou votre téléphone et suivez le tableau de bord de votre entreprise.`,
      'Pour vous connecter, suivez ces étapes :',
      '1. Cliquez sur « Se connecter à mon espace ».',
      '2. Saisissez votre identifiant ci-dessous et le mot de passe de votre compte.',
      '3. Lors de la première connexion, autorisez Passerelle à utiliser votre compte en cliquant sur « Oui ».',
    ],
    details: [
      { label: 'Adresse de connexion', value: input.url },
      { label: 'Identifiant', value: input.identifier },
    ],
    action: { label: 'Se connecter à mon espace', url: input.url },
    closing: ['Le mot de passe est celui de votre compte : il ne vous est jamais envoyé par e-mail.'],
    footer: `Message envoyé par Passerelle pour le compte de ${input.firmName}.`,
  });
  return {
    kind: 'client.access',
    firmId: input.firmId,
    toAddress: input.to,
    subject,
    textBody: rendered.text,
    htmlBody: rendered.html,
  };
}
