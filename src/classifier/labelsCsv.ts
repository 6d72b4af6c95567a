/**
 * Parses AudioSet's `class_labels_indices.csv` (`index,mid,display_name`; display names are
 * quoted and may hold commas). Pure: text in, rows out, with a one-line error naming the line.
 */
export interface AudiosetLabel {
  index: number;
  mid: string;
  name: string;
}

/** Splits one CSV line into fields (RFC 4180 quoting: `"a, b"`, `""` for a quote). */
function splitCsvLine(line: string, lineNumber: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) throw new Error(`labels CSV line ${lineNumber}: unterminated quote`);
  fields.push(field);
  return fields;
}

export function parseLabelsCsv(text: string): AudiosetLabel[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines[0]?.trim() !== 'index,mid,display_name') throw new Error(`labels CSV: expected the header "index,mid,display_name", got "${lines[0] ?? ''}"`);
  return lines.slice(1).map((line, i) => {
    const lineNumber = i + 2;
    const fields = splitCsvLine(line, lineNumber);
    if (fields.length !== 3) throw new Error(`labels CSV line ${lineNumber}: expected 3 fields, got ${fields.length}`);
    const index = Number(fields[0]);
    if (!Number.isInteger(index) || index !== i) throw new Error(`labels CSV line ${lineNumber}: index "${fields[0]}" should be ${i} (rows must be in index order)`);
    return { index, mid: fields[1], name: fields[2] };
  });
}
