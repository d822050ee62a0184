import { useEffect, useRef } from 'react';
import { hasModifier, inDialog, isTyping } from '../approvals/keyboard';

export type ItemDecision = 'keep' | 'revoke' | 'change';

export interface ReviewHotkeys {
  move(delta: number): void;
  decide(decision: ItemDecision): void;
}

/**
 * The review queue's keys, like the approvals queue's: J/K to move, Y to keep, X to revoke, C to change (each
 * asks for the reason first). Letters are left alone while the person types, and a dialog keeps its keys.
 */
export function useReviewHotkeys(actions: ReviewHotkeys): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || inDialog(event.target) || hasModifier(event) || isTyping(event.target))
        return;
      const key = event.key.toLowerCase();
      const act = latest.current;
      if (key === 'j') act.move(1);
      else if (key === 'k') act.move(-1);
      else if (key === 'y') act.decide('keep');
      else if (key === 'x') act.decide('revoke');
      else if (key === 'c') act.decide('change');
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
