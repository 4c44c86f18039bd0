/**
 * `npm run bench`: the nodes against the fewest requests and the rate the APIs allow, measured side by side with
 * that floor in one run. The nodes run in n8n's engine in this process; the local APIs run in a child process
 * (bench/apiProcess.ts), so memory figures are the engine's and the node's alone. Prints a table and writes it to
 * bench/results.md. The cases are in bench/kantataCases.ts and bench/moneybirdCase.ts, what they share in
 * bench/measure.ts.
 */
import os from 'node:os';

import '../test/harness/setupEnv';

import { kantataCreates, kantataNode, limitFive, returnAll } from './kantataCases';
import { api, ask, ROUNDS, rows, table } from './measure';
import { moneybirdBatch, moneybirdByReference } from './moneybirdCase';
import { moneybirdFloor, moneybirdFloorPaced } from './moneybirdFloor';
import { writeResultsSection } from './resultsFile';

async function main() {
	await ask<{ ready: boolean }>();
	// Warm up module loading and the engine, so the first measured case does not pay for it.
	const { url } = await ask<{ url: string }>({ type: 'kantata', seed: 400, latencyMs: 0 });
	await kantataNode(url, { operation: 'getAll', returnAll: true });

	// `npm run bench -- 1 4` runs only cases 1 and 4.
	const only = process.argv.slice(2);
	const cases: Array<[string, () => Promise<void>]> = [
		['1', async () => {
			await returnAll(10_000, ROUNDS);
			await returnAll(50_000, 3);
		}],
		['2', limitFive],
		['4', kantataCreates],
		['3', async () => await moneybirdBatch()],
		['3b', async () => await moneybirdBatch(false)],
		['3c', moneybirdByReference],
		['3d', async () => await moneybirdFloor('3d', 300)],
		['3e', async () => await moneybirdFloor('3e', 1000)],
		['3f', moneybirdFloorPaced],
	];
	for (const [name, run] of cases) if (!only.length || only.includes(name)) await run();

	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
	const markdown = `## n8n's engine in this process (\`npm run bench\`)\n\nMeasured on ${new Date().toISOString().slice(0, 10)} (${machine}).\n\n${table()}\n`;
	if (!only.length) writeResultsSection('bench', markdown);
	// The request-floor cases also keep a section of their own, written whenever they run.
	const floorRows = rows.filter((r) => /^3[def]\./.test(r.case));
	if (floorRows.length) writeResultsSection('bench-floor', `## Moneybird at the request floor (\`npm run bench -- 3d 3e 3f\`)\n\nMeasured on ${new Date().toISOString().slice(0, 10)} (${machine}).\n\n${table(floorRows)}\n`);
	console.log(`\n${table()}\n${only.length ? '' : '\nWritten to bench/results.md'}`);
	api.kill();
	process.exit(rows.every((r) => r.met) ? 0 : 1);
}

main().catch((error: unknown) => {
	console.error(error);
	api.kill();
	process.exit(1);
});
