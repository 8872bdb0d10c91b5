import { renderMail } from '../mail/mail.template.ts';

const dateFr = (d: Date) =>
  d.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });

/** To the client who deposited a piece the firm rejected, with the firm's reason. */
export function pieceRejectedMail(input: {
  firmId: string;
  firmName: string;
  to: string;
  firstName: string;
  fileName: string;
  pieceName: string;
  depositedAt: Date;
  reason: string;
  url: string;
}) {
  const rendered = renderMail({
    title: 'Une pièce a été rejetée',
    preheader: `${input.firmName} a rejeté « ${input.pieceName} ».`,
    paragraphs: [
      `Bonjour ${input.firstName},`,
      `${input.firmName} a rejeté la pièce « ${input.pieceName} » déposée le ${dateFr(input.depositedAt)} pour le dossier ${input.fileName}.`,
    ],
    details: [{ label: 'Motif', value: input.reason }],
    action: { label: 'Déposer une nouvelle pièce', url: input.url },
    footer: `Vous recevez ce message parce que vous déposez des pièces auprès de ${input.firmName}.`,
  });
  return {
    kind: 'piece.rejected',
    firmId: input.firmId,
    toAddress: input.to,
    subject: `Pièce rejetée : ${input.pieceName}`.slice(0, 900),
    textBody: rendered.text,
    htmlBody: rendered.html,
  };
}

/** To the firm: one mail per file for every piece deposited since the last digest. */
export function newPiecesDigestMail(input: {
  firmId: string;
  to: string;
  firstName: string;
  fileCode: string;
  fileName: string;
  pieces: { name: string; depositedAt: Date }[];
  url: string;
}) {
  const count = input.pieces.length;
  const shown = input.pieces.slice(0, 20);
  const rendered = renderMail({
    title: count === 1 ? 'Nouvelle pièce déposée' : `${count} nouvelles pièces déposées`,
    paragraphs: [
      `Bonjour ${input.firstName},`,
      count === 1
        ? `Le client du dossier ${input.fileCode} – ${input.fileName} a déposé une pièce à traiter :`
        : `Le client du dossier ${input.fileCode} – ${input.fileName} a déposé ${count} pièces à traiter :`,
      ...shown.map((p) => `• ${p.name} (${dateFr(p.depositedAt)})`),
      ...(count > shown.length ? [`… et ${count - shown.length} autres.`] : []),
    ],
    action: { label: 'Voir les pièces à traiter', url: input.url },
    footer:
      'Vous recevez ce message parce que vous êtes responsable de ce dossier ou administrateur du cabinet.',
  });
  return {
    kind: 'pieces.digest',
    firmId: input.firmId,
    toAddress: input.to,
    subject:
      `${input.fileCode} : ${count === 1 ? 'une nouvelle pièce' : `${count} nouvelles pièces`} à traiter`.slice(
        0,
        900,
      ),
    textBody: rendered.text,
    htmlBody: rendered.html,
  };
}
