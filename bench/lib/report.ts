/** One measured figure, always beside the baseline it is judged against (same run, same machine). */
export interface Row {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number };
  /** What the issue asks for, e.g. ">= 1000" or "< 500"; checked against `value`. */
  goal?: { op: ">=" | "<=" | "<" | ">"; value: number };
}

export function ratio(row: Row): number | undefined {
  return row.baseline && row.baseline.value !== 0 ? row.value / row.baseline.value : undefined;
}

export function meets(row: Row): boolean | undefined {
  if (!row.goal) return undefined;
  const { op, value } = row.goal;
  return op === ">=" ? row.value >= value : op === "<=" ? row.value <= value : op === "<" ? row.value < value : row.value > value;
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

/** The table `npm run bench` prints (Markdown, so it pastes into the README as is). */
export function renderTable(rows: Row[]): string {
  const lines = ["| bench | metric | value | baseline (same run) | ratio | goal |", "|---|---|---|---|---|---|"];
  for (const row of rows) {
    const r = ratio(row);
    const ok = meets(row);
    lines.push(
      `| ${row.bench} | ${row.metric} | ${fmt(row.value)} ${row.unit} | ${row.baseline ? `${row.baseline.label}: ${fmt(row.baseline.value)} ${row.unit}` : "—"} | ${r === undefined ? "—" : fmt(r)} | ${row.goal ? `${row.goal.op} ${row.goal.value} ${ok ? "✓" : "✗"}` : "—"} |`,
    );
  }
  return lines.join("\n");
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
