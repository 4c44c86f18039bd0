/**
 * `npm run bench:n8n-parallel` (issue 19, item 5): 1,000 Kantata OX creates against an API 50 ms away, in a real
 * n8n of each major, by the Kantata OX node with Requests in Parallel at 1, 8 and 25 and by n8n's HTTP Request node
 * with its default options and held by its Batching option to 25 requests every 50 ms. Each contender is its own
 * workflow (bench/n8n/parallelWorkflows.ts), run with `n8n execute --id` and timed by its node's `executionTime`
 * in the stored run data; the sandbox must hold exactly 1,000 new payments after each run, or the script fails.
 * Rounds alternate the contenders' order. Prints a table per major and writes it into bench/results.md. Targets:
 * 8 in parallel ≥ 6× faster than 1 at once; 25 in parallel within 1.2× of the HTTP Request node.
 *
 * Options: `--with-50` (also 50 in parallel; printed only), `--profile` (also one run of 25 in parallel under the CPU profiler per major), `--n8n=1,2` (default both), `--rounds=N` (default 3), `--rounds-one=N` (rounds that include the
 * 1-at-once contender, about a minute each; default 3), `--items=N` (default 1000), `--package=<folder>`
 * (another working copy to pack and measure; printed only).
 */
import os from 'node:os';

import { createKantataApi, DEFAULT_TOKEN } from '../sandbox/kantata';
import { ensureN8n, n8nOk, prepareUserFolder } from '../scripts/n8nLocal';
import type { N8nInstall, N8nMajor } from '../scripts/n8nLocal';
import { packForBench } from './n8n/packWorkingCopy';
import { profileContender, profileTable, topFunctions } from './n8n/parallelProfile';
import type { ParallelProfile } from './n8n/parallelProfile';
import { CONTENDERS as DEFAULT_CONTENDERS, FIFTY, HTTP_25, parallelWorkflow } from './n8n/parallelWorkflows';
import type { Contender } from './n8n/parallelWorkflows';
import { storedRunData } from './n8n/runData';
import { importCredentials, importWorkflows, QUIET } from './n8n/userFolder';
import { BENCH_CREDENTIALS } from './n8n/workflows';
import { writeResultsSection } from './resultsFile';
import { median, seconds } from './stats';

const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const ITEMS = Number(option('items') ?? 1000);
const ROUNDS = Number(option('rounds') ?? 3);
const ROUNDS_ONE = Math.min(ROUNDS, Number(option('rounds-one') ?? ROUNDS));
const MAJORS = (option('n8n') ?? '1,2').split(',').map(Number) as N8nMajor[];
const PROFILE = process.argv.includes('--profile');
const LATENCY_MS = 50;
const WITH_50 = process.argv.includes('--with-50');
const CONTENDERS = [...DEFAULT_CONTENDERS, HTTP_25, ...(WITH_50 ? [FIFTY] : [])];
const [ONE, EIGHT, TWENTY_FIVE, HTTP] = CONTENDERS;
/** Figures of another working copy, of a run without the 1-at-once contender or with 50 in parallel are printed only. */
const PRINT_ONLY = Boolean(option('package')) || WITH_50 || ROUNDS_ONE < 1;

type Api = ReturnType<typeof createKantataApi>;

interface Run {
	ms: number;
	load: number;
	/** Most create requests the API received within one latency (50 ms): about the most in flight. */
	inFlight: number;
	/** From the node's start to the API receiving its first request: the work done for every item before any is sent. */
	firstMs: number;
}

/** Most requests received within any window of `LATENCY_MS`: each stays at least that long in flight. */
function mostInFlight(api: Api): number {
	const times = api.server.requests.filter((r) => r.method === 'POST').map((r) => r.receivedAt).sort((a, b) => a - b);
	let most = 0;
	for (let from = 0, to = 0; to < times.length; to++) {
		while (times[to] - times[from] >= LATENCY_MS) from++;
		most = Math.max(most, to - from + 1);
	}
	return most;
}

async function runContender(n8n: N8nInstall, userFolder: string, api: Api, contender: Contender): Promise<Run> {
	api.state.clearPayments();
	api.server.resetLog();
	const load = os.loadavg()[0];
	await n8nOk(n8n, userFolder, ['execute', `--id=${contender.id}`], { env: QUIET, timeoutMs: 600_000 });
	const payments = api.state.countPayments();
	if (payments !== ITEMS) throw new Error(`n8n ${n8n.version}, ${contender.label}: ${payments} payments recorded, expected ${ITEMS}`);
	const task = storedRunData(n8n, userFolder, contender.id)[contender.node]?.[0];
	if (!task || task.error) throw new Error(`${contender.label}: ${task?.error?.message ?? 'did not run'}`);
	const items = task.data?.main?.[0] ?? [];
	// The Kantata OX node outputs the created payment; the HTTP Request node Kantata's answer, one record under `results`.
	const created = items.filter((item) => item.json.id !== undefined || (item.json.results as unknown[] | undefined)?.length === 1);
	if (created.length !== ITEMS) throw new Error(`${contender.label}: ${created.length} created items output, expected ${ITEMS}`);
	const first = Math.min(...api.server.requests.map((r) => r.receivedAt));
	return { ms: task.executionTime, load, inFlight: mostInFlight(api), firstMs: first - task.startTime };
}

/** Round r's order: rotated by r, reversed in odd rounds; the 1-at-once contender only in its first rounds. */
function orderOf(round: number): Contender[] {
	const rotated = CONTENDERS.map((_, i) => CONTENDERS[(i + round) % CONTENDERS.length]);
	const order = round % 2 ? rotated.reverse() : rotated;
	return order.filter((contender) => contender !== ONE || round < ROUNDS_ONE);
}

async function benchMajor(n8n: N8nInstall, tarballs: string[], api: Api, profiles: ParallelProfile[]): Promise<Map<Contender, Run[]>> {
	console.log(`\nn8n ${n8n.version} (Node from ${n8n.node}): preparing a user folder…`);
	const userFolder = await prepareUserFolder(n8n, 'bench', tarballs);
	const url = api.server.url;
	await importCredentials(n8n, userFolder, [{ ...BENCH_CREDENTIALS.create, data: { accessToken: DEFAULT_TOKEN, baseUrl: url } }]);
	await importWorkflows(n8n, userFolder, CONTENDERS.map((c) => parallelWorkflow({ url, token: DEFAULT_TOKEN, creates: ITEMS }, c)));
	const runs = new Map<Contender, Run[]>(CONTENDERS.map((c) => [c, []]));
	for (let round = 0; round < ROUNDS; round++) {
		for (const contender of orderOf(round)) {
			const run = await runContender(n8n, userFolder, api, contender);
			runs.get(contender)!.push(run);
			console.log(
				`  round ${round + 1}: ${contender.label.padEnd(40)} ${seconds(run.ms).padStart(8)}, first request after ${seconds(run.firstMs)}, most in flight ≈ ${run.inFlight} (load ${run.load.toFixed(2)})`,
			);
		}
	}
	if (PROFILE) {
		const profile = await profileContender(n8n, userFolder, TWENTY_FIVE, () => api.state.clearPayments());
		console.log(`  profiled ${TWENTY_FIVE.label}: ${seconds(profile.executionMs)} under the profiler; top functions by self time, per item:`);
		console.log(topFunctions(profile, ITEMS).join('\n'));
		profiles.push(profile);
	}
	return runs;
}

const times = (ratio: number, what: string) => (Number.isNaN(ratio) ? '—' : `×${ratio.toFixed(2)} ${what}`);

function table(n8n: N8nInstall, runs: Map<Contender, Run[]>): string {
	const med = (c: Contender) => (runs.get(c)!.length ? median(runs.get(c)!.map((r) => r.ms)) : NaN);
	const header =
		'| Contender | Median time | Rounds (s) | vs 1 at once | vs HTTP Request node | First request after (median) | Most in flight (≈) | Load (1-min, its runs) |\n| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |';
	const rows = CONTENDERS.map((c) => {
		const list = runs.get(c)!;
		if (!list.length) return `| ${c.label} | not run | | | | | | |`;
		const loads = list.map((r) => r.load);
		return `| ${c.label} | ${seconds(med(c))} | ${list.map((r) => (r.ms / 1000).toFixed(2)).join(', ')} | ${times(med(ONE) / med(c), 'faster')} | ×${(med(c) / med(HTTP)).toFixed(2)} the time | ${seconds(median(list.map((r) => r.firstMs)))} | ${Math.max(...list.map((r) => r.inFlight))} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`;
	});
	const speedup = med(ONE) / med(EIGHT);
	if (Number.isNaN(speedup)) return [`### n8n ${n8n.version}`, '', header, ...rows].join('\n');
	const ofHttp = med(TWENTY_FIVE) / med(HTTP);
	const met = [
		`n8n ${n8n.version}: 8 in parallel ×${speedup.toFixed(2)} faster than 1 at once (target ≥ ×6): ${speedup >= 6 ? 'met' : 'missed'}`,
		`n8n ${n8n.version}: 25 in parallel ×${ofHttp.toFixed(2)} the HTTP Request node's time (target ≤ ×1.2): ${ofHttp <= 1.2 ? 'met' : 'missed'}`,
		`n8n ${n8n.version}: 25 in parallel ×${(med(TWENTY_FIVE) / med(HTTP_25)).toFixed(2)} the time of the HTTP Request node held to 25 per 50 ms (information)`,
	];
	return [`### n8n ${n8n.version}`, '', header, ...rows, '', ...met.map((line) => `- ${line}`)].join('\n');
}

async function main() {
	const installs = MAJORS.map((major) => ensureN8n(major));
	const tarballs = packForBench(option('package'));
	const api = createKantataApi();
	api.server.latencyMs = LATENCY_MS;
	await api.server.start();
	const sections: string[] = [];
	const profiles: ParallelProfile[] = [];
	try {
		for (const n8n of installs) {
			const markdown = table(n8n, await benchMajor(n8n, tarballs, api, profiles));
			console.log(`\n${markdown}`);
			sections.push(markdown);
		}
	} finally {
		await api.server.stop();
	}
	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}`;
	const one = ROUNDS_ONE < ROUNDS ? ` (the 1-at-once contender, about a minute a run, in ${ROUNDS_ONE})` : '';
	const markdown = [
		'## Real n8n: Requests in Parallel (`npm run bench:n8n-parallel`)',
		'',
		`Measured on ${new Date().toISOString().slice(0, 10)} (${machine}): ${ITEMS.toLocaleString('en')} Kantata OX creates (Record For: Amount, from the row) against the sandbox Kantata API answering after ${LATENCY_MS} ms, ${ROUNDS} rounds per major${one}, the contenders' order rotated and reversed each round. Each contender is its own workflow, timed by its node's \`executionTime\` in the run data n8n stored for an \`n8n execute --id\` run (CLI start-up not counted); each recorded exactly ${ITEMS.toLocaleString('en')} payments (counted in the sandbox). Ratios are of medians. "First request after" is from the node's start to the API receiving its first create (the work done for every item before any is sent); "most in flight" is the most creates the API received within ${LATENCY_MS} ms. Load is the machine's 1-minute load average at the start of each run: figures taken on a busy machine are noisy.`,
		'',
		...sections.flatMap((section) => [section, '']),
		...(profiles.length
			? [
					'### Where the 25-in-parallel run spends its time (`--profile`)',
					'',
					'One run per major under `node --cpu-prof` (200 µs), samples classified by their whole stack (bench/n8n/cpuProfile.ts). With requests in parallel, "waiting for the API (idle)" is time the n8n process had nothing to do; every other row is CPU time of its one JavaScript thread, which bounds how fast the items can go.',
					'',
					profileTable(profiles, ITEMS),
				]
			: []),
	].join('\n');
	if (profiles.length) console.log(`\n${profileTable(profiles, ITEMS)}`);
	if (installs.length && !PRINT_ONLY) writeResultsSection('bench:n8n-parallel', markdown);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
