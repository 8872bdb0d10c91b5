import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseIcon, SearchIcon } from '../../components/icons';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import './search-field.css';

interface SearchFieldProps {
  label: string;
  placeholder?: string;
  /** The search in force (from the address). */
  value: string;
  /** Called 200 ms after the last keystroke, and at once on clearing. */
  onChange: (value: string) => void;
}

/** A search box that filters a list as the person types (one request per pause). */
export function SearchField({ label, placeholder, value, onChange }: SearchFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(value);
  const debounced = useDebouncedValue(text.trim(), 200);

  useEffect(() => {
    setText((current) => (current.trim() === value ? current : value));
  }, [value]);

  const push = useEffectEvent((next: string) => {
    if (next !== value) onChange(next);
  });
  useEffect(() => push(debounced), [debounced]);

  const clear = () => {
    setText('');
    onChange('');
    inputRef.current?.focus();
  };

  return (
    <div className="search-field">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <SearchIcon className="search-field__icon" />
      <input
        ref={inputRef}
        id={id}
        type="search"
        className="input search-field__input"
        placeholder={placeholder ?? label}
        value={text}
        maxLength={100}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && text) {
            event.preventDefault();
            clear();
          }
        }}
      />
      {text ? (
        <button type="button" className="search-field__clear" onClick={clear}>
          <CloseIcon size={16} />
          <span className="visually-hidden">{t('firm.portfolio.clearSearch')}</span>
        </button>
      ) : null}
    </div>
  );
}
