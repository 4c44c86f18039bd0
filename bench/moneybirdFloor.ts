/**
 * Cases 3d (300 rows) and 3e (1,000 rows): Moneybird Create at the request floor. Moneybird allows 150 requests
 * per 5 minutes, so a batch's time is its request count; these cases count requests, without a rate limit.
 * A safe run (Skip If Already Recorded on) of M rows over K invoices needs M creates and the invoices' payments:
 * K reads or the P pages of the period's listing, whichever is fewer; its re-run needs only those reads.
 * By Reference always lists all P pages (a reference must be matched against every invoice); By ID may stop
 * the listing at the page that showed every invoice it needs, so it can come in under min(K, P). Without Skip,
 * Refuse Overpayment (on by default) needs the same: By Reference M + P, By ID M + min(K, P).
 */
import type { INodeParameters } from 'n8n-workflow';

import { byId } from '../test/harness/resourceLocator';
import type { Stats } from './apiProcess';
import { ask, record } from './measure';
import { timedCreates, windowStart } from './moneybirdCase';
import { seconds } from './stats';

interface Setup {
	url: string;
	invoices: string[];
	references: string[];
	listingPages: number;
}

type Mode = 'id' | 'reference';

const invoiceParameter = (mode: Mode) =>
	mode === 'id' ? byId('={{ $json.invoice }}') : { __rl: true, mode: 'reference', value: '={{ $json.reference }}' };

/** One batch: `count` rows, `perInvoice` on each invoice, named By ID or By Reference; a first run and a re-run. */
async function floorCase(label: string, count: number, perInvoice: number, mode: Mode, skip: boolean) {
	const invoiceCount = count / perInvoice;
	const setup = await ask<Setup>({ type: 'moneybird', invoices: invoiceCount, latencyMs: 0 });
	const rows = setup.invoices.flatMap((invoice, i) =>
		Array.from({ length: perInvoice }, (_, r) => ({
			invoice,
			reference: setup.references[i],
			date: '2026-11-20',
			amount: '10.00',
			transaction: `FLOOR-${i}-${r}`,
		})),
	);
	const parameters: INodeParameters = {
		invoice: invoiceParameter(mode),
		paymentDate: '={{ $json.date }}',
		amount: '={{ $json.amount }}',
		additionalFields: { transactionIdentifier: '={{ $json.transaction }}' },
		options: skip ? { skipIfAlreadyRecorded: true } : {},
	};
	const reads = Math.min(invoiceCount, setup.listingPages);
	const name = `${label}. Moneybird Create, ${count} rows, ${perInvoice} per invoice (K = ${invoiceCount}), By ${mode === 'id' ? 'ID' : 'Reference'}${skip ? ', Skip If Already Recorded' : ''}`;
	const pages = `P = ${setup.listingPages} listing pages`;

	const how = mode === 'id' ? `min(K, P) (${pages})` : `P (${pages})`;
	const listingReads = mode === 'id' ? reads : setup.listingPages;
	const first = await timedCreates(setup.url, parameters, rows);
	// With Skip, a run that recorded reads each invoice it recorded on once more, after its creates (overlapping runs).
	const looks = skip ? invoiceCount : 0;
	const firstFloor = `${count} + ${how}${skip ? ' + K' : ''}`;
	requestsRow(name, mode, skip ? 'requests, first run' : 'requests', first.stats.moneybirdRequests, count + listingReads + looks, firstFloor, first.failed, first.stats);
	if (!skip) return;
	const again = await timedCreates(setup.url, parameters, rows);
	const rerun = again.stats.moneybirdRequests - first.stats.moneybirdRequests;
	const created = again.stats.moneybirdPayments - first.stats.moneybirdPayments;
	requestsRow(name, mode, 'requests, re-run (all recorded)', rerun, listingReads, how, again.failed + created, again.stats);
}

function requestsRow(name: string, mode: Mode, measure: string, requests: number, floor: number, how: string, failed: number, stats: Stats) {
	const wrong = failed + stats.moneybirdDuplicates;
	record({
		case: name,
		measure: `${measure}; items failed or recorded again`,
		node: `${requests}; ${wrong}`,
		floor: `${floor} = ${how}; 0`,
		ratio: (requests / floor).toFixed(2),
		target: `${mode === 'id' ? '≤' : '='} floor; 0`,
		met: (mode === 'id' ? requests <= floor : requests === floor) && wrong === 0,
	});
}

/** Case 3d (300 rows) or 3e (1,000 rows): By ID and By Reference, 1 and 10 rows per invoice, with and without Skip. */
export async function moneybirdFloor(label: string, count: number) {
	for (const perInvoice of [1, 10]) {
		for (const mode of ['id', 'reference'] as Mode[]) await floorCase(label, count, perInvoice, mode, true);
	}
	for (const mode of ['id', 'reference'] as Mode[]) await floorCase(label, count, 10, mode, false);
}

/**
 * Case 3f: the time a safe batch takes under the rate limit scaled to 15 requests per 3 s (Moneybird's 150 per
 * 5 minutes, 100 times faster): 300 rows, 10 per invoice, Skip If Already Recorded, first run. The floor is the
 * time its floor of requests needs at that rate, sent at the start of each window.
 */
export async function moneybirdFloorPaced() {
	const limit = { requests: 15, windowMs: 3000, headersOnSuccess: true };
	for (const mode of ['id', 'reference'] as Mode[]) {
		const setup = await ask<Setup>({ type: 'moneybird', invoices: 30, limit, latencyMs: 0 });
		const rows = setup.invoices.flatMap((invoice, i) =>
			Array.from({ length: 10 }, (_, r) => ({ invoice, reference: setup.references[i], date: '2026-11-20', amount: '10.00', transaction: `PACED-${i}-${r}` })),
		);
		const parameters: INodeParameters = {
			invoice: invoiceParameter(mode),
			paymentDate: '={{ $json.date }}',
			amount: '={{ $json.amount }}',
			additionalFields: { transactionIdentifier: '={{ $json.transaction }}' },
			options: { skipIfAlreadyRecorded: true },
		};
		// The listing or reads before, and the 30 invoices read once after the creates (overlapping runs).
		const floorRequests = 300 + (mode === 'id' ? Math.min(30, setup.listingPages) : setup.listingPages) + 30;
		const floorMs = (Math.ceil(floorRequests / limit.requests) - 1) * limit.windowMs;
		await windowStart(limit.windowMs);
		const { ms, stats, failed } = await timedCreates(setup.url, parameters, rows);
		record({
			case: `3f. Moneybird Create, 300 rows, 10 per invoice, By ${mode === 'id' ? 'ID' : 'Reference'}, Skip If Already Recorded, limit 15 requests per 3 s`,
			measure: 'wall time vs the time the floor of requests needs (requests, 429s; items failed)',
			node: `${seconds(ms)} (${stats.moneybirdRequests}, ${stats.moneybirdRateLimited} × 429; ${failed})`,
			floor: `${seconds(floorMs)} (${floorRequests}; 0)`,
			ratio: (ms / floorMs).toFixed(2),
			target: 'information',
			met: failed === 0 && stats.moneybirdDuplicates === 0,
		});
	}
}
