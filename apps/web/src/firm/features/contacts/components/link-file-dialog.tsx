import type { Contact, Link } from '@passerelle/contracts/collaboration';
import type { ClientFile } from '@passerelle/contracts/portfolio';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../../lib/error-message';
import { useDebouncedValue } from '../../../../lib/use-debounced-value';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/form-field';
import { type ComboboxOption, SearchCombobox } from '../../../components/search-combobox';
import { usePortfolio } from '../../portfolio/api/use-portfolio';
import { useLinkFile } from '../api/use-contacts';

interface Props {
  contact: Contact;
  links: readonly Link[];
  onClose: () => void;
  onDone: (link: Link) => void;
}

/** Dossiers client > Ajouter: search the portfolio and pick the file the contact works on. */
export function LinkFileDialog({ contact, links, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 200);
  const files = usePortfolio({ ...(q ? { q } : {}), sort: 'name', dir: 'asc', page: 1, pageSize: 20 });
  const link = useLinkFile(contact.id);
  const [chosen, setChosen] = useState<ClientFile | null>(null);
  const [missing, setMissing] = useState(false);

  const linked = new Set(links.map((item) => item.fileId));
  const options: ComboboxOption[] = (files.data?.items ?? []).map((file) => ({
    id: file.id,
    label: file.name,
    description: [
      file.code,
      file.offer ? t('firm.contacts.files.offerOn', { offer: file.offer.label }) : null,
    ]
      .filter(Boolean)
      .join(' · '),
    ...(linked.has(file.id) ? { disabledReason: t('firm.contacts.files.alreadyLinked') } : {}),
  }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) {
      setMissing(true);
      return;
    }
    link.mutate(chosen.id, { onSuccess: onDone });
  };

  return (
    <Dialog
      title={t('firm.contacts.files.addTitle')}
      subtitle={`${contact.firstName} ${contact.lastName}`}
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
        label={t('firm.contacts.files.search')}
        placeholder={t('firm.portfolio.searchPlaceholder')}
        inputValue={search}
        onInputChange={(value) => {
          setSearch(value);
          setChosen(null);
        }}
        options={options}
        loading={files.isFetching && !files.data}
        failed={files.isError}
        emptyText={t('firm.portfolio.emptyFiltered')}
        selectedId={chosen?.id ?? null}
        onSelect={(option) => {
          const file = files.data?.items.find((item) => item.id === option.id) ?? null;
          setChosen(file);
          setMissing(false);
          if (file) setSearch(file.name);
        }}
        error={missing ? t('firm.contacts.files.required') : undefined}
      />
      {chosen ? (
        <p className="dialog-choice" role="status">
          {t('firm.contacts.files.chosen', { code: chosen.code, name: chosen.name })}
        </p>
      ) : null}
      <p className="dialog-intro">{t('firm.contacts.files.limitedHint')}</p>
      <FormAlert>{link.isError ? errorMessage(t, link.error) : null}</FormAlert>
    </Dialog>
  );
}
