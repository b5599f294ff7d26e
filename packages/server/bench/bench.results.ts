import type { ScenarioName } from './bench.options.ts';

/** One figure of Avior next to the same figure of its baseline. */
export interface ComparisonRow {
  readonly scenario: ScenarioName;
  readonly measure: string;
  readonly unit: string;
  readonly avior: number;
  /** Null when the measure has no baseline of its own, such as page counts. */
  readonly baseline: number | null;
}

export interface ScenarioResult {
  readonly scenario: ScenarioName;
  readonly rows: readonly ComparisonRow[];
  /** Conditions that make the figures invalid, such as error responses under load. */
  readonly failures: readonly string[];
  /** Every figure measured, written to bench/results/latest.json. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Returns avior / baseline, or null when there is no baseline to divide by. */
export function ratioOf(row: ComparisonRow): number | null {
  if (row.baseline === null || row.baseline === 0) return null;

  return row.avior / row.baseline;
}

/** Formats the rows as a Markdown table, so the output can go into docs/performance.md as is. */
export function formatTable(rows: readonly ComparisonRow[]): string {
  const header = ['Scenario', 'Measure', 'Unit', 'Avior', 'Baseline', 'Avior / baseline'];
  const body = rows.map((row) => {
    const ratio = ratioOf(row);
    return [
      row.scenario,
      row.measure,
      row.unit,
      formatNumber(row.avior),
      row.baseline === null ? '-' : formatNumber(row.baseline),
      ratio === null ? '-' : ratio.toFixed(2),
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;

  return [line(header), rule, ...body.map(line)].join('\n');
}

function formatNumber(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toString();

  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}
