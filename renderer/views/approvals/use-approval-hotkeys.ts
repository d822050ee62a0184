import { useEffect, useRef } from 'react';
import type { Decision } from '../../stores/approvals-store';
import { hasModifier, inDialog, isTyping } from './keyboard';

export interface HotkeyActions {
  focusSearch(): void;
  move(delta: number): void;
  decide(decision: Decision): void;
  back(): void;
  newRequest(): void;
}

/**
 * The approval screens' keys: Ctrl/Cmd+K to search, J/K to move, A/R to approve or reject, N for a new
 * request, Escape to leave a request. Letters are left alone while the person types, and a dialog keeps its own keys.
 */
export function useApprovalHotkeys(actions: HotkeyActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || inDialog(event.target)) return;
      const act = latest.current;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        act.focusSearch();
        return;
      }
      if (hasModifier(event) || isTyping(event.target)) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (key === 'j') act.move(1);
      else if (key === 'k') act.move(-1);
      else if (key === 'a') act.decide('approve');
      else if (key === 'r') act.decide('reject');
      else if (key === 'n') act.newRequest();
      else if (key === 'Escape') act.back();
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
