import type { INodeParameters } from 'n8n-workflow';

import { searchPeriod } from '../nodes/Moneybird/invoiceByReference';
import { ADM, byId, createParameters, moneybirdFixture } from './fixtures';

/**
 * Create at the request floor (issue 19): a run reads each invoice at most once, and not at all when it listed
 * the invoices (a list answer carries each invoice's payments). Counted exactly: M rows over K invoices cost
 * M creates + P listing pages By Reference; By ID, M + min(K, P) when the period's listing shows them all. With
 * Skip If Already Recorded, a run that recorded reads each invoice it recorded on once more after its creates,
 * to find a duplicate an overlapping run recorded (overlappingRuns.test.ts): K more.
 */
const fx = moneybirdFixture();

const INVOICES = 4;
const ROWS_PER_INVOICE = 3;
const M = INVOICES * ROWS_PER_INVOICE;

const listPath = `/api/v2/${ADM}/external_sales_invoices.json`;
const invoiceRead = /^\/api\/v2\/\d+\/external_sales_invoices\/\d+\.json$/;
const listings = () => fx.api().server.requests.filter((r) => r.method === 'GET' && r.path === listPath);
const invoiceReads = () => fx.api().server.requests.filter((r) => r.method === 'GET' && invoiceRead.test(r.path));
const creates = () => fx.api().server.requests.filter((r) => r.method === 'POST');
const reads = () => fx.api().server.requests.filter((r) => r.method === 'GET');

/** K invoices of 1,000.00 with their references, and enough others that listing the period takes two pages. */
function seed(): Array<{ id: string; reference: string }> {
	const state = fx.api().state;
	const invoices = Array.from({ length: INVOICES }, (_, i) => {
		const reference = `FLOOR-${i}`;
		return { id: state.addInvoice({ amount: '1000.00', reference }), reference };
	});
	for (let n = 0; n < 150; n++) state.addInvoice({ amount: '10.00', reference: `OTHER-${n}` });
	return invoices;
}

/** The pages a listing of the searched period takes (100 a page), counted from the sandbox's invoices. */
function listingPages(): number {
	const { from, to } = searchPeriod(undefined);
	const listed = fx.api().state.invoices.filter((i) => i.administrationId === ADM && i.date >= from && i.date <= to);
	return Math.ceil(listed.length / 100);
}

/** ROWS_PER_INVOICE rows on each invoice: equal amounts and dates, told apart by their transaction identifiers. */
const rowsOf = (invoices: Array<{ id: string; reference: string }>) =>
	invoices.flatMap((invoice, i) =>
		Array.from({ length: ROWS_PER_INVOICE }, (_, r) => ({ ...invoice, date: '2026-11-20', amount: '10.00', transaction: `T-${i}-${r}` })),
	);

const create = (mode: 'id' | 'reference', options: INodeParameters): INodeParameters => ({
	...createParameters({
		invoice: mode === 'id' ? byId('={{ $json.id }}') : { __rl: true, mode: 'reference', value: '={{ $json.reference }}' },
		paymentDate: '={{ $json.date }}',
		amount: '={{ $json.amount }}',
		additionalFields: { transactionIdentifier: '={{ $json.transaction }}' },
	}),
	// The options as given: Refuse Overpayment at its default (on) unless named.
	options,
});

describe.each(['id', 'reference'] as const)('Skip If Already Recorded, invoices By %s', (mode) => {
	it('a first run costs M creates + min(K, listing pages) reads; a re-run the reads alone, finding every payment', async () => {
		const invoices = seed();
		const rows = rowsOf(invoices);
		// K = 4 invoices, P = 2 pages: both modes list (By ID, the listing is cheaper than 4 reads).
		const floorReads = Math.min(INVOICES, listingPages());
		expect(floorReads).toBe(2);

		const first = await fx.run(create(mode, { skipIfAlreadyRecorded: true }), { items: rows });

		expect(first.error).toBeUndefined();
		expect(creates()).toHaveLength(M);
		expect(listings()).toHaveLength(floorReads);
		expect(fx.api().server.requests).toHaveLength(M + floorReads + INVOICES);
		// Two rows that are two payments on one invoice stay two payments.
		expect(first.items.map((item) => item.json.alreadyRecorded)).toEqual(rows.map(() => false));
		for (const invoice of invoices) expect(fx.api().state.paymentsOf(invoice.id)).toHaveLength(ROWS_PER_INVOICE);

		fx.api().server.resetLog();
		const again = await fx.run(create(mode, { skipIfAlreadyRecorded: true }), { items: rows });

		expect(again.error).toBeUndefined();
		expect(creates()).toHaveLength(0);
		expect(fx.api().server.requests).toHaveLength(floorReads);
		expect(again.items.map((item) => item.json.alreadyRecorded)).toEqual(rows.map(() => true));
		expect(again.items.map((item) => item.json.id)).toEqual(first.items.map((item) => item.json.id));
		expect(fx.api().state.findDuplicatePayments()).toEqual([]);
	});

	it('a row repeated in the same run is found among the payments the run recorded, without another read', async () => {
		const invoices = seed();
		const rows = rowsOf(invoices);
		const result = await fx.run(create(mode, { skipIfAlreadyRecorded: true }), { items: [...rows, rows[0], rows[M - 1]] });

		expect(result.error).toBeUndefined();
		expect(result.items.slice(M).map((item) => item.json.id)).toEqual([result.items[0].json.id, result.items[M - 1].json.id]);
		expect(result.items.slice(M).map((item) => item.json.alreadyRecorded)).toEqual([true, true]);
		expect(creates()).toHaveLength(M);
		expect(fx.api().server.requests).toHaveLength(M + Math.min(INVOICES, listingPages()) + INVOICES);
	});
});

describe('Create without Skip If Already Recorded', () => {
	it('By Reference costs M creates + the listing pages, Refuse Overpayment included (the listing has the totals)', async () => {
		const rows = rowsOf(seed());
		const result = await fx.run(create('reference', {}), { items: rows });

		expect(result.error).toBeUndefined();
		expect(creates()).toHaveLength(M);
		expect(invoiceReads()).toHaveLength(0);
		expect(fx.api().server.requests).toHaveLength(M + listingPages());
	});

	it('By ID, Refuse Overpayment needs each invoice once: M + min(K, P); turned off, M', async () => {
		const rows = rowsOf(seed());
		await fx.run(create('id', {}), { items: rows });
		expect(creates()).toHaveLength(M);
		expect(reads()).toHaveLength(Math.min(INVOICES, listingPages()));

		fx.api().server.resetLog();
		const off = await fx.run(create('id', { refuseOverpayment: false }), { items: rows });
		expect(off.error).toBeUndefined();
		expect(fx.api().server.requests).toHaveLength(M);
	});
});

describe('with Retry On Fail', () => {
	it('the tries of one run share what it read and recorded: no invoice is read twice, nothing recorded twice', async () => {
		const rows = rowsOf(seed());
		let posts = 0;
		fx.api().server.injectFaults((r) => r.method === 'POST' && posts++ === 5, {
			kind: 'status',
			status: 422,
			body: { error: { price: ['is locked'] } },
		});
		const settings = { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 };

		const result = await fx.run(create('id', { skipIfAlreadyRecorded: true }), { items: rows, settings });

		expect(result.error).toBeUndefined();
		// Each try that recorded reads its invoices after its creates: the first try recorded on two, the second on three.
		expect(listings()).toHaveLength(Math.min(INVOICES, listingPages()));
		expect(invoiceReads()).toHaveLength(2 + 3);
		expect(creates()).toHaveLength(M + 1);
		expect(result.items.map((item) => item.json.alreadyRecorded)).toEqual(rows.map(() => false));
		expect(fx.api().state.findDuplicatePayments()).toEqual([]);
	});
});

describe('By ID: reads or the listing, whichever the run needs fewer of', () => {
	const rowsOn = (ids: string[]) => ids.map((id, i) => ({ id, date: '2026-11-20', amount: '10.00', transaction: `T-${i}` }));

	it('one invoice is read, never listed', async () => {
		const [invoice] = seed();
		const result = await fx.run(create('id', { skipIfAlreadyRecorded: true }), { items: rowsOn([invoice.id, invoice.id]) });

		expect(result.error).toBeUndefined();
		// Read before, and once after the creates.
		expect(reads().map((r) => r.path)).toEqual(Array(2).fill(`/api/v2/${ADM}/external_sales_invoices/${invoice.id}.json`));
		expect(creates()).toHaveLength(2);
	});

	it('the listing stops at the page that showed every invoice the run needs', async () => {
		const state = fx.api().state;
		for (let n = 0; n < 150; n++) state.addInvoice({ amount: '10.00', reference: `OTHER-${n}` });
		// Added after the others: the newest, on the first page (newest first).
		const ids = Array.from({ length: INVOICES }, (_, i) => state.addInvoice({ amount: '100.00', reference: `NEW-${i}` }));
		expect(listingPages()).toBe(2);
		const result = await fx.run(create('id', { skipIfAlreadyRecorded: true }), { items: rowsOn(ids) });

		expect(result.error).toBeUndefined();
		expect(listings().map((r) => r.query.page)).toEqual(['1']);
		expect(invoiceReads()).toHaveLength(INVOICES);
		expect(invoiceReads().every((read) => read.receivedAt >= creates()[INVOICES - 1].receivedAt)).toBe(true);
		expect(creates()).toHaveLength(INVOICES);
	});

	it('an invoice the listing does not show (dated before the period) is read; it is listed at most K - 1 pages', async () => {
		const state = fx.api().state;
		for (let n = 0; n < 150; n++) state.addInvoice({ amount: '10.00', reference: `OTHER-${n}` });
		const old = state.addInvoice({ amount: '100.00', date: '2020-01-10', reference: 'OLD-1' });
		const recent = state.addInvoice({ amount: '100.00', reference: 'NEW-1' });

		const result = await fx.run(create('id', { skipIfAlreadyRecorded: true }), { items: rowsOn([old, recent]) });

		expect(result.error).toBeUndefined();
		expect(listings()).toHaveLength(1);
		expect(invoiceReads().map((r) => r.path)).toEqual([old, old, recent].map((id) => `/api/v2/${ADM}/external_sales_invoices/${id}.json`));
		expect(fx.api().server.requests).toHaveLength(2 + 2 + 2);
	});

	it('a listing that fails is not asked again: the invoices are read one by one', async () => {
		const ids = seed().map((invoice) => invoice.id);
		fx.api().server.injectFaults((r) => r.path === listPath, { kind: 'status', status: 404, body: { error: 'gone' } });

		const result = await fx.run(create('id', { skipIfAlreadyRecorded: true }), { items: rowsOn(ids) });

		expect(result.error).toBeUndefined();
		expect(listings()).toHaveLength(1);
		expect(invoiceReads()).toHaveLength(INVOICES + INVOICES);
	});
});

describe('issue 19, as measured: 300 sheet rows over 30 invoices By Reference, Skip If Already Recorded on', () => {
	it('the first run costs 300 creates + 1 listing + 30 reads after them (was 601 requests); the re-run 1 listing (was 301)', async () => {
		const state = fx.api().state;
		const invoices = Array.from({ length: 30 }, (_, i) => ({ reference: `SHEET-${i}`, id: '' }));
		for (const invoice of invoices) invoice.id = state.addInvoice({ amount: '1000.00', reference: invoice.reference });
		expect(listingPages()).toBe(1);
		const rows = invoices.flatMap((invoice, i) =>
			Array.from({ length: 10 }, (_, r) => ({ ...invoice, date: '2026-11-20', amount: '10.00', transaction: `S-${i}-${r}` })),
		);

		const first = await fx.run(create('reference', { skipIfAlreadyRecorded: true }), { items: rows });
		expect(first.error).toBeUndefined();
		expect({ creates: creates().length, listings: listings().length, reads: invoiceReads().length }).toEqual({ creates: 300, listings: 1, reads: 30 });

		fx.api().server.resetLog();
		const again = await fx.run(create('reference', { skipIfAlreadyRecorded: true }), { items: rows });
		expect(again.items.filter((item) => item.json.alreadyRecorded === true)).toHaveLength(300);
		expect({ creates: creates().length, reads: reads().length }).toEqual({ creates: 0, reads: 1 });
	});
});
