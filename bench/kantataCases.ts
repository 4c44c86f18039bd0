/** The Kantata OX benchmark cases: 1 (Get Many, Return All), 2 (Get Many, Limit 5) and 4 (Create, 1,000 items). */
import http from 'node:http';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runNode } from '../test/harness/engine';
import { byId } from '../test/harness/resourceLocator';
import { DEFAULT_TOKEN as KANTATA_TOKEN } from '../sandbox/kantata';
import type { Stats } from './apiProcess';
import { ask, record, ROUNDS, withPeakRss } from './measure';
import { median, ratioOf, seconds } from './stats';

export async function kantataNode(url: string, parameters: INodeParameters, items?: IDataObject[]) {
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

export async function returnAll(count: number, rounds: number) {
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

export async function limitFive() {
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

export async function kantataCreates() {
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
