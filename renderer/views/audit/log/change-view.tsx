import type { AuditEntry } from '../../../stores/audit-store';
import { valueText } from '../format';

type Change = NonNullable<AuditEntry['change']>;
type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An entry's change, readably: objects side by side field by field, the changed fields marked in words
 * (not only colour); anything else as before and after blocks.
 */
export function ChangeView({ change }: { change: AuditEntry['change'] }) {
  if (!change) return <p className="hint">No change recorded: this action did not modify data.</p>;
  const { before, after } = change;
  const tabular = (isFields(before) || before === null) && (isFields(after) || after === null);
  if (tabular && (before !== null || after !== null))
    return <FieldTable before={before ?? {}} after={after ?? {}} created={before === null} />;
  return (
    <div className="audit-change__blocks">
      <Block title="Before" value={before} />
      <Block title="After" value={after} />
    </div>
  );
}

function FieldTable({ before, after, created }: { before: Fields; after: Fields; created: boolean }) {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return (
    <table className="audit-change">
      <caption className="visually-hidden">Fields before and after the change</caption>
      <thead>
        <tr>
          <th scope="col" className="audit-change__col">
            Field
          </th>
          <th scope="col" className="audit-change__col">
            Before
          </th>
          <th scope="col" className="audit-change__col">
            After
          </th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const was = valueText(before[name]);
          const now = valueText(after[name]);
          const changed = was !== now;
          // Everything in a creation is new; "changed" would suggest there was something before.
          const tag =
            created || before[name] === undefined
              ? 'added'
              : after[name] === undefined
                ? 'removed'
                : 'changed';
          return (
            <tr key={name} className={changed ? 'audit-change__changed' : undefined}>
              <th scope="row">
                {name}
                {changed && <span className="audit-change__tag"> {tag}</span>}
              </th>
              <td>
                <Value text={was} />
              </td>
              <td>
                <Value text={now} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Value({ text }: { text: string }) {
  return text.includes('\n') ? <pre className="audit-change__value">{text}</pre> : <span>{text}</span>;
}

function Block({ title, value }: { title: string; value: Change['before'] }) {
  return (
    <div className="audit-change__block">
      <h4>{title}</h4>
      <pre className="audit-change__value">{value === null ? '(none)' : valueText(value)}</pre>
    </div>
  );
}
