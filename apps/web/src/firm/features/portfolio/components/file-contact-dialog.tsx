import type { Contact } from '@passerelle/contracts/collaboration';
import type { ClientFile } from '@passerelle/contracts/portfolio';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../../../lib/error-message';
import { useDebouncedValue } from '../../../../lib/use-debounced-value';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/form-field';
import { type ComboboxOption, SearchCombobox } from '../../../components/search-combobox';
import { useContacts, useFileLinks, useLinkContact } from '../../contacts/api/use-contacts';

interface Props {
  file: ClientFile;
  onClose: () => void;
  onDone: (contact: Contact) => void;
}

/** Portefeuille > Interlocuteur: an existing contact is linked to the selected file, Valider. */
export function FileContactDialog({ file, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 200);
  const contacts = useContacts({ q, page: 1, pageSize: 20 });
  const links = useFileLinks(file.id);
  const link = useLinkContact(file.id);
  const [chosen, setChosen] = useState<Contact | null>(null);
  const [missing, setMissing] = useState(false);

  const linkedIds = useMemo(() => new Set(links.data?.items.map((item) => item.contactId)), [links.data]);
  const options: ComboboxOption[] = (contacts.data?.items ?? []).map((contact) => ({
    id: contact.id,
    label: `${contact.lastName} ${contact.firstName}`,
    description: [contact.email, contact.orgRole?.name].filter(Boolean).join(' · '),
    ...(linkedIds.has(contact.id) ? { disabledReason: t('firm.portfolio.contactDialog.alreadyLinked') } : {}),
  }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) {
      setMissing(true);
      return;
    }
    link.mutate(chosen.id, { onSuccess: () => onDone(chosen) });
  };

  return (
    <Dialog
      title={t('firm.portfolio.contactDialog.title')}
      subtitle={`${file.code} – ${file.name}`}
      onClose={onClose}
      onSubmit={onSubmit}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={link.isPending}>
            {link.isPending ? t('common.saving') : t('common.validate')}
          </button>
        </>
      }
    >
      <SearchCombobox
        label={t('firm.portfolio.contactDialog.search')}
        placeholder={t('firm.portfolio.contactDialog.placeholder')}
        inputValue={search}
        onInputChange={(value) => {
          setSearch(value);
          setChosen(null);
        }}
        options={options}
        loading={contacts.isFetching && !contacts.data}
        failed={contacts.isError}
        emptyText={
          q ? t('firm.portfolio.contactDialog.noMatch') : t('firm.portfolio.contactDialog.noContacts')
        }
        selectedId={chosen?.id ?? null}
        onSelect={(option) => {
          const contact = contacts.data?.items.find((item) => item.id === option.id) ?? null;
          setChosen(contact);
          setMissing(false);
          if (contact) setSearch(`${contact.lastName} ${contact.firstName}`);
        }}
        error={missing ? t('firm.portfolio.contactDialog.required') : undefined}
      />
      {chosen ? (
        <p className="dialog-choice" role="status">
          {t('firm.portfolio.contactDialog.chosen', {
            name: `${chosen.firstName} ${chosen.lastName}`,
            email: chosen.email,
          })}
        </p>
      ) : null}
      <p className="dialog-intro">
        {t('firm.portfolio.contactDialog.createHint')}{' '}
        <Link to="/clients/interlocuteurs">{t('firm.portfolio.contactDialog.createLink')}</Link>
      </p>
      <FormAlert>{link.isError ? errorMessage(t, link.error) : null}</FormAlert>
    </Dialog>
  );
}
