/**
 * RFC 4180 CSV: fields with commas, quotes or line breaks are quoted and quotes doubled. Cells that
 * a spreadsheet would run as a formula (=, +, -, @ first) are prefixed with a quote mark, so an
 * imported note cannot execute in procurement's spreadsheet.
 */
export type CsvCell = string | number | boolean | null;

function escapeCell(cell: CsvCell): string {
  if (cell === null) return '';
  let text = String(cell);
  if (typeof cell === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return `${[header, ...rows].map((row) => row.map(escapeCell).join(',')).join('\r\n')}\r\n`;
}
