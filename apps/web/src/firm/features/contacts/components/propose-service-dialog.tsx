import type { Link } from '@passerelle/contracts/collaboration';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { errorMessage } from '../../../../lib/error-message';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/form-field';
import { useOffers } from '../../offers/api/use-offers';
import { OfferTiles } from '../../offers/components/offer-tiles';
import { useProposeService } from '../api/use-contacts';

interface Props {
  link: Link;
  onClose: () => void;
  onDone: (email: string) => void;
}

/**
 * Actions > Proposer un service collaboratif pour ce dossier: the offers active on the file, as
 * tiles; Ok proposes the chosen one and the contact receives the access e-mail.
 */
export function ProposeServiceDialog({ link, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const offers = useOffers();
  const propose = useProposeService();
  const [choice, setChoice] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);

  const available = (offers.data?.items ?? []).filter((offer) => offer.code === link.fileOffer?.code);
  const live = new Set(
    link.services.filter((service) => service.state === 'proposee').map((service) => service.offerCode),
  );

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (available.length === 0) {
      onClose();
      return;
    }
    if (!choice) {
      setMissing(true);
      return;
    }
    propose.mutate(
      { contactId: link.contactId, fileId: link.fileId, offerCode: choice },
      { onSuccess: () => onDone(link.contactEmail) },
    );
  };

  return (
    <Dialog
      title={t('firm.contacts.propose.title')}
      subtitle={`${link.fileCode} – ${link.fileName} · ${link.contactName}`}
      size="large"
      onClose={onClose}
      onSubmit={onSubmit}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={propose.isPending}>
            {propose.isPending ? t('common.saving') : t('common.ok')}
          </button>
        </>
      }
    >
      {offers.isError ? (
        <ErrorNotice error={offers.error} onRetry={() => void offers.refetch()} />
      ) : !offers.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : available.length === 0 ? (
        <Notice
          title={t('firm.contacts.propose.noOfferTitle')}
          actions={
            <RouterLink to={`/portefeuille?q=${encodeURIComponent(link.fileCode)}`} className="button">
              {t('firm.contacts.propose.toPortfolio')}
            </RouterLink>
          }
        >
          {t('firm.contacts.propose.noOfferText')}
        </Notice>
      ) : (
        <>
          <p className="dialog-intro">{t('firm.contacts.propose.intro', { email: link.contactEmail })}</p>
          <OfferTiles
            legend={t('firm.contacts.propose.legend')}
            offers={available}
            value={choice}
            onChange={(code) => {
              setChoice(code);
              setMissing(false);
              propose.reset();
            }}
            error={missing ? t('firm.contacts.propose.required') : undefined}
          />
          {choice && live.has(choice) && !propose.isError ? (
            <p className="form-field__hint">{t('firm.contacts.propose.alreadyLive')}</p>
          ) : null}
        </>
      )}
      <FormAlert>{propose.isError ? errorMessage(t, propose.error) : null}</FormAlert>
    </Dialog>
  );
}
