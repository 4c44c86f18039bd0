/**
 * The Moneybird benchmark cases: 3 (Create, 300 items, under a rate limit; 3b with RateLimit headers only on 429)
 * and 3c (the same creates naming invoices By Reference).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runNode } from '../test/harness/engine';
import { byId } from '../test/harness/resourceLocator';
import { DEFAULT_TOKEN as MONEYBIRD_TOKEN, MONEYBIRD_SEED } from '../sandbox/moneybird';
import type { Stats } from './apiProcess';
import { ask, record, sleep } from './measure';
import { seconds } from './stats';

/** Waits for the start of the rate-limit window, so both runs get whole windows. */
export async function windowStart(windowMs: number) {
	await sleep(windowMs - (Date.now() % windowMs) + 5);
}

/**
 * Case 3. With `headersOnSuccess`, answers inside the limit carry `RateLimit-Remaining`/`-Reset`, so the node
 * pauses before the window is used up; without (3b: Moneybird documents the headers only on its 429), it
 * learns the window from each 429.
 */
export async function moneybirdBatch(headersOnSuccess = true) {
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
	const { ms, stats, failed } = await timedCreates(
		setup.url,
		{
			invoice: byId('={{ $json.invoice }}'),
			paymentDate: '={{ $json.date }}',
			amount: '={{ $json.amount }}',
			additionalFields: { transactionIdentifier: '={{ $json.reference }}' },
			// Case 3 measures pacing against a loop of creates: Refuse Overpayment's one read per invoice is case 3d's.
			options: { refuseOverpayment: false },
		},
		rowsFor(setup.invoices),
	);
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
	recordNothingLost(label, failed, stats);
}

/**
 * Case 3c: the same creates naming each invoice By Reference. The node lists the administration's invoices once
 * per run (pages of 100) before the first create; those requests share the rate limit with the creates.
 */
export async function moneybirdByReference() {
	const count = 300;
	const limit = { requests: 15, windowMs: 3000, headersOnSuccess: true };
	const setup = await ask<{ url: string; references: string[]; invoiceCount: number }>({ type: 'moneybird', invoices: count, limit, latencyMs: 0 });
	await windowStart(limit.windowMs);
	const { ms, stats, failed } = await timedCreates(
		setup.url,
		{ invoice: { __rl: true, mode: 'reference', value: '={{ $json.reference }}' }, paymentDate: '2026-11-20', amount: '10.00' },
		setup.references.map((reference) => ({ reference })),
	);
	// The administration's invoices (all dated within the searched period) in pages of 100, then one create each.
	const lookups = Math.ceil(setup.invoiceCount / 100);
	const label = `3c. Moneybird Create By Reference, ${count} items among ${setup.invoiceCount} invoices, limit ${limit.requests} requests per ${limit.windowMs / 1000} s`;
	record({
		case: label,
		measure: 'requests: lookups + creates (429s included)',
		node: `${stats.moneybirdRequests} (${stats.moneybirdRateLimited} × 429)`,
		floor: `${lookups + count} (${lookups} + ${count})`,
		ratio: (stats.moneybirdRequests / (lookups + count)).toFixed(2),
		target: '= floor',
		met: stats.moneybirdRequests === lookups + count,
	});
	record({
		case: label,
		measure: 'wall time vs the minimum the limit allows',
		node: seconds(ms),
		floor: seconds((Math.ceil((lookups + count) / limit.requests) - 1) * limit.windowMs),
		ratio: (ms / ((Math.ceil((lookups + count) / limit.requests) - 1) * limit.windowMs)).toFixed(2),
		target: 'information',
		met: true,
	});
	recordNothingLost(label, failed, stats);
}

/** Moneybird Creates of `items` in the engine, timed, with what the API saw and how many items failed. */
export async function timedCreates(url: string, parameters: INodeParameters, items: IDataObject[]) {
	const started = performance.now();
	const run = await runNode({
		type: 'moneybird',
		parameters: {
			resource: 'externalSalesInvoicePayment',
			operation: 'create',
			administration: byId(MONEYBIRD_SEED.administrations.main),
			...parameters,
		},
		credentials: { moneybirdApi: { accessToken: MONEYBIRD_TOKEN, baseUrl: url } },
		items,
		continueOnFail: true,
	});
	const ms = performance.now() - started;
	const stats = await ask<Stats>({ type: 'stats' });
	const failed = run.items.filter((item) => item.error ?? item.json.error).length + (items.length - run.items.length);
	return { ms, stats, failed };
}

function recordNothingLost(label: string, failed: number, stats: Stats) {
	record({
		case: label,
		measure: 'items failed / payments recorded twice',
		node: `${failed} / ${stats.moneybirdDuplicates}`,
		floor: '0 / 0',
		ratio: '—',
		target: '0 / 0',
		met: failed === 0 && stats.moneybirdDuplicates === 0,
	});
}
