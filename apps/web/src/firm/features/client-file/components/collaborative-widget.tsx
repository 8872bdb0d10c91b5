import type { FileDashboard } from '@passerelle/contracts/collaboration';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { MoreIcon } from '../../../../components/icons';
import { errorMessage } from '../../../../lib/error-message';
import { formatCount, formatDay } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { MenuButton } from '../../../components/menu-button';
import { useSetCollaborativeWidget } from '../api/use-file-dashboard';
import { InitialiseDialog } from './initialise-dialog';

type Summary = NonNullable<FileDashboard['collaborativeWidget']['summary']>;
type WidgetContact = Summary['contacts'][number];

const stateTones = {
  invite: 'badge badge--warning',
  invitation_acceptee: 'badge badge--primary',
  connecte: 'badge badge--success',
} as const;

interface Props {
  dashboard: FileDashboard;
  canWrite: boolean;
}

/**
 * The collaborative tile ("vignette collaborative") of the file's dashboard: Initialiser until
 * the extension is activated, then the summary of the offer for this file.
 */
export function CollaborativeWidget({ dashboard, canWrite }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { file, collaborativeWidget: widget } = dashboard;
  const setWidget = useSetCollaborativeWidget(file.id);
  const [dialog, setDialog] = useState<'initialise' | 'deactivate' | null>(null);
  const summary = widget.active ? widget.summary : null;

  const apply = (active: boolean) => {
    setWidget.mutate(active, { onSuccess: () => setDialog(null) });
  };

  return (
    <section className="tile tile--wide collaborative-widget" aria-labelledby="collaborative-widget-title">
      <div className="tile__header">
        <h2 id="collaborative-widget-title" className="tile__title">
          {t('firm.clientFile.widget.title')}
        </h2>
        {summary?.offer ? <span className="badge badge--primary">{summary.offer.label}</span> : null}
        {widget.active && canWrite ? (
          <MenuButton
            bare
            align="end"
            className="tile__menu"
            label={<MoreIcon />}
            ariaLabel={t('firm.clientFile.widget.menu')}
            items={[
              {
                id: 'deactivate',
                label: t('firm.clientFile.widget.deactivate'),
                danger: true,
                onSelect: () => {
                  setWidget.reset();
                  setDialog('deactivate');
                },
              },
            ]}
          />
        ) : null}
      </div>

      {!widget.active ? (
        <div className="collaborative-widget__inactive">
          <p>{t('firm.clientFile.widget.inactiveText')}</p>
          {canWrite ? (
            <button
              type="button"
              className="button button--primary"
              aria-haspopup="dialog"
              onClick={() => {
                setWidget.reset();
                setDialog('initialise');
              }}
            >
              {t('firm.clientFile.widget.initialise')}
            </button>
          ) : (
            <p className="tile__muted">{t('firm.clientFile.widget.inactiveReadOnly')}</p>
          )}
        </div>
      ) : summary ? (
        <div className="collaborative-widget__summary">
          {summary.offer ? null : (
            <p className="collaborative-widget__warning">
              {t('firm.clientFile.widget.noOffer')}{' '}
              <Link to={`/portefeuille?q=${encodeURIComponent(file.code)}`}>
                {t('firm.clientFile.widget.toPortfolio')}
              </Link>
            </p>
          )}
          <dl className="collaborative-widget__figures">
            <div>
              <dt>{t('firm.clientFile.widget.deposited')}</dt>
              <dd>{formatCount(summary.pieces.deposited, language)}</dd>
            </div>
            <div>
              <dt>{t('firm.clientFile.widget.waiting')}</dt>
              <dd>{formatCount(summary.pieces.waiting, language)}</dd>
            </div>
            <div>
              <dt>{t('firm.clientFile.widget.documentsShared')}</dt>
              <dd>{formatCount(summary.documentsShared, language)}</dd>
            </div>
          </dl>
          <h3 className="tile__subtitle">{t('firm.clientFile.widget.contactsTitle')}</h3>
          {summary.contacts.length === 0 ? (
            <p className="tile__muted">
              {t('firm.clientFile.widget.noContacts')}{' '}
              <Link to="/clients/interlocuteurs">{t('firm.clientFile.widget.toContacts')}</Link>
            </p>
          ) : (
            <ul className="widget-contacts">
              {summary.contacts.map((contact) => (
                <WidgetContactItem key={contact.contactId} contact={contact} />
              ))}
            </ul>
          )}
        </div>
      ) : null}

      {dialog === 'initialise' ? (
        <InitialiseDialog
          fileName={`${file.code} – ${file.name}`}
          pending={setWidget.isPending}
          error={setWidget.isError ? setWidget.error : null}
          onClose={() => setDialog(null)}
          onConfirm={() => apply(true)}
        />
      ) : null}
      {dialog === 'deactivate' ? (
        <ConfirmDialog
          title={t('firm.clientFile.widget.deactivateTitle')}
          subtitle={`${file.code} – ${file.name}`}
          confirmLabel={t('firm.clientFile.widget.deactivate')}
          busy={setWidget.isPending}
          error={setWidget.isError ? errorMessage(t, setWidget.error) : null}
          onCancel={() => setDialog(null)}
          onConfirm={() => apply(false)}
        >
          <p>{t('firm.clientFile.widget.deactivateText')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function WidgetContactItem({ contact }: { contact: WidgetContact }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <li className="widget-contact">
      <div className="widget-contact__who">
        <Link to={`/clients/interlocuteurs?contact=${contact.contactId}`} className="widget-contact__name">
          {contact.name}
        </Link>
        <span className="widget-contact__email">{contact.email}</span>
      </div>
      <div className="widget-contact__state">
        <span className={stateTones[contact.state]}>
          {t(`firm.clientFile.widget.states.${contact.state}`)}
        </span>
        {contact.invitationState === 'failed' ? (
          <span className="badge badge--danger">{t('firm.contacts.access.failed')}</span>
        ) : null}
      </div>
      <ul className="widget-contact__dates">
        <li>{t('firm.clientFile.widget.proposedOn', { date: formatDay(contact.proposedAt, language) })}</li>
        {contact.firstSignInAt ? (
          <li>
            {t('firm.clientFile.widget.firstSignIn', { date: formatDay(contact.firstSignInAt, language) })}
          </li>
        ) : null}
        {contact.lastSignInAt ? (
          <li>
            {t('firm.clientFile.widget.lastSignIn', { date: formatDay(contact.lastSignInAt, language) })}
          </li>
        ) : null}
      </ul>
    </li>
  );
}
