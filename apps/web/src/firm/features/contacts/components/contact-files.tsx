import type { Contact, Link } from '@passerelle/contracts/collaboration';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { PencilIcon, PlusIcon } from '../../../../components/icons';
import { ErrorNotice } from '../../../../components/notice';
import { errorMessage } from '../../../../lib/error-message';
import { formatDay } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { SuccessMessage } from '../../../components/form-field';
import { MenuButton } from '../../../components/menu-button';
import { Tabs } from '../../../components/tabs';
import { useRowNavigation } from '../../../components/use-row-navigation';
import { useContactLinks, useRevokeService, useUnlink } from '../api/use-contacts';
import { LimitedToDialog } from './limited-to-dialog';
import { LinkFileDialog } from './link-file-dialog';
import { ProposeServiceDialog } from './propose-service-dialog';

type FilesDialog = 'add' | 'propose' | 'limited' | 'revoke' | 'unlink';

const liveService = (link: Link) => link.services.find((service) => service.state === 'proposee');

interface Props {
  contact: Contact;
  canWrite: boolean;
}

/**
 * Dossiers client: tab Dossiers clients lists the files the contact works on (Ajouter, then
 * Actions on the selected row); tab Services lists every collaborative service proposed.
 */
export function ContactFiles({ contact, canWrite }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const links = useContactLinks(contact.id);
  const [tab, setTab] = useState<'files' | 'services'>('files');
  const [selectedFileId, setSelectedFileId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<FilesDialog | null>(null);
  const [message, setMessage] = useState<ReactNode>(null);
  const revoke = useRevokeService();
  const unlink = useUnlink();

  const items = links.data?.items ?? [];
  const rows = items.map((link) => ({ ...link, id: link.fileId }));
  const selected = items.find((link) => link.fileId === selectedFileId) ?? null;
  const { rowProps } = useRowNavigation(rows, selectedFileId, (row) => setSelectedFileId(row.fileId));

  // Another contact, another list: nothing selected, nothing to report.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the contact is the trigger
  useEffect(() => {
    setSelectedFileId(null);
    setMessage(null);
    setDialog(null);
  }, [contact.id]);

  const finish = (done: ReactNode) => {
    setDialog(null);
    setMessage(done);
  };

  const open = (next: FilesDialog) => {
    setMessage(null);
    revoke.reset();
    unlink.reset();
    setDialog(next);
  };

  const limitedLabel = (link: Link) => (link.limitedTo === null ? '-' : link.limitedTo.join(', '));

  const filesTab = (
    <div className="contact-files">
      {canWrite ? (
        <div className="contact-files__toolbar" role="toolbar" aria-label={t('firm.contacts.files.toolbar')}>
          <button type="button" className="button" aria-haspopup="dialog" onClick={() => open('add')}>
            <PlusIcon size={16} />
            {t('common.add')}
          </button>
          <MenuButton
            label={t('firm.contacts.files.actions')}
            disabled={selected === null}
            align="start"
            items={[
              {
                id: 'propose',
                label: t('firm.contacts.files.propose'),
                onSelect: () => open('propose'),
              },
              {
                id: 'limited',
                label: t('firm.contacts.files.editLimited'),
                onSelect: () => open('limited'),
              },
              {
                id: 'revoke',
                label: t('firm.contacts.files.revoke'),
                disabled: !selected || !liveService(selected),
                danger: true,
                onSelect: () => open('revoke'),
              },
              {
                id: 'unlink',
                label: t('firm.contacts.files.unlink'),
                danger: true,
                onSelect: () => open('unlink'),
              },
            ]}
          />
          <p className="contact-files__selection" aria-live="polite">
            {selected
              ? t('firm.contacts.files.selected', { name: selected.fileName })
              : t('firm.contacts.files.noSelection')}
          </p>
        </div>
      ) : null}
      {message ? <SuccessMessage onDismiss={() => setMessage(null)}>{message}</SuccessMessage> : null}
      {links.isError ? (
        <ErrorNotice error={links.error} onRetry={() => void links.refetch()} />
      ) : !links.data ? (
        <p role="status" className="contact-files__empty">
          {t('common.loading')}
        </p>
      ) : items.length === 0 ? (
        <p className="contact-files__empty">{t('firm.contacts.files.empty')}</p>
      ) : (
        <div className="data-table-scroll contact-files__table">
          <table className="data-table" aria-busy={links.isFetching}>
            <caption className="visually-hidden">
              {t('firm.contacts.files.caption', { name: `${contact.firstName} ${contact.lastName}` })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('firm.contacts.files.columns.code')}</th>
                <th scope="col">{t('firm.contacts.files.columns.file')}</th>
                <th scope="col">{t('firm.contacts.files.columns.limitedTo')}</th>
                <th scope="col">{t('firm.contacts.files.columns.offer')}</th>
                <th scope="col">{t('firm.contacts.files.columns.service')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((link, index) => {
                const service = liveService(link);
                return (
                  <tr key={link.fileId} className="data-table__row--selectable" {...rowProps(link, index)}>
                    <td className="is-code">{link.fileCode}</td>
                    <td className="is-strong">
                      <RouterLink
                        to={`/dossiers/${link.fileId}`}
                        className="contact-files__file"
                        tabIndex={-1}
                      >
                        {link.fileName}
                      </RouterLink>
                    </td>
                    <td className="is-nowrap">
                      <span className="contact-files__limited">
                        {limitedLabel(link)}
                        {canWrite ? (
                          <button
                            type="button"
                            className="contact-files__edit"
                            tabIndex={-1}
                            aria-label={t('firm.contacts.files.editLimitedOf', { name: link.fileName })}
                            onClick={(event) => {
                              event.stopPropagation();
                              setSelectedFileId(link.fileId);
                              open('limited');
                            }}
                          >
                            <PencilIcon size={14} />
                          </button>
                        ) : null}
                      </span>
                    </td>
                    <td>
                      {link.fileOffer ? (
                        <span className="badge badge--primary">{link.fileOffer.label}</span>
                      ) : (
                        <span className="is-muted">-</span>
                      )}
                    </td>
                    <td className="is-nowrap">
                      {service ? (
                        <span className="badge badge--success">
                          {t('firm.contacts.files.serviceProposed', { offer: service.offerLabel })}
                        </span>
                      ) : link.services.length > 0 ? (
                        <span className="badge">{t('firm.contacts.files.serviceRevoked')}</span>
                      ) : (
                        <span className="is-muted">-</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );

  const services = items.flatMap((link) => link.services.map((service) => ({ link, service })));
  const servicesTab =
    services.length === 0 ? (
      <p className="contact-files__empty">{t('firm.contacts.services.empty')}</p>
    ) : (
      <div className="data-table-scroll contact-files__table">
        <table className="data-table">
          <caption className="visually-hidden">{t('firm.contacts.services.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('firm.contacts.files.columns.file')}</th>
              <th scope="col">{t('firm.contacts.files.columns.offer')}</th>
              <th scope="col">{t('firm.contacts.services.state')}</th>
              <th scope="col">{t('firm.contacts.services.proposedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {services.map(({ link, service }) => (
              <tr key={service.id}>
                <td className="is-strong">{link.fileName}</td>
                <td>{service.offerLabel}</td>
                <td>
                  {service.state === 'proposee' ? (
                    <span className="badge badge--success">{t('firm.contacts.services.live')}</span>
                  ) : (
                    <span className="badge">{t('firm.contacts.services.revoked')}</span>
                  )}
                </td>
                <td className="is-nowrap">{formatDay(service.proposedAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  const selectedService = selected ? liveService(selected) : undefined;

  return (
    <>
      <Tabs
        label={t('firm.contacts.files.title')}
        selected={tab}
        onSelect={setTab}
        tabs={[
          { id: 'files', label: t('firm.contacts.files.tab'), content: filesTab },
          { id: 'services', label: t('firm.contacts.services.tab'), content: servicesTab },
        ]}
      />

      {dialog === 'add' ? (
        <LinkFileDialog
          contact={contact}
          links={items}
          onClose={() => setDialog(null)}
          onDone={(link) => {
            setSelectedFileId(link.fileId);
            finish(t('firm.contacts.files.added', { name: link.fileName }));
          }}
        />
      ) : null}
      {dialog === 'propose' && selected ? (
        <ProposeServiceDialog
          link={selected}
          onClose={() => setDialog(null)}
          onDone={(email) => finish(t('firm.contacts.files.proposed', { email }))}
        />
      ) : null}
      {dialog === 'limited' && selected ? (
        <LimitedToDialog
          link={selected}
          onClose={() => setDialog(null)}
          onDone={(limitedTo) =>
            finish(
              limitedTo
                ? t('firm.contacts.limited.savedSome', {
                    name: selected.fileName,
                    folders: limitedTo.join(', '),
                  })
                : t('firm.contacts.limited.savedWhole', { name: selected.fileName }),
            )
          }
        />
      ) : null}
      {dialog === 'revoke' && selected && selectedService ? (
        <ConfirmDialog
          title={t('firm.contacts.files.revokeTitle', { offer: selectedService.offerLabel })}
          subtitle={`${selected.fileCode} – ${selected.fileName} · ${selected.contactName}`}
          confirmLabel={t('firm.contacts.files.revokeConfirm')}
          danger
          busy={revoke.isPending}
          error={revoke.isError ? errorMessage(t, revoke.error) : null}
          onCancel={() => setDialog(null)}
          onConfirm={() =>
            revoke.mutate(selectedService.id, {
              onSuccess: () => finish(t('firm.contacts.files.revoked', { name: selected.fileName })),
            })
          }
        >
          <p>{t('firm.contacts.files.revokeText', { name: selected.contactName })}</p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'unlink' && selected ? (
        <ConfirmDialog
          title={t('firm.contacts.files.unlinkTitle')}
          subtitle={`${selected.fileCode} – ${selected.fileName} · ${selected.contactName}`}
          confirmLabel={t('firm.contacts.files.unlinkConfirm')}
          danger
          busy={unlink.isPending}
          error={unlink.isError ? errorMessage(t, unlink.error) : null}
          onCancel={() => setDialog(null)}
          onConfirm={() =>
            unlink.mutate(
              { contactId: selected.contactId, fileId: selected.fileId },
              {
                onSuccess: () => {
                  setSelectedFileId(null);
                  finish(t('firm.contacts.files.unlinked', { name: selected.fileName }));
                },
              },
            )
          }
        >
          <p>{t('firm.contacts.files.unlinkText', { name: selected.contactName })}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
