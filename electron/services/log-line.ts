import { scrubCredentials } from '../../shared/redaction';

/**
 * Text on its way to a log, as one line: anything shaped like a credential is scrubbed by the platform's
 * own scrubber (shared/redaction.ts), since an error's message can quote what it was handed, and line
 * breaks are folded so a message cannot pass off a second line as the console's own.
 */
export function logLine(text: string): string {
  return scrubCredentials(text).replace(/[\r\n\u2028\u2029]+/g, ' ');
}
