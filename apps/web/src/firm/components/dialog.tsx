import {
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
  useEffect,
  useId,
  useRef,
} from 'react';
import { useTranslation } from 'react-i18next';
import { CloseIcon } from '../../components/icons';
import './dialog.css';

const focusableSelector = [
  'a[href]',
  'button:not(:disabled)',
  'input:not(:disabled):not([type="hidden"])',
  'select:not(:disabled)',
  'textarea:not(:disabled)',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

function focusables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(focusableSelector)].filter(
    (element) => element.offsetParent !== null || element === document.activeElement,
  );
}

interface DialogProps {
  title: string;
  /** A short line under the title: the file or the contact the dialog is about. */
  subtitle?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer: ReactNode;
  /** Makes the body and footer one form: Enter in a field submits it. */
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  size?: 'small' | 'medium' | 'large';
  /** Receives focus on opening; otherwise the first field or button of the body. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** A question that interrupts (confirmation): announced at once. */
  alert?: boolean;
}

/**
 * A modal dialog on the native `<dialog>` (top layer, the page behind inert). Escape and the
 * close button call `onClose`; Tab cycles inside; focus goes back where it was on closing.
 * Render it only while open: `{open ? <Dialog …/> : null}`.
 */
export function Dialog({
  title,
  subtitle,
  onClose,
  children,
  footer,
  onSubmit,
  size = 'medium',
  initialFocus,
  alert = false,
}: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const subtitleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  // biome-ignore lint/correctness/useExhaustiveDependencies: opening happens once, on mount
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const target =
      initialFocus?.current ?? (bodyRef.current ? focusables(bodyRef.current)[0] : undefined) ?? dialog;
    target.focus();

    const onCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      // Back to the button that opened the dialog, if it is still on the page.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !ref.current) return;
    const items = focusables(ref.current);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const content = (
    <>
      <div ref={bodyRef} className="dialog__body">
        {children}
      </div>
      <div className="dialog__footer">{footer}</div>
    </>
  );

  return (
    <dialog
      ref={ref}
      className={`dialog dialog--${size}`}
      role={alert ? 'alertdialog' : undefined}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={subtitle ? subtitleId : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="dialog__header">
        <div className="dialog__heading">
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          {subtitle ? (
            <p id={subtitleId} className="dialog__subtitle">
              {subtitle}
            </p>
          ) : null}
        </div>
        <button type="button" className="dialog__close" onClick={onClose}>
          <CloseIcon />
          <span className="visually-hidden">{t('common.close')}</span>
        </button>
      </div>
      {onSubmit ? (
        <form className="dialog__form" noValidate onSubmit={onSubmit}>
          {content}
        </form>
      ) : (
        content
      )}
    </dialog>
  );
}
