export { idleScenario } from "./idle.js";
export { echoScenario } from "./echo.js";
export { broadcastScenario } from "./broadcast.js";
export { connectScenario } from "./connect-rate.js";
export { overloadScenario } from "./overload.js";
export type { MetricSpec, Metrics, ScenarioContext, ScenarioName, ScenarioSpec } from "./scenario.js";
