import type { Offer } from '@passerelle/contracts/collaboration';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckIcon, ForbiddenIcon } from '../../../../components/icons';
import './offer-tiles.css';

/** The "Aucune offre" tile's value: deactivating the file's offer. */
export const noOffer = '';

interface OfferTilesProps {
  legend: string;
  offers: readonly Offer[];
  /** The chosen tile: an offer code, `noOffer`, or null while nothing is chosen. */
  value: string | null;
  onChange: (value: string) => void;
  /** The code active on the file now, marked "Active". */
  currentCode?: string | null;
  /** Adds the "Aucune offre" tile. */
  withNone?: boolean;
  error?: string | undefined;
}

/**
 * Offer tiles ("vignettes") as a group of radio buttons: click a tile or use the arrows; the
 * chosen tile turns blue. Each tile says what the offer grants and what it does not.
 */
export function OfferTiles({
  legend,
  offers,
  value,
  onChange,
  currentCode = null,
  withNone = false,
  error,
}: OfferTilesProps) {
  const { t } = useTranslation();
  const name = useId();
  const errorId = useId();
  return (
    <fieldset
      className="offer-tiles"
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
    >
      <legend className="offer-tiles__legend">{legend}</legend>
      <div className="offer-tiles__grid">
        {offers.map((offer) => (
          <OfferTile
            key={offer.code}
            name={name}
            value={offer.code}
            checked={value === offer.code}
            onChange={onChange}
            title={offer.label}
            tags={[
              ...(offer.free ? [t('firm.offers.free')] : []),
              ...(currentCode === offer.code ? [t('firm.offers.current')] : []),
            ]}
            description={offer.description}
            granted={offer.capabilities.map((capability) => t(`firm.offers.capabilities.${capability}`))}
            excluded={offer.excluded ? [offer.excluded] : []}
          />
        ))}
        {withNone ? (
          <OfferTile
            name={name}
            value={noOffer}
            checked={value === noOffer}
            onChange={onChange}
            title={t('firm.offers.none')}
            tags={currentCode === null ? [t('firm.offers.current')] : []}
            description={t('firm.offers.noneDescription')}
            granted={[]}
            excluded={[t('firm.offers.noneExcluded')]}
          />
        ) : null}
      </div>
      {error ? (
        <p id={errorId} className="form-field__error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

interface OfferTileProps {
  name: string;
  value: string;
  checked: boolean;
  onChange: (value: string) => void;
  title: string;
  tags: string[];
  description: string;
  granted: string[];
  excluded: string[];
}

function OfferTile({
  name,
  value,
  checked,
  onChange,
  title,
  tags,
  description,
  granted,
  excluded,
}: OfferTileProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const detailsId = useId();
  return (
    <label className={`offer-tile${checked ? ' offer-tile--selected' : ''}`}>
      <input
        type="radio"
        className="offer-tile__radio"
        name={name}
        value={value}
        checked={checked}
        aria-labelledby={titleId}
        aria-describedby={detailsId}
        onChange={() => onChange(value)}
      />
      <span className="offer-tile__head">
        <span id={titleId} className="offer-tile__title">
          {title}
        </span>
        {tags.map((tag) => (
          <span key={tag} className="offer-tile__tag">
            {tag}
          </span>
        ))}
        <span className="offer-tile__check" aria-hidden="true">
          {checked ? <CheckIcon size={16} /> : null}
        </span>
      </span>
      <span id={detailsId} className="offer-tile__details">
        <span className="offer-tile__description">{description}</span>
        {granted.length > 0 ? (
          <span className="offer-tile__list">
            <span className="visually-hidden">{t('firm.offers.grants')} </span>
            {granted.map((item) => (
              <span key={item} className="offer-tile__item offer-tile__item--granted">
                <CheckIcon size={15} />
                {item}
              </span>
            ))}
          </span>
        ) : null}
        {excluded.length > 0 ? (
          <span className="offer-tile__list">
            <span className="visually-hidden">{t('firm.offers.excludes')} </span>
            {excluded.map((item) => (
              <span key={item} className="offer-tile__item offer-tile__item--excluded">
                <ForbiddenIcon size={15} />
                {item}
              </span>
            ))}
          </span>
        ) : null}
      </span>
    </label>
  );
}
