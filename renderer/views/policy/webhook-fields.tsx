import type { Environment } from '../../../shared/domain/environments';
import type { DraftProblem, WebhookDraft } from '../../stores/policy-draft';

interface Props {
  readonly idPrefix: string;
  readonly value: WebhookDraft;
  readonly problem: DraftProblem | undefined;
  onChange(webhook: WebhookDraft): void;
}

const choices: readonly { action: WebhookDraft['action']; label: string }[] = [
  { action: 'keep', label: 'Leave the webhook targets as they are' },
  { action: 'set', label: 'Send executed custom writes to a new target' },
  { action: 'remove', label: 'Remove the target' },
];

export const webhookUrlId = (prefix: string) => `${prefix}-webhook-url`;

/**
 * One environment's webhook target, optionally. The platform does not publish the target in force, so
 * none is shown; the environment and the address stay as typed whichever choice is made.
 */
export function WebhookFields({ idPrefix, value, problem, onChange }: Props) {
  const errorId = `${idPrefix}-webhook-error`;
  const hintId = `${idPrefix}-webhook-hint`;
  return (
    <fieldset className="policy-fieldset">
      <legend>Webhook target (optional)</legend>
      <p className="hint" id={hintId}>
        Whoever controls this address receives every executed custom write of that environment. The new
        signing secret is shown to you once, as the request's result, after it is approved. The platform does
        not show the console the target in force.
      </p>
      <div className="policy-choices">
        {choices.map((choice) => (
          <label key={choice.action} className="policy-choice">
            <input
              type="radio"
              name={`${idPrefix}-webhook-action`}
              checked={value.action === choice.action}
              onChange={() => onChange({ ...value, action: choice.action })}
            />
            {choice.label}
          </label>
        ))}
      </div>
      {value.action !== 'keep' && (
        <div className="policy-row">
          <div>
            <label htmlFor={`${idPrefix}-webhook-env`}>Environment</label>
            <select
              id={`${idPrefix}-webhook-env`}
              value={value.environment}
              onChange={(e) => onChange({ ...value, environment: e.target.value as Environment })}
            >
              <option value="test">Test</option>
              <option value="live">Live</option>
            </select>
          </div>
          {value.action === 'set' && (
            <div className="policy-row__grow">
              <label htmlFor={webhookUrlId(idPrefix)}>Target address</label>
              <input
                id={webhookUrlId(idPrefix)}
                type="url"
                inputMode="url"
                spellCheck={false}
                maxLength={2000}
                placeholder="https://hooks.example.com/compliance"
                value={value.url}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? errorId : hintId}
                onChange={(e) => onChange({ ...value, url: e.target.value })}
              />
            </div>
          )}
        </div>
      )}
      {problem && (
        <p className="field-error" id={errorId}>
          {problem.message}
        </p>
      )}
    </fieldset>
  );
}
