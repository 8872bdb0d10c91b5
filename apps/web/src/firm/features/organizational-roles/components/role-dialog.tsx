import type { OrgRole } from '@passerelle/contracts/collaboration';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../../components/dialog';
import { Field, FormAlert } from '../../../components/form-field';
import { formErrorsFrom } from '../../../lib/form-errors';
import { useCreateOrgRole, useUpdateOrgRole } from '../api/use-org-roles';

interface Props {
  /** The role to rename; none for Ajouter. */
  role: OrgRole | null;
  onClose: () => void;
  onDone: (role: OrgRole, created: boolean) => void;
}

/** Ajouter or Renommer an organizational role. */
export function RoleDialog({ role, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const create = useCreateOrgRole();
  const update = useUpdateOrgRole();
  const [name, setName] = useState(role?.name ?? '');
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const pending = create.isPending || update.isPending;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError(t('firm.form.required'));
      return;
    }
    if (role && trimmed === role.name) {
      onClose();
      return;
    }
    const onError = (failure: unknown) => {
      const result = formErrorsFrom(t, failure, ['name'] as const);
      setError(result.fields.name);
      setFormError(result.fields.name ? null : result.form);
    };
    if (role)
      update.mutate({ id: role.id, name: trimmed }, { onSuccess: (saved) => onDone(saved, false), onError });
    else create.mutate(trimmed, { onSuccess: (saved) => onDone(saved, true), onError });
  };

  return (
    <Dialog
      title={role ? t('firm.organizationalRoles.renameTitle') : t('firm.organizationalRoles.createTitle')}
      subtitle={role?.name}
      size="small"
      onClose={onClose}
      onSubmit={onSubmit}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={pending}>
            {pending ? t('common.saving') : t('common.ok')}
          </button>
        </>
      }
    >
      <FormAlert>{formError}</FormAlert>
      <Field label={t('firm.organizationalRoles.name')} required error={error}>
        {(control) => (
          <input
            {...control}
            className="input"
            value={name}
            maxLength={80}
            autoComplete="off"
            onChange={(event) => {
              setName(event.target.value);
              setError(undefined);
            }}
          />
        )}
      </Field>
    </Dialog>
  );
}
