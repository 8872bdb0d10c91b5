import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';
import type { ClientPiece } from '../api/client-pieces';

const badge = {
  a_traiter: 'piece-badge--todo',
  traitee: 'piece-badge--done',
  rejetee: 'piece-badge--rejected',
};

/** The pieces sent this month and what the firm made of them (with its reason for a rejection). */
export function MonthPieces({ pieces }: { pieces: ClientPiece[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <ul className="piece-list">
      {pieces.map((piece) => (
        <li key={piece.id} className="piece-list__item">
          <div className="piece-list__main">
            <span className="piece-list__name">{piece.name}</span>
            <span className={`piece-badge ${badge[piece.status]}`}>
              {t(`client.pieceStatus.${piece.status}`)}
            </span>
          </div>
          <span className="piece-list__date">
            {t('client.upload.depositedAt', { date: formatDateTime(piece.depositedAt, language) })}
          </span>
          {piece.status === 'rejetee' && piece.reason ? (
            <p className="piece-list__reason">{t('client.upload.reason', { reason: piece.reason })}</p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
