import { type KeyboardEvent, useRef, useState } from 'react';

/**
 * The keyboard of a table whose rows are selected (as in Portefeuille): one row in the tab order,
 * ↑ ↓ Home End move between rows, Space or Enter selects.
 */
export function useRowNavigation<T extends { id: string }>(
  items: readonly T[],
  selectedId: string | null,
  onSelect: (item: T) => void,
  onOpen?: (item: T) => void,
) {
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const tabStopId =
    [focusedId, selectedId].find((id) => id !== null && items.some((item) => item.id === id)) ?? items[0]?.id;

  const focusRow = (index: number) => {
    rows.current[Math.max(0, Math.min(items.length - 1, index))]?.focus();
  };

  const rowProps = (item: T, index: number) => ({
    ref: (element: HTMLTableRowElement | null) => {
      rows.current[index] = element;
    },
    tabIndex: item.id === tabStopId ? 0 : -1,
    'aria-selected': item.id === selectedId,
    onClick: () => onSelect(item),
    onDoubleClick: onOpen ? () => onOpen(item) : undefined,
    onFocus: () => setFocusedId(item.id),
    onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) => {
      // Keys pressed on a link or button inside the row belong to it.
      if (event.target !== event.currentTarget) return;
      switch (event.key) {
        case 'ArrowDown':
          focusRow(index + 1);
          break;
        case 'ArrowUp':
          focusRow(index - 1);
          break;
        case 'Home':
          focusRow(0);
          break;
        case 'End':
          focusRow(items.length - 1);
          break;
        case ' ':
        case 'Enter':
          onSelect(item);
          break;
        default:
          return;
      }
      event.preventDefault();
    },
  });

  return { rowProps, tabStopId };
}
