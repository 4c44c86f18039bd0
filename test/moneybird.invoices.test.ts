import { ADM, SEED, byId, errorText, moneybirdFixture, paymentsPath } from './fixtures';

const fx = moneybirdFixture();

const invoicesPath = `/api/v2/${ADM}/external_sales_invoices.json`;
const listRequests = () => fx.api().server.requests.filter((request) => request.path === invoicesPath);
const thisYear = new Date().getUTCFullYear();

describe('External Sales Invoice: Get', () => {
	it('outputs the invoice with its payments, IDs and amounts as Moneybird sends them', async () => {
		const result = await fx.run({ resource: 'externalSalesInvoice', operation: 'get', administration: byId(ADM), invoice: byId(SEED.invoices.partial) });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([{ json: fx.api().state.getInvoice(SEED.invoices.partial), pairedItem: { item: 0 } }]);
		expect(result.items[0].json).toMatchObject({ id: SEED.invoices.partial, reference: 'WS-1005', total_unpaid: '60.0' });
		expect((result.items[0].json.payments as unknown[]).length).toBe(1);
	});
});

describe('External Sales Invoice: Get Many', () => {
	it('always sends an explicit period: by default from 1 January of last year to the end of this year', async () => {
		const result = await fx.run({ resource: 'externalSalesInvoice', operation: 'getAll', administration: byId(ADM), returnAll: true });
		expect(result.error).toBeUndefined();
		expect(listRequests()[0].query.filter).toBe(`period:${thisYear - 1}0101..${thisYear}1231`);
		const references = result.items.map((item) => item.json.reference);
		expect(references).toContain('WS-0999');
		expect(references).not.toContain('KB-0001');
		expect(result.items.every((item, index) => item.pairedItem && (item.pairedItem as { item: number }).item === 0 && index >= 0)).toBe(true);
	});

	it('filters by named period, state and contact, and by exact reference on the node side', async () => {
		const run = async (extra: Record<string, unknown>) =>
			await fx.run({ resource: 'externalSalesInvoice', operation: 'getAll', administration: byId(ADM), returnAll: true, ...extra });

		const open = await run({ period: 'this_year', filters: { state: ['open', 'late'], contactId: SEED.contacts.jansen } });
		expect(listRequests()[0].query.filter).toBe(`period:this_year,state:open|late,contact_id:${SEED.contacts.jansen}`);
		expect(open.items.map((item) => item.json.reference)).toEqual(['WS-1002']);

		const byReference = await run({ filters: { reference: ' WS-1003 ' } });
		expect(byReference.items.map((item) => item.json.id)).toEqual([SEED.invoices.late]);

		const bad = await run({ filters: { contactId: '12ab' } });
		expect(bad.error?.message).toBe('Invalid Contact ID in row 1 (item 0): "12ab" is not an ID: IDs are whole numbers written with digits only');
	});

	it('Return All follows the Link header over pages of 100; a limit stops paging once reached', async () => {
		for (let n = 0; n < 230; n++) fx.api().state.addInvoice({ amount: '10.00', reference: `BULK-${n}` });
		const all = await fx.run({ resource: 'externalSalesInvoice', operation: 'getAll', administration: byId(ADM), returnAll: true });
		expect(all.error).toBeUndefined();
		expect(all.items.filter((item) => String(item.json.reference).startsWith('BULK-'))).toHaveLength(230);
		expect(listRequests().map((request) => [request.query.page, request.query.per_page])).toEqual([
			['1', '100'],
			['2', '100'],
			['3', '100'],
		]);

		fx.api().server.requests.length = 0;
		const limited = await fx.run({ resource: 'externalSalesInvoice', operation: 'getAll', administration: byId(ADM), limit: 120 });
		expect(limited.items).toHaveLength(120);
		expect(listRequests()).toHaveLength(2);
	});
});

describe('External Sales Invoice Payment: Get Many', () => {
	it('outputs each payment of the invoice as one item, up to the limit', async () => {
		const result = await fx.run({ operation: 'getAll', administration: byId(ADM), invoice: byId(SEED.invoices.partial), returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual([SEED.payments.partial]);
		expect(result.items[0].json).toMatchObject({ invoice_id: SEED.invoices.partial, price: '40.0' });
	});
});

describe('External Sales Invoice by reference', () => {
	const byReference = (value: string) => ({ __rl: true, mode: 'reference', value });
	const rows = (...references: string[]) => references.map((ref, index) => ({ ref, amount: `${index + 1}.00` }));
	const createByReference = (extra: Record<string, unknown> = {}) => ({
		operation: 'create',
		administration: byId(ADM),
		invoice: byReference('={{ $json.ref }}'),
		paymentDate: '2025-03-01',
		amount: '={{ $json.amount }}',
		...extra,
	});

	it('finds each row’s invoice, listing the administration’s invoices once per run', async () => {
		const result = await fx.run(createByReference(), { items: rows('WS-1001', ' WS-1002 ', 'WS-0999') });
		expect(result.error).toBeUndefined();
		expect(listRequests()).toHaveLength(1);
		expect(listRequests()[0].query).toMatchObject({ filter: `period:${thisYear - 1}0101..${thisYear + 1}1231`, per_page: '100' });
		expect(fx.paymentRequests().map((request) => request.path)).toEqual([
			paymentsPath(SEED.invoices.open121),
			paymentsPath(SEED.invoices.open60),
			paymentsPath(SEED.invoices.lastYear),
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('a reference found nowhere refuses the run before anything is sent, naming it', async () => {
		const result = await fx.run(createByReference(), { items: rows('WS-1001', 'WS-1002', 'EXT-404') });
		expect(result.error?.message).toMatch(/^Invalid External Sales Invoice in row 3 \(item 2\): no external sales invoice dated .* has the reference "EXT-404"/);
		expect(errorText(result.error)).toContain('Nothing was sent for row 3 (item 2)');
		expect(fx.paymentRequests()).toHaveLength(0);
	});

	it('no item is sent while another item’s lookup may still refuse it (administrations looked up at different speeds)', async () => {
		const second = SEED.administrations.second;
		fx.api().server.injectFaults((request) => request.path === `/api/v2/${second}/external_sales_invoices.json`, { kind: 'delay', ms: 300 });
		const result = await fx.run(
			{ ...createByReference(), administration: { __rl: true, mode: 'id', value: '={{ $json.adm }}' } },
			{ items: [{ adm: ADM, ref: 'WS-1001', amount: '1.00' }, { adm: second, ref: 'NOPE', amount: '2.00' }] },
		);
		expect(result.error?.message).toMatch(/^Invalid External Sales Invoice in row 2 \(item 1\): no external sales invoice .* has the reference "NOPE"/);
		expect(fx.paymentRequests()).toHaveLength(0);
	});

	it('a reference two invoices share refuses that item, naming the candidates; with Continue On Fail the others go', async () => {
		const twin = fx.api().state.addInvoice({ amount: '5.00', reference: 'WS-1002' });
		const result = await fx.run(createByReference(), { items: rows('WS-1001', 'WS-1002', 'WS-1003'), continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const refused = String(result.items[1].json.error);
		expect(refused).toContain('2 external sales invoices');
		expect(refused).toContain(SEED.invoices.open60);
		expect(refused).toContain(twin);
		expect(fx.paymentRequests().map((request) => request.path)).toEqual([paymentsPath(SEED.invoices.open121), paymentsPath(SEED.invoices.late)]);
	});

	it('an older invoice is found with Reference Search From; a bad date there is refused by name', async () => {
		const old = fx.api().state.addInvoice({ amount: '7.00', reference: 'OLD-1', date: `${thisYear - 3}-06-30` });
		const missed = await fx.run(createByReference(), { items: rows('OLD-1') });
		expect(missed.error?.message).toContain('has the reference "OLD-1"');

		const found = await fx.run(createByReference({ options: { referenceSearchFrom: `${thisYear - 3}-01-01` } }), { items: rows('OLD-1') });
		expect(found.error).toBeUndefined();
		expect(fx.paymentRequests().map((request) => request.path)).toEqual([paymentsPath(old)]);

		const bad = await fx.run(createByReference({ options: { referenceSearchFrom: '2024-13-01' } }), { items: rows('OLD-1') });
		expect(bad.error?.message).toBe('Invalid Reference Search From in row 1 (item 0): "2024-13-01" is not a real calendar date');
	});

	it('Delete and Get find their invoice by reference too', async () => {
		const got = await fx.run({ resource: 'externalSalesInvoice', operation: 'get', administration: byId(ADM), invoice: byReference('WS-1005') });
		expect(got.items[0].json.id).toBe(SEED.invoices.partial);
		const deleted = await fx.run({ operation: 'delete', administration: byId(ADM), invoice: byReference('WS-1005'), paymentId: SEED.payments.partial });
		expect(deleted.error).toBeUndefined();
		expect(fx.api().state.paymentsOf(SEED.invoices.partial)).toHaveLength(0);
	});
});
