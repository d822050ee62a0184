/**
 * A minimal PDF 1.4 writer for the demo's evidence: text pages in the standard Helvetica fonts (which every
 * reader carries, so nothing is embedded), thin rules, and a correct cross-reference table. Enough for an
 * invoice or a review report; it exists so the seed needs no PDF library at run time.
 */

export type PdfBlock =
  | { readonly heading: string }
  | { readonly text: string; readonly bold?: boolean; readonly size?: number }
  | { readonly row: readonly string[]; readonly at: readonly number[]; readonly bold?: boolean }
  | { readonly rule: true }
  | { readonly space: number };

export interface PdfDocument {
  readonly title: string;
  readonly author: string;
  readonly created: Date;
  readonly pages: readonly (readonly PdfBlock[])[];
}

const PAGE_WIDTH = 595; // A4 in points
const PAGE_HEIGHT = 842;
const MARGIN = 56;
const BODY_SIZE = 10;
const LEADING = 1.45;
/** Helvetica averages about half an em per character: a safe wrap width without font metrics. */
const CHARS_PER_LINE = Math.floor((PAGE_WIDTH - 2 * MARGIN) / (BODY_SIZE * 0.5));

/** The standard fonts' WinAnsi text: printable ASCII only, with the few typographic marks spelt out. */
function ascii(text: string): string {
  return text
    .replaceAll('€', 'EUR ')
    .replaceAll(/[–—]/g, '-')
    .replaceAll(/[‘’]/g, "'")
    .replaceAll(/[“”]/g, '"')
    .replaceAll(/[^\x20-\x7e]/g, '?');
}

function pdfString(text: string): string {
  return `(${ascii(text).replaceAll(/[\\()]/g, (c) => `\\${c}`)})`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** One page's content stream: blocks laid out top to bottom. */
function pageContent(blocks: readonly PdfBlock[], pageNumber: number, pageCount: number): string {
  const ops: string[] = [];
  let y = PAGE_HEIGHT - MARGIN;
  const textAt = (x: number, size: number, bold: boolean, text: string) => {
    ops.push(`BT /${bold ? 'F2' : 'F1'} ${size} Tf ${x} ${y.toFixed(1)} Td ${pdfString(text)} Tj ET`);
  };
  for (const block of blocks) {
    if ('heading' in block) {
      y -= 18;
      textAt(MARGIN, 16, true, block.heading);
      y -= 10;
    } else if ('text' in block) {
      const size = block.size ?? BODY_SIZE;
      for (const line of wrap(block.text, Math.floor((CHARS_PER_LINE * BODY_SIZE) / size))) {
        y -= size * LEADING;
        textAt(MARGIN, size, block.bold === true, line);
      }
    } else if ('row' in block) {
      y -= BODY_SIZE * LEADING;
      block.row.forEach((cell, i) => {
        textAt(MARGIN + (block.at[i] ?? 0), BODY_SIZE, block.bold === true, cell);
      });
    } else if ('rule' in block) {
      y -= 6;
      ops.push(`0.6 w 0.55 G ${MARGIN} ${y.toFixed(1)} m ${PAGE_WIDTH - MARGIN} ${y.toFixed(1)} l S`);
    } else {
      y -= block.space;
    }
    if (y < MARGIN) throw new Error('A demo PDF page overflows; split it into more pages.');
  }
  ops.push(`BT /F1 8 Tf ${MARGIN} ${MARGIN / 2} Td ${pdfString(`Page ${pageNumber} of ${pageCount}`)} Tj ET`);
  return `${ops.join('\n')}\n`;
}

function pdfDate(date: Date): string {
  const iso = date.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

export function renderPdf(doc: PdfDocument): Buffer {
  const objects: string[] = [];
  const add = (body: string): number => objects.push(body);
  const catalog = add('');
  const pages = add('');
  const regular = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const bold = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const info = add(
    `<< /Title ${pdfString(doc.title)} /Author ${pdfString(doc.author)} /Producer (Compliance Platform demo seed) /CreationDate (${pdfDate(doc.created)}) >>`,
  );
  const kids: number[] = [];
  doc.pages.forEach((blocks, i) => {
    const content = pageContent(blocks, i + 1, doc.pages.length);
    const stream = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}endstream`);
    kids.push(
      add(
        `<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources << /Font << /F1 ${regular} 0 R /F2 ${bold} 0 R >> >> /Contents ${stream} 0 R >>`,
      ),
    );
  });
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pages} 0 R >>`;
  objects[pages - 1] =
    `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;

  // The binary comment line tells transfer tools the file is not text, as the specification recommends.
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
