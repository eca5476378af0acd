// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';

/**
 * Parses numeric CSV text (RFC 4180 quoting, optional header row) into a header and rows of
 * numbers. A cell that is not a number raises an error naming its row and column.
 */
export function parseCsv(text: string, opts: { header?: boolean; delimiter?: string; source?: string } = {}): { header: string[] | null; rows: number[][] } {
  const { delimiter = ',', source = 'CSV data' } = opts;
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) { record.push(field); field = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      if (record.some((f) => f.trim() !== '')) records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  record.push(field);
  if (record.some((f) => f.trim() !== '')) records.push(record);
  const hasHeader = opts.header ?? (records.length > 0 && records[0].some((f) => f.trim() !== '' && Number.isNaN(Number(f))));
  const header = hasHeader ? records.shift()!.map((f) => f.trim()) : null;
  const width = header?.length ?? records[0]?.length ?? 0;
  const rows = records.map((r, i) => {
    if (r.length !== width) throw new StrataError('parseCsv', `${source}: row ${i + 1 + (hasHeader ? 1 : 0)} has ${r.length} fields, expected ${width}`);
    return r.map((f, j) => {
      const v = Number(f.trim());
      if (f.trim() === '' || Number.isNaN(v)) throw new StrataError('parseCsv', `${source}: row ${i + 1 + (hasHeader ? 1 : 0)}, column ${j + 1} is '${f}', not a number`);
      return v;
    });
  });
  return { header, rows };
}
