import { refusedStringPath } from '../../shared/text/free-text';

/**
 * A custom kind's payload as the person types it: checked on every keystroke, so the message must say
 * where the text goes wrong (line and column) in words a person reads, whatever JavaScript engine runs
 * the console (engines word `JSON.parse` errors differently, and some give no position at all).
 */

/** The platform's limit on a payload's canonical JSON (platform/approvals/approval-service.ts). */
export const MAX_PAYLOAD_CHARS = 32 * 1024;
/** The platform refuses bodies nested deeper than 32 levels; the payload sits one level inside the body. */
export const MAX_PAYLOAD_DEPTH = 31;

export type PayloadCheck =
  | { readonly ok: true; readonly value: Record<string, unknown>; readonly chars: number }
  | {
      readonly ok: false;
      readonly message: string;
      /** 1-based, where the text goes wrong; absent for problems of the whole value. */
      readonly line?: number;
      readonly column?: number;
    };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

/** A recursive-descent scan of JSON text that only finds the first error and the deepest nesting. */
class Scanner {
  index = 0;
  maxDepth = 0;
  constructor(private readonly text: string) {}

  scanDocument(): void {
    this.skipSpace();
    if (this.index >= this.text.length) throw new JsonSyntaxError('The payload is empty.', 0);
    this.value(1);
    this.skipSpace();
    if (this.index < this.text.length)
      throw new JsonSyntaxError('Unexpected text after the end of the JSON value.', this.index);
  }

  private fail(message: string): never {
    if (this.index >= this.text.length)
      throw new JsonSyntaxError(
        `The JSON ends too early: ${message.charAt(0).toLowerCase()}${message.slice(1)}`,
        this.index,
      );
    throw new JsonSyntaxError(message, this.index);
  }

  private skipSpace(): void {
    while (this.index < this.text.length && ' \t\n\r'.includes(this.text.charAt(this.index))) this.index++;
  }

  private value(depth: number): void {
    this.skipSpace();
    const c = this.text.charAt(this.index);
    if (c === '{') this.object(depth);
    else if (c === '[') this.array(depth);
    else if (c === '"') this.string();
    else if (c === '-' || (c >= '0' && c <= '9')) this.number();
    else {
      const word = ['true', 'false', 'null'].find((w) => this.text.startsWith(w, this.index));
      if (word) this.index += word.length;
      else if (c === "'") this.fail('Strings take double quotes ("…"), not single quotes.');
      else this.fail('Expected a value: an object, array, "string", number, true, false or null.');
    }
  }

  private object(depth: number): void {
    this.maxDepth = Math.max(this.maxDepth, depth);
    this.index++;
    const keys = new Set<string>();
    this.skipSpace();
    if (this.text.charAt(this.index) === '}') {
      this.index++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text.charAt(this.index) !== '"') {
        if (this.text.charAt(this.index) === '}') this.fail('Remove the comma before "}".');
        this.fail('Expected a property name in double quotes.');
      }
      const keyStart = this.index;
      const key = this.string();
      if (keys.has(key)) {
        this.index = keyStart;
        this.fail(`The property "${key}" appears twice in this object.`);
      }
      keys.add(key);
      this.skipSpace();
      if (this.text.charAt(this.index) !== ':') this.fail('Expected ":" after the property name.');
      this.index++;
      this.value(depth + 1);
      this.skipSpace();
      const next = this.text.charAt(this.index);
      if (next === '}') {
        this.index++;
        return;
      }
      if (next !== ',') this.fail('Expected "," or "}" after the property value.');
      this.index++;
    }
  }

  private array(depth: number): void {
    this.maxDepth = Math.max(this.maxDepth, depth);
    this.index++;
    this.skipSpace();
    if (this.text.charAt(this.index) === ']') {
      this.index++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text.charAt(this.index) === ']') this.fail('Remove the comma before "]".');
      this.value(depth + 1);
      this.skipSpace();
      const next = this.text.charAt(this.index);
      if (next === ']') {
        this.index++;
        return;
      }
      if (next !== ',') this.fail('Expected "," or "]" after the array element.');
      this.index++;
    }
  }

  /** The string's text, so object keys can be compared (escapes are kept as written; good enough here). */
  private string(): string {
    const start = ++this.index;
    while (this.index < this.text.length) {
      const c = this.text.charAt(this.index);
      if (c === '"') return this.text.slice(start, this.index++);
      if (c === '\\') {
        const escaped = this.text.charAt(this.index + 1);
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.index + 2, this.index + 6)))
            this.fail('"\\u" must be followed by four hexadecimal digits.');
          this.index += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(escaped) || escaped === '')
          this.fail(`"\\${escaped}" is not a JSON escape.`);
        this.index += 2;
        continue;
      }
      if (c === '\n' || c === '\r')
        throw new JsonSyntaxError(
          'This string is not closed on its line: end it with a double quote (a line break in a string is written \\n).',
          start - 1,
        );
      if (c < ' ') this.fail('A tab or control character inside a string must be escaped (\\t).');
      this.index++;
    }
    // Pointing at the opening quote says more than pointing at the end of the text.
    throw new JsonSyntaxError('This string is not closed with a double quote.', start - 1);
  }

  private number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.index));
    if (!match) this.fail('This is not a JSON number.');
    this.index += match[0].length;
    if (/^[0-9.]/.test(this.text.charAt(this.index))) this.fail('This is not a JSON number.');
  }
}

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

function kindOfValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** The payload text checked as the platform will: JSON, an object, not too deep or large, clean strings. */
export function checkPayloadText(text: string): PayloadCheck {
  const scanner = new Scanner(text);
  try {
    scanner.scanDocument();
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    if (error.index === 0 && text.trim() === '') return { ok: false, message: error.message };
    return { ok: false, message: error.message, ...lineAndColumn(text, error.index) };
  }
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: `The payload must be a JSON object ({ … }), not ${kindOfValue(value)}.` };
  if (scanner.maxDepth > MAX_PAYLOAD_DEPTH)
    return {
      ok: false,
      message: `The payload nests ${scanner.maxDepth} levels deep; at most ${MAX_PAYLOAD_DEPTH}.`,
    };
  const chars = JSON.stringify(value).length;
  if (chars > MAX_PAYLOAD_CHARS)
    return {
      ok: false,
      message: `The payload is ${(chars / 1024).toFixed(1)} KB as JSON; at most ${MAX_PAYLOAD_CHARS / 1024} KB.`,
    };
  const refused = refusedStringPath(value);
  if (refused !== undefined)
    return {
      ok: false,
      message: `The text at ${refused} holds control or bidirectional formatting characters, which are refused.`,
    };
  return { ok: true, value: value as Record<string, unknown>, chars };
}

/** "Line 3, column 5: …" for a check that failed at a place in the text. */
export function payloadProblemText(check: Extract<PayloadCheck, { ok: false }>): string {
  return check.line === undefined
    ? check.message
    : `Line ${check.line}, column ${check.column}: ${check.message}`;
}
