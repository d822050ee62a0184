import type { ReactNode } from 'react';

/** One named value in a facts list (<dl className="audit-facts">). */
export function Fact({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div className="audit-facts__item">
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  );
}
