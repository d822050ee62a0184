import { type KeyboardEvent, useRef } from 'react';

export interface TabSpec<T extends string> {
  readonly id: T;
  readonly label: string;
}

interface AuditTabsProps<T extends string> {
  readonly tabs: readonly TabSpec<T>[];
  readonly value: T;
  /** Prefix for the tab and panel ids, so each tab names the panel it controls. */
  readonly idPrefix: string;
  onChange(id: T): void;
}

export const tabId = (prefix: string, id: string) => `${prefix}-tab-${id}`;
export const panelId = (prefix: string, id: string) => `${prefix}-panel-${id}`;

/**
 * The ARIA tabs pattern: one tab stop for the row, arrows (and Home/End) move between tabs and show
 * each as they go, so the keyboard reaches every part of the screen without a hidden shortcut.
 */
export function AuditTabs<T extends string>({ tabs, value, idPrefix, onChange }: AuditTabsProps<T>) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = tabs.findIndex((t) => t.id === value);
    const moves: Record<string, number> = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1 + tabs.length,
      Home: 0,
      End: tabs.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = tabs[target % tabs.length];
    if (!next) return;
    onChange(next.id);
    list.current?.querySelector<HTMLElement>(`#${CSS.escape(tabId(idPrefix, next.id))}`)?.focus();
  };
  return (
    <div ref={list} role="tablist" aria-label="Audit" className="audit-tabs" onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={tabId(idPrefix, t.id)}
          aria-selected={t.id === value}
          aria-controls={panelId(idPrefix, t.id)}
          tabIndex={t.id === value ? 0 : -1}
          className="audit-tabs__tab"
          onClick={() => onChange(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
