import type { Contact } from '@passerelle/contracts/collaboration';
import { type ReactNode, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PlusIcon } from '../../../../components/icons';
import { ErrorNotice, Notice } from '../../../../components/notice';
import { formatCount } from '../../../../lib/format';
import { useDocumentTitle } from '../../../../lib/use-document-title';
import { useLanguage } from '../../../../lib/use-language';
import { SuccessMessage } from '../../../components/form-field';
import { Pager } from '../../../components/pager';
import { SearchField } from '../../../components/search-field';
import { usePermissions } from '../../session/api/use-permissions';
import { useContact, useContacts } from '../api/use-contacts';
import { ContactFormDialog } from './contact-form-dialog';
import { ContactPanel } from './contact-panel';
import { ContactsTable } from './contacts-table';
import '../../../components/data-table.css';
import './contacts.css';

const pageSize = 50;

/**
 * Clients > Interlocuteurs: the firm's client contacts. Ajouter creates one; selecting a row
 * opens its panel on the right (Dossiers client, Actions). Search, page and selection live in
 * the address (`?q=&page=&contact=`).
 */
export function ContactsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  useDocumentTitle(t('firm.title', { page: t('firm.contacts.title') }));
  const { canWrite } = usePermissions();
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim().slice(0, 100) ?? '';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const selectedId = params.get('contact');
  const contacts = useContacts({ q, page, pageSize });
  const fromList = contacts.data?.items.find((item) => item.id === selectedId);
  // A link from elsewhere (the file's dashboard) can name a contact that is not on this page.
  const selectedQuery = useContact(selectedId);
  const selected = selectedQuery.data ?? fromList ?? null;
  const [dialog, setDialog] = useState<'create' | 'edit' | null>(null);
  const [message, setMessage] = useState<ReactNode>(null);

  const update = useCallback(
    (change: { q?: string; page?: number; contact?: string | null }) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          const set = (key: string, value: string | null) =>
            value ? next.set(key, value) : next.delete(key);
          if (change.q !== undefined) {
            set('q', change.q);
            next.delete('page');
          }
          if (change.page !== undefined) set('page', change.page > 1 ? String(change.page) : null);
          if (change.contact !== undefined) set('contact', change.contact);
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const select = (contact: Contact) => update({ contact: contact.id });
  const data = contacts.data;

  return (
    <div className={`page contacts-page${selected ? ' contacts-page--with-panel' : ''}`}>
      <header className="page-header contacts-page__header">
        <div>
          <p className="page-header__eyebrow">{t('firm.nav.clients')}</p>
          <h1>{t('firm.contacts.title')}</h1>
        </div>
        <p className="page-header__subtitle">
          {t('firm.contacts.subtitle')}
          {data && !q ? ` · ${formatCount(data.total, language)}` : ''}
        </p>
      </header>

      <div className="contacts-page__toolbar">
        <SearchField
          label={t('firm.contacts.search')}
          placeholder={t('firm.contacts.searchPlaceholder')}
          value={q}
          onChange={(value) => update({ q: value })}
        />
        {canWrite ? (
          <button
            type="button"
            className="button button--primary"
            aria-haspopup="dialog"
            onClick={() => {
              setMessage(null);
              setDialog('create');
            }}
          >
            <PlusIcon size={16} />
            {t('common.add')}
          </button>
        ) : null}
      </div>
      {message ? (
        <div className="contacts-page__message">
          <SuccessMessage onDismiss={() => setMessage(null)}>{message}</SuccessMessage>
        </div>
      ) : null}

      <div className="contacts-page__body">
        <div className="data-card contacts-page__list">
          {contacts.isPending ? (
            <p className="data-card__message" role="status">
              {t('common.loading')}
            </p>
          ) : contacts.isError && !data ? (
            <div className="data-card__message">
              <ErrorNotice
                error={contacts.error}
                title={t('firm.contacts.loadError')}
                onRetry={() => void contacts.refetch()}
              />
            </div>
          ) : data && data.total === 0 ? (
            <div className="data-card__message">
              <Notice title={t('firm.contacts.emptyTitle')}>
                {q ? t('firm.contacts.emptyFiltered') : t('firm.contacts.emptyText')}
              </Notice>
            </div>
          ) : data ? (
            <>
              <ContactsTable
                contacts={data.items}
                compact={selected !== null}
                busy={contacts.isFetching}
                selectedId={selectedId}
                onSelect={select}
              />
              <Pager
                page={page}
                pageSize={pageSize}
                total={data.total}
                busy={contacts.isFetching}
                label={t('firm.portfolio.pagination')}
                onPage={(next) => update({ page: next })}
              />
            </>
          ) : null}
        </div>

        {selected ? (
          <ContactPanel
            contact={selected}
            canWrite={canWrite}
            onEdit={() => {
              setMessage(null);
              setDialog('edit');
            }}
            onClose={() => update({ contact: null })}
          />
        ) : null}
      </div>

      {dialog === 'create' || (dialog === 'edit' && selected) ? (
        <ContactFormDialog
          contact={dialog === 'edit' ? selected : null}
          onClose={() => setDialog(null)}
          onDone={(saved, created) => {
            setDialog(null);
            setMessage(
              created
                ? t('firm.contacts.created', { name: `${saved.firstName} ${saved.lastName}` })
                : t('firm.contacts.updated', { name: `${saved.firstName} ${saved.lastName}` }),
            );
            if (created) update({ contact: saved.id });
          }}
        />
      ) : null}
    </div>
  );
}
