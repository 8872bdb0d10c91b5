import type { Contact } from '@passerelle/contracts/collaboration';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChevronDownIcon, CloseIcon, FolderIcon, MailIcon, PencilIcon } from '../../../../components/icons';
import { ContactAccess } from './contact-access';
import { ContactFiles } from './contact-files';

interface Props {
  contact: Contact;
  canWrite: boolean;
  onEdit: () => void;
  onClose: () => void;
}

/**
 * The right-hand panel of Clients > Interlocuteurs: the selected contact, Modifier, and the
 * Dossiers client section (opened with its button, then kept open from one contact to the next).
 */
export function ContactPanel({ contact, canWrite, onEdit, onClose }: Props) {
  const { t } = useTranslation();
  const headingId = useId();
  const filesId = useId();
  const [filesOpen, setFilesOpen] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // On a narrow screen the panel covers the list: Escape closes it.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented && !document.querySelector('dialog[open]')) {
        if (window.matchMedia('(max-width: 1179px)').matches) onClose();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [onClose]);

  return (
    <aside className="contact-panel" aria-labelledby={headingId}>
      <div className="contact-panel__header">
        <div className="contact-panel__identity">
          <p className="contact-panel__eyebrow">{t('firm.contacts.panel.eyebrow')}</p>
          <h2 id={headingId} ref={headingRef} className="contact-panel__name" tabIndex={-1}>
            {[contact.civility, contact.firstName, contact.lastName].filter(Boolean).join(' ')}
          </h2>
          <p className="contact-panel__email">
            <MailIcon size={15} />
            {contact.email}
          </p>
        </div>
        <button type="button" className="contact-panel__close" onClick={onClose}>
          <CloseIcon />
          <span className="visually-hidden">{t('firm.contacts.panel.close')}</span>
        </button>
      </div>

      <dl className="contact-facts">
        <div>
          <dt>{t('firm.contacts.columns.orgRole')}</dt>
          <dd>
            {contact.orgRole
              ? `${contact.orgRole.name}${contact.orgRole.retired ? ` (${t('firm.organizationalRoles.retired')})` : ''}`
              : t('common.none')}
          </dd>
        </div>
        <div>
          <dt>{t('firm.contacts.columns.phone')}</dt>
          <dd>{contact.phone ?? t('common.none')}</dd>
        </div>
        <div>
          <dt>{t('firm.contacts.columns.access')}</dt>
          <dd>
            <ContactAccess contact={contact} />
          </dd>
        </div>
        <div>
          <dt>{t('firm.contacts.columns.files')}</dt>
          <dd>{contact.fileCount}</dd>
        </div>
      </dl>

      <div className="contact-panel__buttons">
        <button
          type="button"
          className={`button contact-panel__files-button${filesOpen ? ' is-open' : ''}`}
          aria-expanded={filesOpen}
          aria-controls={filesId}
          onClick={() => setFilesOpen((isOpen) => !isOpen)}
        >
          <FolderIcon size={16} />
          {t('firm.contacts.panel.files')}
          <ChevronDownIcon size={16} className="contact-panel__chevron" />
        </button>
        {canWrite ? (
          <button type="button" className="button" aria-haspopup="dialog" onClick={onEdit}>
            <PencilIcon size={16} />
            {t('common.edit')}
          </button>
        ) : null}
      </div>

      <section
        id={filesId}
        className="contact-panel__files"
        hidden={!filesOpen}
        aria-label={t('firm.contacts.panel.files')}
      >
        {filesOpen ? <ContactFiles contact={contact} canWrite={canWrite} /> : null}
      </section>
    </aside>
  );
}
