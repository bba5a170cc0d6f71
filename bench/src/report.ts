/** The human-readable result table: absolute numbers per target, then omnio's ratios. */
import type { BenchReport } from "./run-bench.js";
import { SCENARIOS } from "./run-bench.js";
import type { TargetName } from "./targets.js";

const RATIOS: readonly { label: string; num: TargetName; den: TargetName }[] = [
  { label: "omnio/socketio", num: "omnio", den: "socketio" },
  { label: "omnio/ws", num: "omnio", den: "ws" },
];
const COLUMNS: readonly TargetName[] = ["socketio", "omnio", "ws"];

function formatNumber(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return "—";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ratio(num: number | undefined, den: number | undefined): string {
  if (num === undefined || den === undefined || !Number.isFinite(num) || !Number.isFinite(den) || den === 0) return "—";
  return (num / den).toFixed(2) + "×";
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((row) =>
      row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  "),
    )
    .join("\n");
}

export function formatReport(report: BenchReport): string {
  const out: string[] = [];
  const m = report.meta;
  out.push(`omnio bench (${m.mode}) — node ${m.node}, ${m.platform}, ${m.cpus} CPUs, ${m.pinning}`);
  out.push(`load average (1 min): ${m.loadAverage.before.toFixed(2)} before, ${m.loadAverage.after.toFixed(2)} after`);
  for (const note of m.notes) out.push(`note: ${note}`);
  for (const name of COLUMNS) {
    const status = report.targets[name];
    if (status === undefined) continue;
    out.push(
      `  ${name.padEnd(9)} ${status.title}${status.available ? "" : ` — SKIPPED: ${status.reason ?? "unavailable"}`}`,
    );
  }
  for (const scenario of report.scenarios) {
    const spec = SCENARIOS.find((s) => s.name === scenario.name);
    if (spec === undefined) continue;
    out.push("", `== ${scenario.title} ==`);
    const header = ["metric", ...COLUMNS, ...RATIOS.map((r) => r.label)];
    const rows: string[][] = [header];
    for (const metric of spec.metrics) {
      const value = (t: TargetName): number | undefined => scenario.results[t]?.metrics?.[metric.key];
      rows.push([
        metric.label,
        ...COLUMNS.map((t) => formatNumber(value(t), metric.digits)),
        ...RATIOS.map((r) => (metric.ratio === false ? "" : ratio(value(r.num), value(r.den)))),
      ]);
    }
    out.push(table(rows));
    for (const name of COLUMNS) {
      const error = scenario.results[name]?.error;
      if (error !== undefined) out.push(`  ${name} error: ${error}`);
    }
  }
  out.push("", `total ${m.elapsedSeconds.toFixed(0)} s`);
  return out.join("\n");
}
