export interface Column {
  header: string;
  /** Numbers read best right-aligned; the default is left. */
  align?: 'left' | 'right';
}

/** Prints rows under their headers, each column as wide as its widest cell, separated by two spaces. */
export function printTable(columns: Column[], rows: string[][], write: (text: string) => void = (text) => process.stdout.write(text)): void {
  const widths = columns.map((column, i) => Math.max(column.header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    columns
      .map((column, i) => (column.align === 'right' ? (cells[i] ?? '').padStart(widths[i]) : (cells[i] ?? '').padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  write(`${[line(columns.map((column) => column.header)), rule, ...rows.map(line)].join('\n')}\n`);
}
