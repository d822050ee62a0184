import { useEffect, useRef } from 'react';

/**
 * Focus for when a dialog closes and the control that opened it is gone (a rotated key loses its
 * Rotate button, a saved role its enabled Save): `after(target)` marks where focus should go, and once
 * the screen has committed the close, the target gets it if nothing else has.
 */
export function useFocusFallback(): (target: () => HTMLElement | null) => void {
  const pending = useRef<(() => HTMLElement | null) | null>(null);
  // No dependencies on purpose: this runs after every commit, the close included.
  useEffect(() => {
    const target = pending.current;
    if (!target) return;
    pending.current = null;
    if (!document.activeElement || document.activeElement === document.body) target()?.focus();
  });
  return (target) => {
    pending.current = target;
  };
}
