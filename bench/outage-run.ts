/**
 * One outage scenario in a process of its own (bench/outage.ts starts it with --expose-gc), so
 * that its RSS is neither an earlier scenario's leftovers nor the parent's: reads the scenario as
 * JSON from argv[2], prints the OutageResult as JSON.
 */
import { runOutage, type OutageScenario } from './lib/outage.js';

const scenario = JSON.parse(process.argv[2] ?? '') as OutageScenario;
process.stdout.write(JSON.stringify(await runOutage(scenario)));
