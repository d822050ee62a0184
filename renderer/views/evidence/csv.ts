/** The most rows a preview parses; a longer file says so and offers the download for the rest. */
export const MAX_CSV_ROWS = 100_000;

export interface ParsedCsv {
  readonly rows: readonly (readonly string[])[];
  /** Rows beyond MAX_CSV_ROWS were not parsed. */
  readonly truncated: boolean;
}

/**
 * RFC 4180 CSV: fields separated by commas, rows by CRLF or LF, a field in double quotes may hold commas,
 * line breaks and doubled quotes. Lenient like a spreadsheet: a stray quote inside an unquoted field is
 * kept as text. Cells are plain strings, shown as text, never as markup.
 */
export function parseCsv(text: string, maxRows = MAX_CSV_ROWS): ParsedCsv {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      if (rows.length >= maxRows) return { rows, truncated: i + 1 < text.length };
    } else field += c;
  }
  if (field !== '' || row.length > 0) endRow();
  return { rows, truncated: false };
}

export type PreviewKind = 'image' | 'pdf' | 'csv' | 'json' | 'text' | 'none';

/** How a file is shown: by its checked media type, and a plain-text file named .csv as a table. */
export function previewKind(mediaType: string, name: string): PreviewKind {
  if (mediaType.startsWith('image/')) return 'image';
  if (mediaType === 'application/pdf') return 'pdf';
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'text/plain') return /\.csv$/i.test(name) ? 'csv' : 'text';
  return 'none';
}

/** JSON laid out with two-space indents, or the text as it is when it does not parse. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
