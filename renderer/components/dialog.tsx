import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react';

const focusable =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  readonly title: string;
  /** Escape, the Cancel button, anything that backs out without acting. */
  readonly onCancel: () => void;
  readonly children: ReactNode;
  readonly className?: string;
  /**
   * Where the focus goes when the dialog closes, if not back to where it was (e.g. to the notice of what the
   * dialog did); asked at that moment, null for the opener.
   */
  readonly returnFocus?: () => HTMLElement | null;
}

/**
 * A modal dialog: labelled by its title, the page behind it inert (native `showModal`), Tab kept inside,
 * Escape cancels, and focus goes back where it was when it closes. The element inside marked
 * `data-autofocus` gets the focus first, else the first control.
 */
export function Dialog({ title, onCancel, children, className, returnFocus }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const cancel = useRef(onCancel);
  cancel.current = onCancel;
  const focusAfter = useRef(returnFocus);
  focusAfter.current = returnFocus;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector(focusable);
    (first as HTMLElement | null)?.focus();
    return () => {
      dialog.close();
      (focusAfter.current?.() ?? opener)?.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    // Nothing under the dialog hears its keys (the queue's shortcuts listen on the document).
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel.current();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(focusable)];
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

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-modal="true"
      className={className ? `dialog ${className}` : 'dialog'}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        event.preventDefault();
        cancel.current();
      }}
    >
      <h2 id={titleId} className="dialog__title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
