import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../../lib/error-message';
import { Dialog } from '../../../components/dialog';
import { Field, FormAlert } from '../../../components/form-field';
import type { Piece } from '../api/use-pieces';
import { useUpdatePiece } from '../api/use-pieces';

/** Rejeter: the reason is required, and the client reads it as written. */
export function RejectDialog({
  piece,
  onClose,
  onDone,
}: {
  piece: Piece;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const update = useUpdatePiece();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = reason.trim();
    if (!trimmed) {
      setError(t('firm.pieces.reasonRequired'));
      document.getElementById('piece-reject-reason')?.focus();
      return;
    }
    update.mutate(
      { pieceId: piece.id, update: { status: 'rejetee', reason: trimmed } },
      { onSuccess: onDone },
    );
  };

  return (
    <Dialog
      title={t('firm.pieces.rejectTitle')}
      subtitle={`${piece.fileCode} – ${piece.name}`}
      onClose={onClose}
      onSubmit={submit}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--danger" disabled={update.isPending}>
            {update.isPending ? t('common.saving') : t('firm.pieces.reject')}
          </button>
        </>
      }
    >
      <Field
        label={t('firm.pieces.reason')}
        id="piece-reject-reason"
        required
        error={error}
        hint={t('firm.pieces.reasonHint')}
      >
        {(control) => (
          <textarea
            {...control}
            className="input pieces-reason"
            rows={4}
            maxLength={500}
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setError(undefined);
            }}
          />
        )}
      </Field>
      <FormAlert>{update.isError ? errorMessage(t, update.error) : null}</FormAlert>
    </Dialog>
  );
}
