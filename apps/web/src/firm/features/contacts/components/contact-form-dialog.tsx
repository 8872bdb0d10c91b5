import type { Contact } from '@passerelle/contracts/collaboration';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDay } from '../../../../lib/format';
import { useLanguage } from '../../../../lib/use-language';
import { Dialog } from '../../../components/dialog';
import { Field, FormAlert } from '../../../components/form-field';
import { Tabs } from '../../../components/tabs';
import { type FieldErrors, firstInvalid, formErrorsFrom } from '../../../lib/form-errors';
import { useOrgRoles } from '../../organizational-roles/api/use-org-roles';
import { useSaveContact } from '../api/use-contacts';
import { ContactAccess } from './contact-access';

const fields = ['civility', 'lastName', 'firstName', 'email', 'phone', 'orgRoleId'] as const;
type ContactField = (typeof fields)[number];
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^[+0-9 ().-]*$/;

interface Props {
  /** The contact to change; none for "Ajouter". */
  contact: Contact | null;
  onClose: () => void;
  onDone: (contact: Contact, created: boolean) => void;
}

/**
 * Ajouter / Modifier an interlocuteur. Tab Général: at least Nom, Prénom, E-mail (the person's
 * identity at the firm's identity provider) and a Rôle organisationnel; Ok saves.
 */
export function ContactFormDialog({ contact, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const roles = useOrgRoles();
  const save = useSaveContact(contact?.id ?? null);
  const idPrefix = useId();
  const fieldId = (field: ContactField) => `${idPrefix}-${field}`;
  const [tab, setTab] = useState<'general' | 'access'>('general');
  const firstFieldRef = useRef<HTMLSelectElement>(null);
  const [values, setValues] = useState<Record<ContactField, string>>({
    civility: contact?.civility ?? '',
    lastName: contact?.lastName ?? '',
    firstName: contact?.firstName ?? '',
    email: contact?.email ?? '',
    phone: contact?.phone ?? '',
    orgRoleId: contact?.orgRole?.id ?? '',
  });
  const [errors, setErrors] = useState<FieldErrors<ContactField>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const set = (field: ContactField) => (value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const showErrors = (found: FieldErrors<ContactField>) => {
    setErrors(found);
    const first = firstInvalid(found, fields);
    if (!first) return;
    // Every field is on Général: show it, then put the cursor in the first one to fix.
    setTab('general');
    requestAnimationFrame(() => document.getElementById(fieldId(first))?.focus());
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors<ContactField> = {};
    if (!values.lastName.trim()) found.lastName = t('firm.form.required');
    if (!values.firstName.trim()) found.firstName = t('firm.form.required');
    if (!values.email.trim()) found.email = t('firm.form.required');
    else if (!emailPattern.test(values.email.trim())) found.email = t('firm.form.invalidEmail');
    if (!phonePattern.test(values.phone.trim())) found.phone = t('firm.form.invalidPhone');
    if (Object.keys(found).length > 0) {
      setFormError(t('firm.form.checkFields'));
      showErrors(found);
      return;
    }
    setFormError(null);
    save.mutate(
      {
        civility: values.civility === 'M.' || values.civility === 'Mme' ? values.civility : null,
        lastName: values.lastName.trim(),
        firstName: values.firstName.trim(),
        email: values.email.trim(),
        phone: values.phone.trim() || null,
        orgRoleId: values.orgRoleId || null,
      },
      {
        onSuccess: (saved) => onDone(saved, contact === null),
        onError: (error) => {
          const result = formErrorsFrom(t, error, fields);
          setFormError(result.form);
          showErrors(result.fields);
        },
      },
    );
  };

  // Retired roles cannot be chosen any more; a contact who has one keeps it until changed.
  const roleOptions = (roles.data?.items ?? []).filter(
    (role) => !role.retired || role.id === contact?.orgRole?.id,
  );

  const general = (
    <div className="form-grid">
      <Field label={t('firm.contacts.fields.civility')} id={fieldId('civility')} error={errors.civility}>
        {(control) => (
          <select
            {...control}
            ref={firstFieldRef}
            className="select"
            value={values.civility}
            onChange={(event) => set('civility')(event.target.value)}
          >
            <option value="">{t('common.none')}</option>
            <option value="M.">{t('firm.contacts.civility.mr')}</option>
            <option value="Mme">{t('firm.contacts.civility.mrs')}</option>
          </select>
        )}
      </Field>
      <div aria-hidden="true" className="form-grid__spacer" />
      <Field
        label={t('firm.contacts.fields.lastName')}
        id={fieldId('lastName')}
        required
        error={errors.lastName}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            value={values.lastName}
            maxLength={100}
            autoComplete="off"
            onChange={(event) => set('lastName')(event.target.value)}
          />
        )}
      </Field>
      <Field
        label={t('firm.contacts.fields.firstName')}
        id={fieldId('firstName')}
        required
        error={errors.firstName}
      >
        {(control) => (
          <input
            {...control}
            className="input"
            value={values.firstName}
            maxLength={100}
            autoComplete="off"
            onChange={(event) => set('firstName')(event.target.value)}
          />
        )}
      </Field>
      <Field
        label={t('firm.contacts.fields.email')}
        id={fieldId('email')}
        required
        error={errors.email}
        hint={t('firm.contacts.emailHint')}
        className="form-field--wide"
      >
        {(control) => (
          <input
            {...control}
            type="email"
            className="input"
            value={values.email}
            maxLength={254}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => set('email')(event.target.value)}
          />
        )}
      </Field>
      <Field label={t('firm.contacts.fields.phone')} id={fieldId('phone')} error={errors.phone}>
        {(control) => (
          <input
            {...control}
            type="tel"
            className="input"
            value={values.phone}
            maxLength={30}
            autoComplete="off"
            onChange={(event) => set('phone')(event.target.value)}
          />
        )}
      </Field>
      <Field
        label={t('firm.contacts.fields.orgRole')}
        id={fieldId('orgRoleId')}
        error={errors.orgRoleId}
        hint={roles.data && roleOptions.length === 0 ? t('firm.contacts.noRoles') : undefined}
      >
        {(control) => (
          <select
            {...control}
            className="select"
            value={values.orgRoleId}
            onChange={(event) => set('orgRoleId')(event.target.value)}
          >
            <option value="">{t('firm.contacts.noRole')}</option>
            {roleOptions.map((role) => (
              <option key={role.id} value={role.id}>
                {role.retired ? `${role.name} (${t('firm.organizationalRoles.retired')})` : role.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );

  const access = contact ? (
    <dl className="contact-facts">
      <div>
        <dt>{t('firm.contacts.columns.access')}</dt>
        <dd>
          <ContactAccess contact={contact} />
        </dd>
      </div>
      <div>
        <dt>{t('firm.contacts.firstSignIn')}</dt>
        <dd>{contact.firstSignInAt ? formatDay(contact.firstSignInAt, language) : t('common.none')}</dd>
      </div>
      <div>
        <dt>{t('firm.contacts.lastSignIn')}</dt>
        <dd>{contact.lastSignInAt ? formatDay(contact.lastSignInAt, language) : t('common.none')}</dd>
      </div>
    </dl>
  ) : (
    <p className="dialog-intro">{t('firm.contacts.accessIntro')}</p>
  );

  return (
    <Dialog
      title={contact ? t('firm.contacts.form.editTitle') : t('firm.contacts.form.createTitle')}
      subtitle={contact ? `${contact.firstName} ${contact.lastName}` : undefined}
      onClose={onClose}
      onSubmit={onSubmit}
      initialFocus={firstFieldRef}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? t('common.saving') : t('common.ok')}
          </button>
        </>
      }
    >
      <FormAlert>{formError}</FormAlert>
      <Tabs
        label={t('firm.contacts.form.tabs')}
        selected={tab}
        onSelect={setTab}
        tabs={[
          { id: 'general', label: t('firm.contacts.form.general'), content: general },
          { id: 'access', label: t('firm.contacts.form.access'), content: access },
        ]}
      />
    </Dialog>
  );
}
