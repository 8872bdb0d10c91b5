import { useEffect, useRef } from 'react';

/**
 * After an in-app navigation (not the first load, not a redirect), moves focus to the new page's
 * main heading, so keyboard and screen-reader users start reading the new page as after a load.
 */
export function useFocusOnNavigation(pathname: string, containerId: string, moveFocus = true): void {
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    if (!moveFocus) return;
    const heading = document.getElementById(containerId)?.querySelector<HTMLElement>('h1');
    if (!heading) return;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus();
  }, [pathname, containerId, moveFocus]);
}
