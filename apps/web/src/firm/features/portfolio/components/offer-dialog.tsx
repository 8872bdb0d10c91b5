import type { ClientFile } from '@passerelle/contracts/portfolio';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../../components/notice';
import { errorMessage } from '../../../../lib/error-message';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/form-field';
import { useOffers } from '../../offers/api/use-offers';
import { noOffer, OfferTiles } from '../../offers/components/offer-tiles';
import { useSetFileOffer } from '../api/use-file-mutations';

interface Props {
  file: ClientFile;
  onClose: () => void;
  onDone: (message: string) => void;
}

/**
 * Portefeuille > Offre collaborative: choose the file's offer tile (it turns blue), Valider.
 * Taking an offer away revokes the clients' access: that is confirmed first.
 */
export function OfferDialog({ file, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const offers = useOffers();
  const setOffer = useSetFileOffer(file.id);
  const current = file.offer?.code ?? noOffer;
  const [choice, setChoice] = useState<string>(current);
  const [confirming, setConfirming] = useState(false);

  const apply = () => {
    const offerCode = choice === noOffer ? null : choice;
    setOffer.mutate(offerCode, {
      onSuccess: ({ offer }) =>
        onDone(
          offer
            ? t('firm.portfolio.offerActivated', { offer: offer.label, name: file.name })
            : t('firm.portfolio.offerDeactivated', { name: file.name }),
        ),
      onError: () => setConfirming(false),
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (choice === current) {
      onClose();
      return;
    }
    // Replacing or removing an active offer revokes what depended on it: say so first.
    if (file.offer) setConfirming(true);
    else apply();
  };

  return (
    <>
      <Dialog
        title={t('firm.portfolio.offerDialog.title')}
        subtitle={`${file.code} – ${file.name}`}
        size="large"
        onClose={onClose}
        onSubmit={onSubmit}
        footer={
          <>
            <button type="button" className="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button
              type="submit"
              className="button button--primary"
              disabled={setOffer.isPending || !offers.data}
            >
              {setOffer.isPending ? t('common.saving') : t('common.validate')}
            </button>
          </>
        }
      >
        <p className="dialog-intro">{t('firm.portfolio.offerDialog.intro')}</p>
        {offers.isError ? (
          <ErrorNotice error={offers.error} onRetry={() => void offers.refetch()} />
        ) : offers.data ? (
          <OfferTiles
            legend={t('firm.portfolio.offerDialog.legend')}
            offers={offers.data.items}
            value={choice}
            onChange={setChoice}
            currentCode={file.offer?.code ?? null}
            withNone
          />
        ) : (
          <p role="status">{t('common.loading')}</p>
        )}
        <FormAlert>{setOffer.isError && !confirming ? errorMessage(t, setOffer.error) : null}</FormAlert>
      </Dialog>
      {confirming && file.offer ? (
        <ConfirmDialog
          title={
            choice === noOffer
              ? t('firm.portfolio.offerDialog.confirmDeactivateTitle', { offer: file.offer.label })
              : t('firm.portfolio.offerDialog.confirmReplaceTitle', { offer: file.offer.label })
          }
          subtitle={`${file.code} – ${file.name}`}
          confirmLabel={
            choice === noOffer
              ? t('firm.portfolio.offerDialog.confirmDeactivate')
              : t('firm.portfolio.offerDialog.confirmReplace')
          }
          danger
          busy={setOffer.isPending}
          error={setOffer.isError ? errorMessage(t, setOffer.error) : null}
          onConfirm={apply}
          onCancel={() => setConfirming(false)}
        >
          <p>{t('firm.portfolio.offerDialog.confirmText', { offer: file.offer.label })}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
