import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../../../components/notice';
import { useFileLinks } from '../../contacts/api/use-contacts';

/** The contacts linked to the file, each with its "Limité à" and service, and where to manage them. */
export function FileContactsTile({ fileId }: { fileId: string }) {
  const { t } = useTranslation();
  const links = useFileLinks(fileId);
  const items = links.data?.items ?? [];
  return (
    <section className="tile" aria-labelledby="file-contacts-title">
      <div className="tile__header">
        <h2 id="file-contacts-title" className="tile__title">
          {t('firm.clientFile.contacts.title')}
        </h2>
        {links.data ? <span className="badge">{items.length}</span> : null}
      </div>
      {links.isError ? (
        <ErrorNotice error={links.error} onRetry={() => void links.refetch()} />
      ) : !links.data ? (
        <p className="tile__muted" role="status">
          {t('common.loading')}
        </p>
      ) : items.length === 0 ? (
        <p className="tile__muted">{t('firm.clientFile.contacts.empty')}</p>
      ) : (
        <ul className="file-contacts">
          {items.map((link) => {
            const live = link.services.find((service) => service.state === 'proposee');
            return (
              <li key={link.contactId} className="file-contacts__item">
                <div className="file-contacts__who">
                  <Link to={`/clients/interlocuteurs?contact=${link.contactId}`}>{link.contactName}</Link>
                  <span className="tile__muted">{link.contactEmail}</span>
                </div>
                <div className="file-contacts__facts">
                  <span className="tile__muted">
                    {t('firm.clientFile.contacts.limitedTo', {
                      value: link.limitedTo === null ? '-' : link.limitedTo.join(', '),
                    })}
                  </span>
                  {live ? (
                    <span className="badge badge--success">
                      {t('firm.contacts.files.serviceProposed', { offer: live.offerLabel })}
                    </span>
                  ) : (
                    <span className="badge">{t('firm.clientFile.contacts.noService')}</span>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <p className="tile__footer">
        <Link to="/clients/interlocuteurs">{t('firm.clientFile.contacts.manage')}</Link>
      </p>
    </section>
  );
}
