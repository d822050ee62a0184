import { z } from 'zod';

/**
 * Characters no free text may carry: C0 controls (tab and line ends allowed only where a field is
 * multi-line), DEL and C1 controls, and the bidirectional formatting characters that can make a title
 * read differently from what it says (a "Trojan Source" reversal of an amount or an account).
 */
const BIDI = '\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069';
const SINGLE_LINE_REFUSED = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029${BIDI}]`, 'u');
const MULTI_LINE_REFUSED = new RegExp(
  `[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${BIDI}]`,
  'u',
);

export function hasRefusedCharacters(text: string, multiLine: boolean): boolean {
  return (multiLine ? MULTI_LINE_REFUSED : SINGLE_LINE_REFUSED).test(text);
}

const refusedMessage = 'Must not contain control characters or bidirectional formatting characters';

/** A one-line name or title, trimmed. */
export function singleLineText(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((text) => !hasRefusedCharacters(text, false), refusedMessage);
}

/** A comment, summary or reason: line breaks and tabs allowed, nothing else invisible. */
export function multiLineText(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((text) => !hasRefusedCharacters(text, true), refusedMessage);
}

/** Multi-line text kept exactly as sent (not trimmed): what a signature covers must not change on the way. */
export function signedText(max: number) {
  return z
    .string()
    .max(max)
    .refine((text) => !hasRefusedCharacters(text, true), refusedMessage);
}

/** Every string inside a JSON value (keys included), checked as multi-line text; the first offender's path. */
export function refusedStringPath(value: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: string };
    if (typeof current === 'string') {
      if (hasRefusedCharacters(current, true)) return path || '(value)';
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => {
        stack.push({ value: item, path: `${path}[${index}]` });
      });
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        if (hasRefusedCharacters(key, false)) return `${path}.${key.replace(/[^\x20-\x7e]/g, '?')}`;
        stack.push({ value: item, path: `${path}.${key}` });
      }
    }
  }
  return undefined;
}
