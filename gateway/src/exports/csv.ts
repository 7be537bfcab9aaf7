/**
 * One CSV record (RFC 4180): fields with a comma, quote or line break are quoted, quotes
 * doubled. A field a spreadsheet would read as a formula (starting with = + - @, a tab or a
 * carriage return) is prefixed with an apostrophe (OWASP "CSV injection"): guest names and
 * reasons are typed by people. A dozen lines, so no library for it.
 */
export function csvRecord(fields: ReadonlyArray<string | number | null | undefined>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
