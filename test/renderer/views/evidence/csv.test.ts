import { describe, expect, it } from 'vitest';
import { parseCsv, prettyJson, previewKind } from '../../../../renderer/views/evidence/csv';

describe('CSV previews', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and a BOM', () => {
    const text = '\ufeffname,note\r\n"Smith, J","said ""yes"""\nLee,"two\nlines"\n';
    expect(parseCsv(text)).toEqual({
      rows: [
        ['name', 'note'],
        ['Smith, J', 'said "yes"'],
        ['Lee', 'two\nlines'],
      ],
      truncated: false,
    });
  });

  it('keeps a last row without a line break, empty fields, and says when it stopped early', () => {
    expect(parseCsv('a,,c\n,,').rows).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
    expect(parseCsv('1\n2\n3\n4\n', 2)).toEqual({ rows: [['1'], ['2']], truncated: true });
    expect(parseCsv('1\n2\n', 2)).toEqual({ rows: [['1'], ['2']], truncated: false });
  });

  it('shows each type its way: a .csv text as a table, JSON laid out, markup as plain text', () => {
    expect(previewKind('text/plain', 'access review.CSV')).toBe('csv');
    expect(previewKind('text/plain', 'notes.txt')).toBe('text');
    expect(previewKind('application/json', 'x.csv')).toBe('json');
    expect(previewKind('image/webp', 'a')).toBe('image');
    expect(previewKind('application/pdf', 'a')).toBe('pdf');
    expect(previewKind('application/zip', 'a')).toBe('none');
    expect(prettyJson('{"a":[1,"<b>"]}')).toBe('{\n  "a": [\n    1,\n    "<b>"\n  ]\n}');
    expect(prettyJson('not json')).toBe('not json');
  });
});
