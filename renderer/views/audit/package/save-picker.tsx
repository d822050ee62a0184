import { useId } from 'react';
import { binarySize } from '../../../components/byte-size';
import { Dialog } from '../../../components/dialog';
import { utcTime } from '../format';
import { usePackageExport, usePackageExportStore } from './use-package-export';

/**
 * The headless host's "Save as": no system dialog reaches a browser tab, so the file goes to the console's
 * own folder under the name typed here, with the files already there listed so a name that would replace
 * one is seen; a taken name is replaced only after the person confirms.
 */
export function SavePicker() {
  const store = usePackageExportStore();
  const step = usePackageExport((s) => s.step);
  const nameId = useId();
  const hintId = useId();
  const errorId = useId();
  if (step.phase !== 'naming') return null;
  const { setName, confirmName, cancel } = store.getState();
  return (
    <Dialog title="Save as" onCancel={() => void cancel()} className="save-picker">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void confirmName();
        }}
      >
        <label htmlFor={nameId}>File name</label>
        <input
          id={nameId}
          data-autofocus
          value={step.name}
          onChange={(event) => setName(event.target.value)}
          aria-describedby={`${hintId}${step.error ? ` ${errorId}` : ''}`}
          aria-invalid={step.error && !step.replacing ? true : undefined}
          spellCheck={false}
        />
        <p id={hintId} className="hint">
          Saved in the console’s own folder on this computer, with its reports beside it.
        </p>
        {step.error && (
          <p id={errorId} role="alert" className={step.replacing ? 'save-picker__warning' : 'field-error'}>
            {step.error.message}
          </p>
        )}
        {step.files.length > 0 && (
          <table className="save-picker__files">
            <caption>Already in the folder</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Size</th>
                <th scope="col">Saved</th>
              </tr>
            </thead>
            <tbody>
              {step.files.map((f) => (
                <tr key={f.name}>
                  <td>
                    <button type="button" className="link" onClick={() => setName(f.name)}>
                      {f.name}
                    </button>
                  </td>
                  <td>{binarySize(f.size)}</td>
                  <td>{utcTime(f.modifiedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="dialog__actions">
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
          <button type="submit" className="primary">
            {step.replacing ? 'Replace' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
