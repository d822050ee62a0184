import { createContext, type ReactNode, useContext } from 'react';
import type { DraftField } from '../../../stores/new-request-draft';
import { useNewRequest } from './use-new-request';

/** The form's id for each field's control, so a failed submit can move the focus to the first problem. */
export const FieldIds = createContext<(field: DraftField) => string>((field) => field);

/** What a field's control carries: its id, whether it is wrong, and what describes it. */
export function useFieldControl(field: DraftField, hint = false) {
  const idOf = useContext(FieldIds);
  const problem = useNewRequest((s) => s.problems[field]);
  const id = idOf(field);
  const describedBy = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return {
    id,
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': describedBy || undefined,
  } as const;
}

/**
 * A labelled field: the label, the control (given `useFieldControl`'s props), a hint, and the problem the
 * last submit found with it, said beside it.
 */
export function Field({
  field,
  label,
  hint,
  children,
}: {
  readonly field: DraftField;
  readonly label: string;
  readonly hint?: ReactNode;
  readonly children: ReactNode;
}) {
  const idOf = useContext(FieldIds);
  const problem = useNewRequest((s) => s.problems[field]);
  const id = idOf(field);
  return (
    <div className="new-request__field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {problem && (
        <p id={`${id}-problem`} className="field-error">
          {problem}
        </p>
      )}
    </div>
  );
}
