/**
 * `npm run bench:n8n-profile`: where the time per request goes when the Kantata OX node creates payments in a real
 * n8n. Runs the creates alone under `node --cpu-prof` in each major and splits the profile (bench/n8n/cpuProfile.ts)
 * into this package's own code, the n8n functions it calls, and n8n's work around it. Prints per-item figures and
 * writes them into bench/results.md.
 *
 * Options: `--n8n=1,2` (default both), `--items=N` (default 300), `--rounds=N` (unprofiled rounds, default 3),
 * `--package=<folder>` (another working copy to pack and measure; printed only).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createKantataApi, DEFAULT_TOKEN } from '../sandbox/kantata';
import { splitProfile } from './n8n/cpuProfile';
import { CACHE, ensureN8n, n8nOk, prepareUserFolder } from '../scripts/n8nLocal';
import type { N8nInstall, N8nMajor } from '../scripts/n8nLocal';
import { packForBench } from './n8n/packWorkingCopy';
import { storedRunData } from './n8n/runData';
import { importCredentials, importWorkflows, QUIET } from './n8n/userFolder';
import { AMOUNT_EXPRESSION, BENCH_CREDENTIALS, CREATE, profileWorkflow } from './n8n/workflows';
import { writeResultsSection } from './resultsFile';
import { median } from './stats';

const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const ITEMS = Number(option('items') ?? 300);
const MAJORS = (option('n8n') ?? '1,2').split(',').map(Number) as N8nMajor[];

const ROUNDS = Number(option('rounds') ?? 3);

interface MajorProfile {
	n8n: N8nInstall;
	executionMs: number;
	load: number;
	split: ReturnType<typeof splitProfile>;
	/** Unprofiled medians of executionTime: Amount as the expression `{{ $json.amount }}`, and as a fixed text. */
	unprofiled: { expression: number; fixed: number; loads: number[]; legacyEngine?: number };
	/** How often n8n evaluated the Amount expression in one run, per item (bench/n8n/countExpressions.cjs). */
	evaluationsPerItem: number;
}

async function profileMajor(n8n: N8nInstall, tarballs: string[], api: ReturnType<typeof createKantataApi>): Promise<MajorProfile> {
	const userFolder = await prepareUserFolder(n8n, 'bench', tarballs);
	const url = api.server.url;
	await importCredentials(n8n, userFolder, [
		{ ...BENCH_CREDENTIALS.list, data: { accessToken: DEFAULT_TOKEN, baseUrl: url } },
		{ ...BENCH_CREDENTIALS.create, data: { accessToken: DEFAULT_TOKEN, baseUrl: url } },
	]);
	const setup = { listUrl: url, createUrl: url, token: DEFAULT_TOKEN, creates: ITEMS };
	await importWorkflows(n8n, userFolder, [profileWorkflow(setup, 'benchprofile'), profileWorkflow(setup, 'benchprofilefixed', '10.00')]);
	const unprofiled = await expressionCost(n8n, userFolder, api);
	const evaluationsPerItem = (await countEvaluations(n8n, userFolder, api))[AMOUNT_EXPRESSION] / ITEMS;
	const dir = path.join(CACHE, 'bench-profiles', `n8n-${n8n.major}`);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	api.state.clearPayments();
	const load = os.loadavg()[0];
	await n8nOk(n8n, userFolder, ['execute', '--id=benchprofile'], {
		nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200'],
		env: QUIET,
	});
	const task = storedRunData(n8n, userFolder, 'benchprofile')[CREATE.node]?.[0];
	if (!task || api.state.countPayments() !== ITEMS) throw new Error(`profile run: ${api.state.countPayments()} payments created, expected ${ITEMS}`);
	const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
	if (!file) throw new Error(`no CPU profile in ${dir}`);
	console.log(`n8n ${n8n.version}: profile in ${path.join(dir, file)}`);
	return { n8n, executionMs: task.executionTime, load, split: splitProfile(path.join(dir, file)), unprofiled, evaluationsPerItem };
}

/** The node's executionTime for one run of a profile workflow, without the profiler. */
async function createRun(
	n8n: N8nInstall,
	userFolder: string,
	api: ReturnType<typeof createKantataApi>,
	id: string,
	env: Record<string, string> = {},
) {
	api.state.clearPayments();
	await n8nOk(n8n, userFolder, ['execute', `--id=${id}`], { env: { ...QUIET, ...env } });
	const task = storedRunData(n8n, userFolder, id)[CREATE.node]?.[0];
	if (!task || api.state.countPayments() !== ITEMS) throw new Error(`${id}: ${api.state.countPayments()} payments created, expected ${ITEMS}`);
	return task.executionTime;
}

/** One run with the expression counter preloaded: how often n8n evaluated each expression text. */
async function countEvaluations(n8n: N8nInstall, userFolder: string, api: ReturnType<typeof createKantataApi>) {
	const file = path.join(CACHE, 'bench-profiles', `expression-counts-n8n-${n8n.major}.json`);
	rmSync(file, { force: true });
	api.state.clearPayments();
	await n8nOk(n8n, userFolder, ['execute', '--id=benchprofile'], {
		nodeArgs: ['--require', path.join(__dirname, 'n8n', 'countExpressions.cjs')],
		env: { ...QUIET, BENCH_EXPRESSION_COUNTS: file },
	});
	return JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
}

/** Rounds alternating Amount as an expression and as fixed text: the difference is what evaluating it costs. */
async function expressionCost(n8n: N8nInstall, userFolder: string, api: ReturnType<typeof createKantataApi>) {
	const expression: number[] = [];
	const fixed: number[] = [];
	// 2.x also has n8n's previous expression evaluator (N8N_EXPRESSION_ENGINE=legacy), measured for comparison.
	const legacy: number[] = [];
	const loads: number[] = [];
	for (let round = 0; round < ROUNDS; round++) {
		loads.push(os.loadavg()[0]);
		const ids = round % 2 ? ['benchprofilefixed', 'benchprofile'] : ['benchprofile', 'benchprofilefixed'];
		for (const id of ids) (id === 'benchprofile' ? expression : fixed).push(await createRun(n8n, userFolder, api, id));
		if (n8n.major === 2) legacy.push(await createRun(n8n, userFolder, api, 'benchprofile', { N8N_EXPRESSION_ENGINE: 'legacy' }));
	}
	return { expression: median(expression), fixed: median(fixed), loads, legacyEngine: legacy.length ? median(legacy) : undefined };
}

const perItem = (ms: number) => `${((ms * 1000) / ITEMS).toFixed(0)} µs`;

function report(profiles: MajorProfile[]): string {
	const columns = profiles.map((p) => `n8n ${p.n8n.version}`);
	const header = `| Per item (${ITEMS} creates, 5 ms an answer) | ${columns.join(' | ')} |\n| --- | ${columns.map(() => '---:').join(' | ')} |`;
	const line = (label: string, value: (p: MajorProfile) => number | undefined) =>
		`| ${label} | ${profiles.map((p) => perItem(value(p) ?? 0)).join(' | ')} |`;
	const text = (label: string, value: (p: MajorProfile) => string) => `| ${label} | ${profiles.map(value).join(' | ')} |`;
	const loads = (p: MajorProfile) => p.unprofiled.loads.map((load) => load.toFixed(1)).join(', ');
	const byLargest = (map: (p: MajorProfile) => Map<string, number>) =>
		[...new Set(profiles.flatMap((p) => [...map(p).keys()]))].sort(
			(a, b) => Math.max(...profiles.map((p) => map(p).get(b) ?? 0)) - Math.max(...profiles.map((p) => map(p).get(a) ?? 0)),
		);
	// Roles under 10 µs an item in every major are summed into one line.
	const small = (role: string) => profiles.every((p) => ((p.split.byRole.get(role) ?? 0) * 1000) / ITEMS < 10);
	const roles = byLargest((p) => p.split.byRole).filter((role) => !small(role));
	const rest = (p: MajorProfile) => [...p.split.byRole].filter(([role]) => small(role)).reduce((sum, [, ms]) => sum + ms, 0);
	return [
		header,
		text(`1-minute load at the unprofiled rounds`, loads),
		line(`executionTime, Amount \`{{ $json.amount }}\` (no profiler, median of ${ROUNDS})`, (p) => p.unprofiled.expression),
		line(`executionTime, Amount fixed \`10.00\` (no profiler, median of ${ROUNDS})`, (p) => p.unprofiled.fixed),
		line('→ what the one expression costs an item, as n8n evaluates it', (p) => p.unprofiled.expression - p.unprofiled.fixed),
		text('times n8n evaluates that expression for an item (counted)', (p) => p.evaluationsPerItem.toFixed(2)),
		line('→ one evaluation', (p) => (p.unprofiled.expression - p.unprofiled.fixed) / p.evaluationsPerItem),
		text(`executionTime, Amount as expression, N8N_EXPRESSION_ENGINE=legacy (median of ${ROUNDS})`, (p) =>
			p.unprofiled.legacyEngine === undefined ? '—' : perItem(p.unprofiled.legacyEngine),
		),
		text('1-minute load at the profiled run', (p) => p.load.toFixed(1)),
		line('executionTime under the profiler, Amount as expression', (p) => p.executionMs),
		line('sampled (RoutingNode.runNode to the last sample in this package)', (p) => p.split.windowMs),
		...roles.map((role) => line(`— ${role}`, (p) => p.split.byRole.get(role))),
		line('— everything else (each under 10 µs)', rest),
		...byLargest((p) => p.split.calledByPackage)
			.slice(0, 6)
			.map((entry) => line(`of which inside ${entry}, called from this package`, (p) => p.split.calledByPackage.get(entry))),
	].join('\n');
}

async function main() {
	const installs = MAJORS.map((major) => ensureN8n(major));
	const tarballs = packForBench(option('package'));
	const api = createKantataApi();
	api.server.latencyMs = 5;
	await api.server.start();
	const profiles: MajorProfile[] = [];
	try {
		for (const n8n of installs) profiles.push(await profileMajor(n8n, tarballs, api));
	} finally {
		await api.server.stop();
	}
	for (const p of profiles) {
		console.log(`\nn8n ${p.n8n.version}: top functions by self time, per item`);
		const top = [...p.split.byFunction].sort((a, b) => b[1] - a[1]).slice(0, 40);
		for (const [name, ms] of top) console.log(`  ${perItem(ms).padStart(8)}  ${name}`);
	}
	const table = report(profiles);
	console.log(`\n${table}`);
	const note = [
		'The unprofiled rows time the node by its `executionTime` with Amount as an expression and as fixed text, in alternating rounds: the difference is what n8n spends evaluating that one expression for an item (RoutingNode reads it twice an item on 1.x, four times on 2.x, see the profile).',
		'The profiled rows come from `node --cpu-prof` (200 µs) on the n8n process of one `n8n execute` run, samples classified by their whole stack (bench/n8n/cpuProfile.ts); the profiler slows expression evaluation most, so read them as shares, not as times without it.',
		'One run on a shared machine: differences of a few tens of µs are noise.',
	].join(' ');
	// Figures of another working copy (--package) are printed only: bench/results.md describes this one.
	if (!option('package')) writeResultsSection('bench:n8n-profile', `## Real n8n: where a create's time goes (\`npm run bench:n8n-profile\`)\n\n${note}\n\n${table}`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
