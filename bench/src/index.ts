export { runBench, SCENARIOS } from "./run-bench.js";
export type { BenchOptions, BenchReport, ScenarioOutcome, ScenarioReport, TargetStatus } from "./run-bench.js";
export { ChildRegistry } from "./child-registry.js";
export { formatReport } from "./report.js";
export { FULL_PARAMS, QUICK_PARAMS } from "./params.js";
export type { BenchParams, ParamOverrides } from "./params.js";
export { TARGETS } from "./targets.js";
export type { TargetName, TargetSpec } from "./targets.js";
export type { ScenarioName } from "./scenarios/index.js";
