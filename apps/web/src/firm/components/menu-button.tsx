import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { ChevronDownIcon } from '../../components/icons';
import './menu-button.css';

export interface MenuItem {
  id: string;
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  /** Takes something away: shown in red. */
  danger?: boolean;
}

interface MenuButtonProps {
  label: ReactNode;
  /** When the visible label is an icon only. */
  ariaLabel?: string;
  items: MenuItem[];
  disabled?: boolean;
  align?: 'start' | 'end';
  className?: string;
  /** No chevron after the label (an icon-only trigger). */
  bare?: boolean;
}

/**
 * A button that opens a menu (WAI-ARIA menu button): Enter, Space or ↓ open it on the first
 * item, ↑ on the last; arrows, Home and End move; Escape closes and returns to the button.
 */
export function MenuButton({
  label,
  ariaLabel,
  items,
  disabled = false,
  align = 'start',
  className,
  bare = false,
}: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const buttonId = useId();
  const menuId = useId();
  const enabled = items.map((item, index) => (item.disabled ? -1 : index)).filter((index) => index >= 0);

  useEffect(() => {
    if (open) itemRefs.current[active]?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const openAt = (position: 'first' | 'last') => {
    if (enabled.length === 0) return;
    setActive((position === 'first' ? enabled[0] : enabled[enabled.length - 1]) ?? 0);
    setOpen(true);
  };

  const close = (refocus = true) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const move = (step: number) => {
    const at = enabled.indexOf(active);
    const next = enabled[(at + step + enabled.length) % enabled.length];
    if (next !== undefined) setActive(next);
  };

  const onButtonKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      openAt('first');
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      openAt('last');
    }
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        move(1);
        break;
      case 'ArrowUp':
        move(-1);
        break;
      case 'Home':
        setActive(enabled[0] ?? 0);
        break;
      case 'End':
        setActive(enabled[enabled.length - 1] ?? 0);
        break;
      case 'Escape':
        close();
        break;
      case 'Tab':
        setOpen(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const choose = (item: MenuItem) => {
    if (item.disabled) return;
    // Focus is back on the button before the action runs: a dialog it opens returns there.
    close();
    item.onSelect();
  };

  return (
    <div className={`menu-button${className ? ` ${className}` : ''}`}>
      <button
        ref={buttonRef}
        id={buttonId}
        type="button"
        className={bare ? 'menu-button__trigger menu-button__trigger--bare' : 'button menu-button__trigger'}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={ariaLabel}
        disabled={disabled}
        onClick={() => (open ? close(false) : openAt('first'))}
        onKeyDown={onButtonKeyDown}
      >
        {label}
        {bare ? null : <ChevronDownIcon size={16} />}
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          tabIndex={-1}
          aria-labelledby={buttonId}
          className={`menu menu--${align}`}
          onKeyDown={onMenuKeyDown}
        >
          {items.map((item, index) => (
            <button
              key={item.id}
              ref={(element) => {
                itemRefs.current[index] = element;
              }}
              type="button"
              role="menuitem"
              tabIndex={index === active ? 0 : -1}
              aria-disabled={item.disabled || undefined}
              className={`menu__item${item.danger ? ' menu__item--danger' : ''}`}
              onClick={() => choose(item)}
              onMouseEnter={() => !item.disabled && setActive(index)}
            >
              {item.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
