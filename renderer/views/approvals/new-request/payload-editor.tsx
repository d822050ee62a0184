import { useContext, useRef } from 'react';
import { checkPayloadText, MAX_PAYLOAD_CHARS, payloadProblemText } from '../../../stores/json-payload';
import { FieldIds } from './field';
import { useNewRequest, useNewRequestStore } from './use-new-request';

/** The text offset of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

/**
 * A custom kind's payload as JSON, checked on every keystroke as the platform will check it: where the
 * text goes wrong (line and column, and a button that puts the caret there), that it is an object, and
 * its size against the limit. Typing is never blocked or rewritten.
 */
export function PayloadEditor() {
  const store = useNewRequestStore();
  const text = useNewRequest((s) => s.draft.payloadText);
  const id = useContext(FieldIds)('payloadText');
  const editor = useRef<HTMLTextAreaElement>(null);
  const check = checkPayloadText(text);
  const goTo = () => {
    if (check.ok || check.line === undefined || check.column === undefined || !editor.current) return;
    const offset = offsetOf(text, check.line, check.column);
    editor.current.focus();
    editor.current.setSelectionRange(offset, offset);
  };
  return (
    <div className="new-request__field">
      <label htmlFor={id}>Payload (JSON object)</label>
      <textarea
        ref={editor}
        id={id}
        className="payload-editor"
        rows={9}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        value={text}
        aria-invalid={check.ok ? undefined : true}
        aria-describedby={`${id}-check ${id}-hint`}
        onChange={(e) => store.getState().edit({ payloadText: e.target.value })}
      />
      <div className="payload-editor__check" aria-live="polite">
        {check.ok ? (
          <p id={`${id}-check`} className="payload-editor__ok">
            A valid JSON object: {check.chars.toLocaleString()} of at most{' '}
            {MAX_PAYLOAD_CHARS.toLocaleString()} characters.
          </p>
        ) : (
          <p id={`${id}-check`} className="field-error">
            {payloadProblemText(check)}{' '}
            {check.line !== undefined && (
              <button type="button" className="link-button" onClick={goTo}>
                Go to line {check.line}, column {check.column}
              </button>
            )}
          </p>
        )}
      </div>
      <p id={`${id}-hint`} className="hint">
        What your integration is sent when the request is approved; every string is shown to approvers as
        written.
      </p>
    </div>
  );
}
