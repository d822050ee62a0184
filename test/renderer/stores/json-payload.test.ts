import { describe, expect, it } from 'vitest';
import {
  checkPayloadText,
  MAX_PAYLOAD_CHARS,
  payloadProblemText,
} from '../../../renderer/stores/json-payload';

const problem = (text: string) => {
  const checked = checkPayloadText(text);
  if (checked.ok) throw new Error(`expected a problem with ${text}`);
  return payloadProblemText(checked);
};

describe('custom payload text, checked as it is typed', () => {
  it('takes a JSON object, and says how large it is', () => {
    const checked = checkPayloadText('{\n  "vendor": "Initech",\n  "lines": [{"sku": "LIC-1", "qty": 2}]\n}');
    expect(checked).toEqual({
      ok: true,
      value: { vendor: 'Initech', lines: [{ sku: 'LIC-1', qty: 2 }] },
      chars: 54,
    });
  });

  it('says where the text goes wrong, by line and column, in words', () => {
    expect(problem('{\n  "a": 1\n  "b": 2\n}')).toBe(
      'Line 3, column 3: Expected "," or "}" after the property value.',
    );
    expect(problem('{"a": 1,}')).toBe('Line 1, column 9: Remove the comma before "}".');
    expect(problem("{'a': 1}")).toBe('Line 1, column 2: Expected a property name in double quotes.');
    expect(problem('{"a": \'x\'}')).toBe(
      'Line 1, column 7: Strings take double quotes ("…"), not single quotes.',
    );
    expect(problem('{"a": tru}')).toBe(
      'Line 1, column 7: Expected a value: an object, array, "string", number, true, false or null.',
    );
    expect(problem('{"a": 01}')).toBe('Line 1, column 8: This is not a JSON number.');
    expect(problem('{\n  "note": "unclosed\n}')).toBe(
      'Line 2, column 11: This string is not closed on its line: end it with a double quote (a line break in a string is written \\n).',
    );
    expect(problem('{"a": "x\\q"}')).toBe('Line 1, column 9: "\\q" is not a JSON escape.');
    expect(problem('{"a": "\\q"}')).toBe('Line 1, column 8: "\\q" is not a JSON escape.');
    expect(problem('{"a": 1} {"b": 2}')).toBe(
      'Line 1, column 10: Unexpected text after the end of the JSON value.',
    );
    expect(problem('{"a": 1, "a": 2}')).toBe(
      'Line 1, column 10: The property "a" appears twice in this object.',
    );
  });

  it('text that ends too early says so at its end', () => {
    expect(problem('{"note": "unclosed')).toBe(
      'Line 1, column 10: This string is not closed with a double quote.',
    );
    expect(problem('{"vendor": "Initech"')).toBe(
      'Line 1, column 21: The JSON ends too early: expected "," or "}" after the property value.',
    );
    expect(problem('[1, 2')).toBe(
      'Line 1, column 6: The JSON ends too early: expected "," or "]" after the array element.',
    );
  });

  it('empty text, and values that are not an object', () => {
    expect(problem('  \n ')).toBe('The payload is empty.');
    expect(problem('[1, 2]')).toBe('The payload must be a JSON object ({ … }), not an array.');
    expect(problem('"text"')).toBe('The payload must be a JSON object ({ … }), not a string.');
    expect(problem('42')).toBe('The payload must be a JSON object ({ … }), not a number.');
    expect(problem('null')).toBe('The payload must be a JSON object ({ … }), not null.');
  });

  it('too large, too deep, or holding characters the platform refuses', () => {
    const large = JSON.stringify({ notes: 'x'.repeat(MAX_PAYLOAD_CHARS) });
    expect(problem(large)).toBe('The payload is 32.0 KB as JSON; at most 32 KB.');
    const deep = `${'{"a":'.repeat(32)}1${'}'.repeat(32)}`;
    expect(problem(deep)).toBe('The payload nests 32 levels deep; at most 31.');
    expect(checkPayloadText(`${'{"a":'.repeat(31)}1${'}'.repeat(31)}`).ok).toBe(true);
    expect(problem('{"account": "DE89\\u202e3704"}')).toBe(
      'The text at .account holds control or bidirectional formatting characters, which are refused.',
    );
  });
});
