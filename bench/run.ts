/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * `npm run bench`: the nodes against the fewest requests and the rate the APIs allow, measured side by side with
 * that floor in one run. The nodes run in n8n's engine in this process; the local APIs run in a child process
 * (bench/apiProcess.ts), so memory figures are the engine's and the node's alone. Prints a table and writes it to
 * bench/results.md.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import '../test/harness/setupEnv';

import { runNode } from '../test/harness/engine';
import { byId } from '../test/harness/resourceLocator';
import { DEFAULT_TOKEN as KANTATA_TOKEN } from '../sandbox/kantata';
import { DEFAULT_TOKEN as MONEYBIRD_TOKEN, MONEYBIRD_SEED } from '../sandbox/moneybird';
import type { Command, Stats } from './apiProcess';
import { writeResultsSection } from './resultsFile';

const api = fork(path.join(__dirname, 'apiProcess.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
async function ask<T>(command?: Command): Promise<T> {
	return await new Promise((resolve) => {
		api.once('message', (message) => resolve(message as T));
		if (command) api.send(command);
	});
}


/**
 * Wall-time cases run in rounds, the floor and the node alternating so both meet the same state of a shared
 * machine; one round's ratio swings by ±0.05 on 2 cores. The table gives medians and the range of the ratio.
 */
const ROUNDS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ratioOf = (ratios: number[]) =>
	`${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} in ${ratios.length} rounds)`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

interface Row {
	case: string;
	measure: string;
	node: string;
	floor: string;
	ratio: string;
	target: string;
	met: boolean;
}
const rows: Row[] = [];
function record(row: Omit<Row, 'met'> & { met: boolean }) {
	rows.push(row);
	console.log(`${row.met ? 'ok  ' : 'MISS'} ${row.case} — ${row.measure}: node ${row.node}, floor ${row.floor}, ratio ${row.ratio} (target ${row.target})`);
}

/** Peak RSS growth over a baseline while `work` runs, sampled every 5 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; growth: number; ms: number }> {
	(global as { gc?: () => void }).gc?.();
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 5);
	const started = performance.now();
	const result = await work();
	const ms = performance.now() - started;
	clearInterval(timer);
	peak = Math.max(peak, process.memoryUsage().rss);
	return { result, growth: peak - baseline, ms };
}

async function kantataNode(url: string, parameters: INodeParameters, items?: IDataObject[]) {
	return await runNode({
		type: 'kantataOx',
		parameters: { resource: 'externalPayment', ...parameters },
		credentials: { kantataOxApi: { accessToken: KANTATA_TOKEN, baseUrl: url } },
		items,
	});
}

const kantataHeaders = { Authorization: `Bearer ${KANTATA_TOKEN}`, Accept: 'application/json' };

/** The floor for Return All: a plain loop of fetch calls paging at 200, stopping at the stated page count. */
async function plainPaging(url: string): Promise<number> {
	let records = 0;
	for (let page = 1, pages = 1; page <= pages; page++) {
		const response = await fetch(`${url}/external_payments.json?page=${page}&per_page=200`, { headers: kantataHeaders });
		const body = (await response.json()) as { results: unknown[]; meta: { page_count: number } };
		records += body.results.length;
		pages = body.meta.page_count;
	}
	return records;
}

async function returnAll(count: number, rounds: number) {
	const floorRequests = Math.ceil(count / 200);
	const nodeMs: number[] = [];
	const loopMs: number[] = [];
	let requests = 0;
	let growth = 0;
	for (let round = 0; round < rounds; round++) {
		let { url } = await ask<{ url: string }>({ type: 'kantata', seed: count, latencyMs: 20 });
		const loopStart = performance.now();
		const loopRecords = await plainPaging(url);
		loopMs.push(performance.now() - loopStart);

		({ url } = await ask<{ url: string }>({ type: 'kantata', seed: count, latencyMs: 20 }));
		const run = await withPeakRss(async () => await kantataNode(url, { operation: 'getAll', returnAll: true }));
		const { result } = run;
		if (result.error || result.items.length !== count || loopRecords !== count) {
			throw new Error(`Return All ${count}: got ${result.items.length} items (${result.error?.message ?? 'no error'})`);
		}
		nodeMs.push(run.ms);
		growth = Math.max(growth, run.growth);
		requests = Math.max(requests, (await ask<Stats>({ type: 'stats' })).kantataRequests);
	}
	const ratios = nodeMs.map((ms, round) => ms / loopMs[round]);
	const label = `1. Kantata Get Many, Return All, ${count.toLocaleString('en')} payments (20 ms a page)`;
	record({
		case: label,
		measure: 'requests (most in a round)',
		node: String(requests),
		floor: String(floorRequests),
		ratio: (requests / floorRequests).toFixed(2),
		target: '= floor',
		met: requests === floorRequests,
	});
	record({
		case: label,
		measure: 'wall time vs plain fetch loop (medians)',
		node: seconds(median(nodeMs)),
		floor: seconds(median(loopMs)),
		ratio: ratioOf(ratios),
		target: '≤ 1.15',
		met: median(ratios) <= 1.15,
	});
	const perTenThousand = (growth / (count / 10_000)) / 2 ** 20;
	record({
		case: label,
		measure: 'peak RSS growth per 10,000 payments (most in a round)',
		node: `${perTenThousand.toFixed(1)} MB`,
		floor: '—',
		ratio: '—',
		target: '< 30 MB',
		met: perTenThousand < 30,
	});
}

async function limitFive() {
	const { url } = await ask<{ url: string }>({ type: 'kantata', seed: 10_000, latencyMs: 20 });
	const { items } = await kantataNode(url, { operation: 'getAll', returnAll: false, limit: 5 });
	const stats = await ask<Stats>({ type: 'stats' });
	const label = '2. Kantata Get Many, Limit 5';
	record({
		case: label,
		measure: 'requests',
		node: String(stats.kantataRequests),
		floor: '1',
		ratio: stats.kantataRequests.toFixed(2),
		target: '= floor',
		met: stats.kantataRequests === 1 && items.length === 5,
	});
	record({
		case: label,
		measure: 'records transferred',
		node: String(stats.kantataRecordsSent),
		floor: '5',
		ratio: (stats.kantataRecordsSent / 5).toFixed(2),
		target: '= floor',
		met: stats.kantataRecordsSent === 5,
	});
}

/** Waits for the start of the rate-limit window, so both runs get whole windows. */
async function windowStart(windowMs: number) {
	await sleep(windowMs - (Date.now() % windowMs) + 5);
}

/**
 * Case 3. With `headersOnSuccess`, answers inside the limit carry `RateLimit-Remaining`/`-Reset`, so the node
 * pauses before the window is used up; without (3b: Moneybird documents the headers only on its 429), it
 * learns the window from each 429.
 */
async function moneybirdBatch(headersOnSuccess = true) {
	const count = 300;
	const limit = { requests: 15, windowMs: 3000, headersOnSuccess };
	const administration = MONEYBIRD_SEED.administrations.main;
	const rowsFor = (invoices: string[]) =>
		invoices.map((invoice, i) => ({ invoice, date: '2026-11-20', amount: '10.00', reference: `BENCH-${i}` }));
	const payment = (row: { date: string; amount: string; reference: string }) =>
		JSON.stringify({ payment: { payment_date: row.date, price: row.amount, transaction_identifier: row.reference } });

	// The floor: a plain loop that knows the limit and sends each window's worth of requests at its start.
	let setup = await ask<{ url: string; invoices: string[] }>({ type: 'moneybird', invoices: count, limit, latencyMs: 0 });
	await windowStart(limit.windowMs);
	const loopStart = performance.now();
	for (const [i, row] of rowsFor(setup.invoices).entries()) {
		if (i > 0 && i % limit.requests === 0) await windowStart(limit.windowMs);
		const response = await fetch(`${setup.url}/${administration}/external_sales_invoices/${row.invoice}/payments.json`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${MONEYBIRD_TOKEN}`, 'Content-Type': 'application/json' },
			body: payment(row),
		});
		if (response.status !== 201) throw new Error(`floor loop got ${response.status}`);
	}
	const loopMs = performance.now() - loopStart;

	setup = await ask<{ url: string; invoices: string[] }>({ type: 'moneybird', invoices: count, limit, latencyMs: 0 });
	await windowStart(limit.windowMs);
	const started = performance.now();
	const run = await runNode({
		type: 'moneybird',
		parameters: {
			resource: 'externalSalesInvoicePayment',
			operation: 'create',
			administration: byId(administration),
			invoice: byId('={{ $json.invoice }}'),
			paymentDate: '={{ $json.date }}',
			amount: '={{ $json.amount }}',
			additionalFields: { transactionIdentifier: '={{ $json.reference }}' },
		},
		credentials: { moneybirdApi: { accessToken: MONEYBIRD_TOKEN, baseUrl: setup.url } },
		items: rowsFor(setup.invoices),
		continueOnFail: true,
	});
	const ms = performance.now() - started;
	const stats = await ask<Stats>({ type: 'stats' });
	const failed = run.items.filter((item) => item.error).length;
	const label = `3${headersOnSuccess ? '' : 'b'}. Moneybird Create, ${count} items, limit ${limit.requests} requests per ${limit.windowMs / 1000} s${headersOnSuccess ? '' : ', RateLimit headers only on 429'}`;
	record({
		case: label,
		measure: 'requests (429s included)',
		node: `${stats.moneybirdRequests} (${stats.moneybirdRateLimited} × 429)`,
		floor: String(count),
		ratio: (stats.moneybirdRequests / count).toFixed(2),
		target: headersOnSuccess ? '= floor' : 'information',
		met: !headersOnSuccess || stats.moneybirdRequests === count,
	});
	record({
		case: label,
		measure: 'wall time vs the minimum the limit allows',
		node: seconds(ms),
		floor: seconds(loopMs),
		ratio: (ms / loopMs).toFixed(2),
		target: headersOnSuccess ? '≤ 1.10' : 'information',
		met: !headersOnSuccess || ms / loopMs <= 1.1,
	});
	record({
		case: label,
		measure: 'items failed / payments recorded twice',
		node: `${failed} / ${stats.moneybirdDuplicates}`,
		floor: '0 / 0',
		ratio: '—',
		target: '0 / 0',
		met: failed === 0 && stats.moneybirdDuplicates === 0 && run.items.length === count,
	});
}

/** One create with node's http module and no agent: a new connection per request, as n8n's HTTP client opens. */
async function postWithoutKeepAlive(url: string, body: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const request = http.request(
			`${url}/external_payments.json`,
			{ method: 'POST', agent: false, headers: { ...kantataHeaders, 'Content-Type': 'application/json' } },
			(response) => {
				response.resume();
				response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`got ${response.statusCode}`))));
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

async function kantataCreates() {
	const count = 1000;
	const bodyOf = (i: number) => JSON.stringify({ external_payment: { workspace_id: '101', amount_in_cents: 1000 + i } });
	const items = Array.from({ length: count }, (_, i) => ({ amount: ((1000 + i) / 100).toFixed(2) }));
	const nodeMs: number[] = [];
	const loopMs: number[] = [];
	const freshMs: number[] = [];
	let connections = 0;
	let loopConnections = 0;
	for (let round = 0; round < ROUNDS; round++) {
		let { url } = await ask<{ url: string }>({ type: 'kantata', seed: 0, latencyMs: 5 });
		let started = performance.now();
		for (let i = 0; i < count; i++) {
			const response = await fetch(`${url}/external_payments.json`, {
				method: 'POST',
				headers: { ...kantataHeaders, 'Content-Type': 'application/json' },
				body: bodyOf(i),
			});
			if (response.status !== 200) throw new Error(`floor loop got ${response.status}`);
			await response.json();
		}
		loopMs.push(performance.now() - started);
		loopConnections = (await ask<Stats>({ type: 'stats' })).kantataConnections;

		({ url } = await ask<{ url: string }>({ type: 'kantata', seed: 0, latencyMs: 5 }));
		started = performance.now();
		const run = await kantataNode(url, { operation: 'create', project: byId('101'), recordFor: 'amount', amount: '={{ $json.amount }}' }, items);
		nodeMs.push(performance.now() - started);
		const stats = await ask<Stats>({ type: 'stats' });
		if (run.error || run.items.length !== count || stats.kantataPayments !== count) {
			throw new Error(`Kantata creates: ${run.error?.message ?? `${run.items.length} items, ${stats.kantataPayments} payments`}`);
		}
		connections = stats.kantataConnections;

		({ url } = await ask<{ url: string }>({ type: 'kantata', seed: 0, latencyMs: 5 }));
		started = performance.now();
		for (let i = 0; i < count; i++) await postWithoutKeepAlive(url, bodyOf(i));
		freshMs.push(performance.now() - started);
	}
	const ratios = nodeMs.map((ms, round) => ms / loopMs[round]);
	const label = `4. Kantata Create, ${count} items (5 ms an answer)`;
	const perSecond = (times: number[]) => `${Math.round(count / (median(times) / 1000))} items/s`;
	record({
		case: label,
		measure: 'throughput vs plain fetch loop (medians)',
		node: perSecond(nodeMs),
		floor: perSecond(loopMs),
		ratio: ratioOf(ratios),
		target: '≤ 1.15 (time)',
		met: median(ratios) <= 1.15,
	});
	record({
		case: label,
		measure: 'TCP connections opened',
		node: String(connections),
		floor: String(loopConnections),
		ratio: '—',
		target: 'information',
		met: true,
	});
	record({
		case: label,
		measure: 'throughput vs a loop opening a connection per request, as n8n does (medians)',
		node: perSecond(nodeMs),
		floor: perSecond(freshMs),
		ratio: ratioOf(nodeMs.map((ms, round) => ms / freshMs[round])),
		target: 'information',
		met: true,
	});
}

function table(): string {
	const header = '| Case | Measure | Node | Floor | Ratio | Target | Met |\n| --- | --- | --- | --- | --- | --- | --- |';
	const lines = rows.map((r) => `| ${r.case} | ${r.measure} | ${r.node} | ${r.floor} | ${r.ratio} | ${r.target} | ${r.met ? 'yes' : 'no'} |`);
	return [header, ...lines].join('\n');
}

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
	];
	for (const [name, run] of cases) if (!only.length || only.includes(name)) await run();

	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
	const markdown = `## n8n's engine in this process (\`npm run bench\`)\n\nMeasured on ${new Date().toISOString().slice(0, 10)} (${machine}).\n\n${table()}\n`;
	if (!only.length) writeResultsSection('bench', markdown);
	console.log(`\n${table()}\n${only.length ? '' : '\nWritten to bench/results.md'}`);
	api.kill();
	process.exit(rows.every((r) => r.met) ? 0 : 1);
}

main().catch((error: unknown) => {
	console.error(error);
	api.kill();
	process.exit(1);
});
