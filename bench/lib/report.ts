/** One measured figure, always beside the baseline it is judged against (same run, same machine). */
export interface Row {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number };
  /**
   * What the issue asks for, e.g. ">= 1000" or "< 500"; checked against `value`, or against
   * value / baseline when `on` is "ratio" (a goal stated relative to the same-run baseline).
   */
  goal?: { op: ">=" | "<=" | "<" | ">"; value: number; on?: "value" | "ratio" };
}

export function ratio(row: Row): number | undefined {
  return row.baseline && row.baseline.value !== 0 ? row.value / row.baseline.value : undefined;
}

export function meets(row: Row): boolean | undefined {
  if (!row.goal) return undefined;
  const { op, value } = row.goal;
  const actual = row.goal.on === "ratio" ? ratio(row) : row.value;
  if (actual === undefined || Number.isNaN(actual)) return false;
  return op === ">=" ? actual >= value : op === "<=" ? actual <= value : op === "<" ? actual < value : actual > value;
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

function goalText(goal: NonNullable<Row["goal"]>, ok: boolean | undefined): string {
  return `${goal.on === "ratio" ? "ratio " : ""}${goal.op} ${goal.value} ${ok ? "✓" : "✗"}`;
}

/** The table `npm run bench` prints (Markdown, so it pastes into the README as is). */
export function renderTable(rows: Row[]): string {
  const lines = ["| bench | metric | value | baseline (same run) | ratio | goal |", "|---|---|---|---|---|---|"];
  for (const row of rows) {
    const r = ratio(row);
    lines.push(
      `| ${row.bench} | ${row.metric} | ${fmt(row.value)} ${row.unit} | ${row.baseline ? `${row.baseline.label}: ${fmt(row.baseline.value)} ${row.unit}` : "—"} | ${r === undefined ? "—" : fmt(r)} | ${row.goal ? goalText(row.goal, meets(row)) : "—"} |`,
    );
  }
  return lines.join("\n");
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const mean = (values: number[]): number => (values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : NaN);

/** Progress for the person running the benchmark; stdout carries only the table. */
export function progress(bench: string, message: string): void {
  console.error(`[bench ${bench}] ${message}`);
}
