import type { FileDetail } from '@passerelle/contracts/collaboration';
import type { ClientFile } from '@passerelle/contracts/portfolio';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../../components/dialog';
import { Field, FormAlert } from '../../../components/form-field';
import { type FieldErrors, firstInvalid, formErrorsFrom } from '../../../lib/form-errors';
import { isValidSiren, normalizeSiren } from '../../../lib/siren';
import { useStaffList } from '../../staff/api/use-staff-list';
import { useSaveFile } from '../api/use-file-mutations';

const fields = ['code', 'name', 'siren', 'legalForm', 'fiscalYearEnd', 'responsibleId'] as const;
type FileField = (typeof fields)[number];

/** The forms met in a firm's portfolio; any other can be typed. */
const legalForms = [
  'EI',
  'EURL',
  'SARL',
  'SAS',
  'SASU',
  'SA',
  'SCI',
  'SCM',
  'SCP',
  'SELARL',
  'SNC',
  'EARL',
  'SCEA',
];

interface Props {
  /** The file to change; none for "Nouveau dossier". */
  file: ClientFile | null;
  onClose: () => void;
  onDone: (file: FileDetail, created: boolean) => void;
}

/** Nouveau dossier / Modifier: code, raison sociale, SIREN (checked as typed), forme, clôture, responsable. */
export function FileFormDialog({ file, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const staff = useStaffList();
  const save = useSaveFile(file?.id ?? null);
  const idPrefix = useId();
  const fieldId = (field: FileField) => `${idPrefix}-${field}`;
  const legalFormsId = `${idPrefix}-forms`;
  const [values, setValues] = useState<Record<FileField, string>>({
    code: file?.code ?? '',
    name: file?.name ?? '',
    siren: file?.siren ?? '',
    legalForm: file?.legalForm ?? '',
    fiscalYearEnd: file?.fiscalYearEnd?.slice(0, 10) ?? '',
    responsibleId: file?.responsible?.id ?? '',
  });
  const [errors, setErrors] = useState<FieldErrors<FileField>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const set = (field: FileField) => (value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const validate = (): FieldErrors<FileField> => {
    const found: FieldErrors<FileField> = {};
    if (!values.code.trim()) found.code = t('firm.form.required');
    if (!values.name.trim()) found.name = t('firm.form.required');
    if (values.siren.trim() && !isValidSiren(values.siren)) found.siren = t('firm.form.sirenInvalid');
    return found;
  };

  const showErrors = (found: FieldErrors<FileField>) => {
    setErrors(found);
    const first = firstInvalid(found, fields);
    if (first) document.getElementById(fieldId(first))?.focus();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    if (Object.keys(found).length > 0) {
      setFormError(t('firm.form.checkFields'));
      showErrors(found);
      return;
    }
    setFormError(null);
    save.mutate(
      {
        code: values.code.trim(),
        name: values.name.trim(),
        siren: values.siren.trim() ? normalizeSiren(values.siren) : null,
        legalForm: values.legalForm.trim() || null,
        fiscalYearEnd: values.fiscalYearEnd || null,
        responsibleId: values.responsibleId || null,
      },
      {
        onSuccess: (saved) => onDone(saved, file === null),
        onError: (error) => {
          const result = formErrorsFrom(t, error, fields);
          setFormError(result.form);
          showErrors(result.fields);
        },
      },
    );
  };

  return (
    <Dialog
      title={file ? t('firm.portfolio.fileForm.editTitle') : t('firm.portfolio.fileForm.createTitle')}
      subtitle={file ? `${file.code} – ${file.name}` : undefined}
      onClose={onClose}
      onSubmit={onSubmit}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? t('common.saving') : t('common.validate')}
          </button>
        </>
      }
    >
      <FormAlert>{formError}</FormAlert>
      <div className="form-grid">
        <Field label={t('firm.portfolio.columns.code')} id={fieldId('code')} required error={errors.code}>
          {(control) => (
            <input
              {...control}
              className="input"
              value={values.code}
              maxLength={20}
              autoComplete="off"
              onChange={(event) => set('code')(event.target.value)}
            />
          )}
        </Field>
        <Field label={t('firm.portfolio.columns.siren')} id={fieldId('siren')} error={errors.siren}>
          {(control) => (
            <input
              {...control}
              className="input"
              value={values.siren}
              inputMode="numeric"
              maxLength={11}
              autoComplete="off"
              placeholder="123 456 789"
              onChange={(event) => set('siren')(event.target.value)}
              onBlur={() => {
                if (values.siren.trim() && !isValidSiren(values.siren)) {
                  setErrors((current) => ({ ...current, siren: t('firm.form.sirenInvalid') }));
                }
              }}
            />
          )}
        </Field>
        <Field
          label={t('firm.portfolio.columns.name')}
          id={fieldId('name')}
          required
          error={errors.name}
          className="form-field--wide"
        >
          {(control) => (
            <input
              {...control}
              className="input"
              value={values.name}
              maxLength={200}
              autoComplete="off"
              onChange={(event) => set('name')(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={t('firm.portfolio.columns.legalForm')}
          id={fieldId('legalForm')}
          error={errors.legalForm}
        >
          {(control) => (
            <>
              <input
                {...control}
                className="input"
                value={values.legalForm}
                maxLength={20}
                list={legalFormsId}
                autoComplete="off"
                onChange={(event) => set('legalForm')(event.target.value)}
              />
              <datalist id={legalFormsId}>
                {legalForms.map((form) => (
                  <option key={form} value={form} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field
          label={t('firm.portfolio.columns.fiscalYearEnd')}
          id={fieldId('fiscalYearEnd')}
          error={errors.fiscalYearEnd}
        >
          {(control) => (
            <input
              {...control}
              type="date"
              className="input"
              value={values.fiscalYearEnd}
              onChange={(event) => set('fiscalYearEnd')(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={t('firm.portfolio.columns.responsible')}
          id={fieldId('responsibleId')}
          error={errors.responsibleId}
          className="form-field--wide"
        >
          {(control) => (
            <select
              {...control}
              className="select"
              value={values.responsibleId}
              onChange={(event) => set('responsibleId')(event.target.value)}
            >
              <option value="">{t('firm.portfolio.fileForm.noResponsible')}</option>
              {staff.data?.items.map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
    </Dialog>
  );
}
