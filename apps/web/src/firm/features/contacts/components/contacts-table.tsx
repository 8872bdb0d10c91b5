import type { Contact } from '@passerelle/contracts/collaboration';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useRowNavigation } from '../../../components/use-row-navigation';
import { ContactAccess } from './contact-access';

const columns = [
  'civility',
  'lastName',
  'firstName',
  'email',
  'phone',
  'orgRole',
  'files',
  'access',
] as const;

interface Props {
  contacts: Contact[];
  /** Beside the panel: the least needed columns (civility, phone) step aside. */
  compact: boolean;
  busy: boolean;
  selectedId: string | null;
  onSelect: (contact: Contact) => void;
}

/** The firm's contacts, one dense row each; selecting a row opens its panel on the right. */
export function ContactsTable({ contacts, compact, busy, selectedId, onSelect }: Props) {
  const { t } = useTranslation();
  const hintId = useId();
  const { rowProps } = useRowNavigation(contacts, selectedId, onSelect);
  return (
    <div className="data-table-scroll contacts-table-scroll">
      <p id={hintId} className="visually-hidden">
        {t('firm.portfolio.tableCaptionHint')}
      </p>
      <table
        className={`data-table contacts-table${compact ? ' contacts-table--compact' : ''}`}
        aria-busy={busy}
        aria-describedby={hintId}
      >
        <caption className="visually-hidden">{t('firm.contacts.tableCaption')}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th
                key={column}
                scope="col"
                className={`contacts-table__th--${column}${column === 'files' ? ' is-end' : ''}`}
              >
                {t(`firm.contacts.columns.${column}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {contacts.map((contact, index) => (
            <tr key={contact.id} className="data-table__row--selectable" {...rowProps(contact, index)}>
              <td className="is-muted contacts-table__civility">{contact.civility ?? ''}</td>
              <td className="is-strong is-nowrap">{contact.lastName}</td>
              <td className="is-nowrap">{contact.firstName}</td>
              <td className="contacts-table__email">{contact.email}</td>
              <td className="is-nowrap contacts-table__phone">{contact.phone ?? ''}</td>
              <td className="is-nowrap">
                {contact.orgRole ? (
                  <>
                    {contact.orgRole.name}
                    {contact.orgRole.retired ? (
                      <span className="is-muted"> ({t('firm.organizationalRoles.retired')})</span>
                    ) : null}
                  </>
                ) : (
                  <span className="is-muted">{t('common.none')}</span>
                )}
              </td>
              <td className="is-end">{contact.fileCount}</td>
              <td className="is-nowrap">
                <ContactAccess contact={contact} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
