import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientFileSummary } from '../api/client-files';
import './files.css';

type Capability = ClientFileSummary['capabilities'][number];

const GRANT_KEYS = {
  'dashboard.read': 'dashboard',
  'ged.read': 'ged',
  'pieces.deposit': 'pieces',
  'backoffice.read': 'backoffice',
} as const satisfies Record<Capability, string>;

/** In the order of the offer's description: documents, deposit, dashboard. */
const GRANT_ORDER: Capability[] = ['ged.read', 'pieces.deposit', 'dashboard.read', 'backoffice.read'];

/**
 * The open file: its name (a switcher when the contact has several), its offer and, on the
 * home page, what the offer grants.
 */
export function FileBar({
  files,
  file,
  onSelect,
  showGrants,
}: {
  files: ClientFileSummary[];
  file: ClientFileSummary;
  onSelect: (file: ClientFileSummary) => void;
  showGrants: boolean;
}) {
  const { t } = useTranslation();
  const selectId = useId();
  const grants = GRANT_ORDER.filter((capability) => file.capabilities.includes(capability));
  return (
    <section className="file-bar" aria-label={t('client.files.current')}>
      <div className="file-bar__head">
        {files.length > 1 ? (
          <label htmlFor={selectId} className="file-bar__label">
            {t('client.files.label')}
          </label>
        ) : (
          <span className="file-bar__label">{t('client.files.label')}</span>
        )}
        <span className="file-bar__offer">{t('client.files.offer', { offer: file.offer.label })}</span>
      </div>
      {files.length > 1 ? (
        <select
          id={selectId}
          className="file-bar__select"
          value={file.id}
          onChange={(event) => {
            const next = files.find((f) => f.id === event.target.value);
            if (next) onSelect(next);
          }}
        >
          {files.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      ) : (
        <p className="file-bar__name">{file.name}</p>
      )}
      {showGrants ? (
        <div className="file-bar__grants">
          <span className="file-bar__grants-label">
            {t('client.files.grantsLabel', { offer: file.offer.label })}
          </span>
          <ul>
            {grants.map((capability) => (
              <li key={capability}>{t(`client.files.grants.${GRANT_KEYS[capability]}`)}</li>
            ))}
          </ul>
          {file.limitedTo?.length ? (
            <p className="file-bar__limited">
              {t('client.files.limitedTo', { folders: file.limitedTo.join(', ') })}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
