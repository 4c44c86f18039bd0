/**
 * `npm run bench:n8n`: the Kantata OX node in a real n8n of each major, with the packed package installed as n8n's
 * Community Nodes installer installs it, against a plain fetch loop (the floor) and against n8n's own HTTP Request
 * node doing the same jobs in the same n8n. Each contender is timed by its own `executionTime` in the stored run
 * data of an `n8n execute --id` run, so CLI start-up is not counted. Rounds alternate which contender goes first.
 * Prints figures and writes them into bench/results.md; fails only when a contender did not do the whole job.
 *
 * Options: `--n8n=1,2` (majors; default both; installed on first use as for the real-n8n suite), `--rounds=N` (default 5),
 * `--package=<folder>` (another working copy to pack and measure; printed only).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

import { PROJECT_ROOT } from '../test/harness/packages';
import { createKantataApi, DEFAULT_TOKEN } from '../sandbox/kantata';
import { ensureN8n, n8nOk, prepareUserFolder } from '../scripts/n8nLocal';
import type { N8nInstall, N8nMajor } from '../scripts/n8nLocal';
import { packForBench } from './n8n/packWorkingCopy';
import { roundTimes, storedRunData } from './n8n/runData';
import type { RoundTimes } from './n8n/runData';
import { importCredentials, importWorkflows, QUIET } from './n8n/userFolder';
import { BENCH_CREDENTIALS, benchWorkflow } from './n8n/workflows';
import type { First } from './n8n/workflows';
import { writeResultsSection } from './resultsFile';
import { median, ratioOf, ratios, seconds } from './stats';

const PAYMENTS = 10_000;
const CREATES = 300;
const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const ROUNDS = Number(option('rounds') ?? 5);
const MAJORS = (option('n8n') ?? '1,2').split(',').map(Number) as N8nMajor[];

/** One server answering pages after 20 ms, one answering creates after 5 ms (each job's latency, as in the issue). */
async function startApis() {
	const list = createKantataApi();
	list.state.seedPayments(PAYMENTS);
	list.server.latencyMs = 20;
	await list.server.start();
	const create = createKantataApi();
	create.server.latencyMs = 5;
	await create.server.start();
	return { list, create };
}
type Apis = Awaited<ReturnType<typeof startApis>>;

interface LoopTimes {
	listMs: number;
	listed: number;
	createMs: number;
	created: number;
}

/** The plain fetch loops, in a child process under the Node that runs this n8n. */
async function plainLoop(n8n: N8nInstall, apis: Apis): Promise<LoopTimes> {
	const script = path.join(__dirname, 'n8n', 'plainLoop.ts');
	const args = ['--import', 'tsx', script, apis.list.server.url, apis.create.server.url, DEFAULT_TOKEN, String(CREATES)];
	const child = spawn(n8n.node, args, { cwd: PROJECT_ROOT, env: n8n.env, stdio: ['ignore', 'pipe', 'inherit'] });
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
	if (status !== 0) throw new Error(`the plain loop exited ${status}`);
	const times = JSON.parse(output) as LoopTimes;
	if (times.listed !== PAYMENTS || times.created !== CREATES) throw new Error(`plain loop: ${output}`);
	return times;
}

interface MajorResult {
	n8n: N8nInstall;
	rounds: Array<{ n8n: RoundTimes; loop: LoopTimes; load: number }>;
}

async function benchMajor(n8n: N8nInstall, tarballs: string[], apis: Apis): Promise<MajorResult> {
	console.log(`\nn8n ${n8n.version} (Node from ${n8n.node}): preparing a user folder…`);
	const userFolder = await prepareUserFolder(n8n, 'bench', tarballs);
	await importCredentials(n8n, userFolder, [
		{ ...BENCH_CREDENTIALS.list, data: { accessToken: DEFAULT_TOKEN, baseUrl: apis.list.server.url } },
		{ ...BENCH_CREDENTIALS.create, data: { accessToken: DEFAULT_TOKEN, baseUrl: apis.create.server.url } },
	]);
	const setup = { listUrl: apis.list.server.url, createUrl: apis.create.server.url, token: DEFAULT_TOKEN, creates: CREATES };
	const firsts: First[] = ['node', 'http'];
	await importWorkflows(n8n, userFolder, firsts.map((first) => benchWorkflow({ ...setup, first }, `bench${first}first`)));

	const result: MajorResult = { n8n, rounds: [] };
	for (let round = 0; round < ROUNDS; round++) {
		const first = firsts[round % 2];
		const load = os.loadavg()[0];
		apis.create.state.clearPayments();
		apis.list.server.resetLog();
		apis.create.server.resetLog();
		const runN8n = async () => {
			await n8nOk(n8n, userFolder, ['execute', `--id=bench${first}first`], { env: QUIET });
			return roundTimes(storedRunData(n8n, userFolder, `bench${first}first`), { payments: PAYMENTS, creates: CREATES, first });
		};
		// The loop goes first in even rounds, n8n in odd ones: both meet the same state of a shared machine.
		let loop: LoopTimes;
		let times: RoundTimes;
		if (round % 2 === 0) {
			loop = await plainLoop(n8n, apis);
			times = await runN8n();
		} else {
			times = await runN8n();
			loop = await plainLoop(n8n, apis);
		}
		// Ours, the HTTP Request node twice, and the loop: each created every row once.
		const payments = apis.create.state.countPayments();
		if (payments !== 4 * CREATES) throw new Error(`round ${round + 1}: ${payments} payments created, expected ${4 * CREATES}`);
		result.rounds.push({ n8n: times, loop, load });
		console.log(
			`  round ${round + 1} (${first} first, load ${load.toFixed(2)}): Return All node ${seconds(times.listNode)}, HTTP ${seconds(times.listHttp)}, loop ${seconds(loop.listMs)}; ` +
				`creates node ${seconds(times.createNode)}, HTTP one at a time ${seconds(times.createHttpOneAtATime)}, HTTP all at once ${seconds(times.createHttpAllAtOnce)}, loop ${seconds(loop.createMs)}`,
		);
	}
	return result;
}

interface Row {
	case: string;
	measure: string;
	node: string;
	other: string;
	ratio: string;
	target: string;
	met: string;
	load: string;
}

function rowsOf({ n8n, rounds }: MajorResult): Row[] {
	const pick = (get: (round: MajorResult['rounds'][number]) => number) => rounds.map(get);
	const node = { list: pick((r) => r.n8n.listNode), create: pick((r) => r.n8n.createNode) };
	const loads = pick((r) => r.load);
	const load = `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
	const rate = (times: number[]) => `${Math.round(CREATES / (median(times) / 1000))} items/s`;
	const row = (label: string, measure: string, mine: number[], other: number[], show: (t: number[]) => string, target?: number): Row => {
		const r = ratios(mine, other);
		return {
			case: `n8n ${n8n.version}: ${label}`,
			measure,
			node: show(mine),
			other: show(other),
			ratio: ratioOf(r),
			target: target === undefined ? 'information' : `≤ ${target.toFixed(2)}`,
			met: target === undefined ? '—' : median(r) <= target ? 'yes' : 'no',
			load,
		};
	};
	const time = (t: number[]) => seconds(median(t));
	const list = `Return All, ${PAYMENTS.toLocaleString('en')} payments (20 ms a page)`;
	const create = `Create, ${CREATES} payments (5 ms an answer)`;
	return [
		row(list, 'time vs plain fetch loop', node.list, pick((r) => r.loop.listMs), time, 1.1),
		row(list, "time vs HTTP Request node's pagination", node.list, pick((r) => r.n8n.listHttp), time, 1.0),
		row(create, 'vs plain fetch loop (ratio of times)', node.create, pick((r) => r.loop.createMs), rate, 1.2),
		row(create, 'vs HTTP Request node, one item at a time (Loop Over Items, batch 1)', node.create, pick((r) => r.n8n.createHttpOneAtATime), rate, 1.0),
		row(create, 'vs HTTP Request node as it runs by default (every item at once)', node.create, pick((r) => r.n8n.createHttpAllAtOnce), rate),
	];
}

function table(rows: Row[]): string {
	const header =
		'| Case | Measure | Kantata OX node | Other | Ratio (node / other, median and range) | Target | Met | Load (1-min, rounds) |\n| --- | --- | --- | --- | --- | --- | --- | --- |';
	return [header, ...rows.map((r) => `| ${r.case} | ${r.measure} | ${r.node} | ${r.other} | ${r.ratio} | ${r.target} | ${r.met} | ${r.load} |`)].join('\n');
}

async function main() {
	const installs = MAJORS.map((major) => ensureN8n(major));
	const tarballs = packForBench(option('package'));
	const apis = await startApis();
	const rows: Row[] = [];
	try {
		for (const n8n of installs) rows.push(...rowsOf(await benchMajor(n8n, tarballs, apis)));
	} finally {
		await apis.list.server.stop();
		await apis.create.server.stop();
	}
	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}`;
	const markdown = [
		'## Real n8n (`npm run bench:n8n`)',
		'',
		`Measured on ${new Date().toISOString().slice(0, 10)} (${machine}), ${ROUNDS} rounds per major, each contender timed by its own \`executionTime\` in the run data n8n stored for an \`n8n execute --id\` run (CLI start-up not counted); the plain fetch loop runs under the same Node as that n8n. Ratios are time over time (below 1: the Kantata OX node is faster). Load is the machine's 1-minute load average at the start of each round: figures taken on a busy machine are noisy.`,
		'',
		table(rows),
	].join('\n');
	console.log(`\n${table(rows)}`);
	// Figures of another working copy (--package) are printed only: bench/results.md describes this one.
	if (installs.length && !option('package')) writeResultsSection('bench:n8n', markdown);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
