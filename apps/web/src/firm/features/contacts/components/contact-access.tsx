import type { Contact } from '@passerelle/contracts/collaboration';
import { useTranslation } from 'react-i18next';
import { formatDay } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';

const tones = {
  none: 'badge',
  invited: 'badge badge--warning',
  accepted: 'badge badge--primary',
  failed: 'badge badge--danger',
} as const;

/** Where the contact is in the client journey: invited, joined, signed in (and when). */
export function ContactAccess({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (contact.lastSignInAt) {
    return (
      <span className="badge badge--success">
        {t('firm.contacts.access.signedIn', { date: formatDay(contact.lastSignInAt, language) })}
      </span>
    );
  }
  return (
    <span className={tones[contact.invitationState]}>
      {t(`firm.contacts.access.${contact.invitationState}`)}
    </span>
  );
}
