/**
 * Cases 3d (300 rows) and 3e (1,000 rows): Moneybird Create at the request floor. Moneybird allows 150 requests
 * per 5 minutes, so a batch's time is its request count; these cases count requests, without a rate limit.
 * A safe run (Skip If Already Recorded on) of M rows over K invoices needs M creates and the invoices' payments:
 * K reads (By ID) or the P pages of the period's listing (By Reference), whichever is fewer; its re-run needs
 * only those reads. Without Skip, By Reference costs M + P (the listing carries each invoice's totals for Refuse
 * Overpayment) and By ID M + K (Refuse Overpayment's one read per invoice; M with it off).
 */
import type { INodeParameters } from 'n8n-workflow';

import { byId } from '../test/harness/resourceLocator';
import type { Stats } from './apiProcess';
import { ask, record } from './measure';
import { timedCreates } from './moneybirdCase';

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

	const first = await timedCreates(setup.url, parameters, rows);
	const floor = skip ? count + reads : count + (mode === 'id' ? invoiceCount : setup.listingPages);
	requestsRow(name, skip ? 'requests, first run' : 'requests', first.stats.moneybirdRequests, floor, skip ? `${count} + min(K, P) (${pages})` : `${count} + ${mode === 'id' ? 'K' : 'P'} (${pages})`, first.failed);
	if (!skip) return;
	const again = await timedCreates(setup.url, parameters, rows);
	const rerun = again.stats.moneybirdRequests - first.stats.moneybirdRequests;
	const created = again.stats.moneybirdPayments - first.stats.moneybirdPayments;
	requestsRow(name, 'requests, re-run (all recorded)', rerun, reads, `min(K, P) (${pages})`, again.failed + created, again.stats);
}

function requestsRow(name: string, measure: string, requests: number, floor: number, how: string, failed: number, stats?: Stats) {
	const duplicates = stats?.moneybirdDuplicates ?? 0;
	record({
		case: name,
		measure: `${measure}; items failed or recorded again`,
		node: `${requests}; ${failed + duplicates}`,
		floor: `${floor} = ${how}; 0`,
		ratio: (requests / floor).toFixed(2),
		target: '= floor; 0',
		met: requests === floor && failed + duplicates === 0,
	});
}

/** Case 3d (300 rows) or 3e (1,000 rows): By ID and By Reference, 1 and 10 rows per invoice, with and without Skip. */
export async function moneybirdFloor(label: string, count: number) {
	for (const perInvoice of [1, 10]) {
		for (const mode of ['id', 'reference'] as Mode[]) await floorCase(label, count, perInvoice, mode, true);
	}
	for (const mode of ['id', 'reference'] as Mode[]) await floorCase(label, count, 10, mode, false);
}
