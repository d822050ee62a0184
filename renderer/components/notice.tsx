import type { ReactNode } from 'react';

interface NoticeProps {
  readonly tone: 'info' | 'error' | 'offline';
  readonly children: ReactNode;
  /** A way out of the state the notice describes (Retry, Clear filters); never a button that does nothing. */
  readonly action?: { readonly label: string; readonly run: () => void };
}

/** A message in the flow of the page; errors and offline are announced as alerts, the rest politely. */
export function Notice({ tone, children, action }: NoticeProps) {
  return (
    <div className={`notice notice--${tone}`} role={tone === 'info' ? 'status' : 'alert'}>
      <div className="notice__text">{children}</div>
      {action && (
        <button type="button" onClick={action.run}>
          {action.label}
        </button>
      )}
    </div>
  );
}
