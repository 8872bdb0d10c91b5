import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SearchIcon } from '../../components/icons';
import './search-combobox.css';

export interface ComboboxOption {
  id: string;
  label: string;
  /** A second line: a code, an e-mail. */
  description?: string;
  /** Shown but not choosable, with the reason (e.g. "déjà rattaché"). */
  disabledReason?: string;
}

interface SearchComboboxProps {
  label: string;
  placeholder?: string;
  inputValue: string;
  onInputChange: (value: string) => void;
  options: ComboboxOption[];
  loading: boolean;
  /** The search failed: said in the list instead of "no result". */
  failed?: boolean;
  emptyText: string;
  selectedId: string | null;
  onSelect: (option: ComboboxOption) => void;
  error?: string | undefined;
  autoFocus?: boolean;
}

/**
 * Search as you type, then pick one result (WAI-ARIA combobox with a list): ↓ and ↑ move in the
 * results, Enter picks, Escape closes the list. The results show under the field, in the flow.
 */
export function SearchCombobox({
  label,
  placeholder,
  inputValue,
  onInputChange,
  options,
  loading,
  failed = false,
  emptyText,
  selectedId,
  onSelect,
  error,
}: SearchComboboxProps) {
  const { t } = useTranslation();
  const inputId = useId();
  const listId = useId();
  const errorId = useId();
  const [open, setOpen] = useState(selectedId === null);
  const [active, setActive] = useState(-1);
  const listRef = useRef<HTMLDivElement>(null);

  const choosable = options
    .map((option, index) => (option.disabledReason ? -1 : index))
    .filter((i) => i >= 0);

  // New results: nothing highlighted until the person moves into the list.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new result list is the trigger
  useEffect(() => setActive(-1), [options]);

  useEffect(() => {
    if (active < 0) return;
    listRef.current
      ?.querySelector<HTMLElement>(`[data-index="${active}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const pick = (option: ComboboxOption) => {
    if (option.disabledReason) return;
    onSelect(option);
    setOpen(false);
  };

  const move = (step: number) => {
    if (choosable.length === 0) return;
    const at = choosable.indexOf(active);
    const next =
      at < 0
        ? step > 0
          ? choosable[0]
          : choosable[choosable.length - 1]
        : choosable[(at + step + choosable.length) % choosable.length];
    setActive(next ?? -1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        if (!open) setOpen(true);
        move(1);
        break;
      case 'ArrowUp':
        if (!open) setOpen(true);
        move(-1);
        break;
      case 'Enter': {
        const option = open ? options[active] : undefined;
        // Without a highlighted result, Enter belongs to the form (Valider).
        if (!option) return;
        pick(option);
        break;
      }
      case 'Escape':
        if (!open) return;
        setOpen(false);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const expanded = open && options.length > 0;
  const activeOption = active >= 0 ? options[active] : undefined;

  return (
    <div className={`combobox${error ? ' combobox--invalid' : ''}`}>
      <label htmlFor={inputId} className="field-label">
        {label}
      </label>
      <div className="combobox__field">
        <SearchIcon className="combobox__icon" />
        <input
          id={inputId}
          type="text"
          role="combobox"
          className="input combobox__input"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && activeOption ? `${listId}-${activeOption.id}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          placeholder={placeholder}
          value={inputValue}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => {
            onInputChange(event.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onClick={() => setOpen(true)}
          onKeyDown={onKeyDown}
        />
      </div>
      {error ? (
        <p id={errorId} className="form-field__error">
          {error}
        </p>
      ) : null}
      <div
        ref={listRef}
        id={listId}
        role="listbox"
        tabIndex={-1}
        aria-label={label}
        className="combobox__list"
        hidden={!expanded}
        aria-busy={loading}
      >
        {options.map((option, index) => {
          const disabled = Boolean(option.disabledReason);
          return (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard stays in the field (aria-activedescendant)
            <div
              key={option.id}
              id={`${listId}-${option.id}`}
              data-index={index}
              role="option"
              tabIndex={-1}
              aria-selected={option.id === selectedId}
              aria-disabled={disabled || undefined}
              className={`combobox__option${index === active ? ' is-active' : ''}`}
              // Keep the focus in the field while clicking a result.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(option)}
            >
              <span className="combobox__option-label">{option.label}</span>
              {option.description || option.disabledReason ? (
                <span className="combobox__option-description">
                  {[option.description, option.disabledReason].filter(Boolean).join(' · ')}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      {open && options.length === 0 ? (
        <p className="combobox__message" role="status">
          {loading ? t('common.searching') : failed ? t('firm.search.failed') : emptyText}
        </p>
      ) : null}
    </div>
  );
}
