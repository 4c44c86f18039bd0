/**
 * Moneybird at the request floor in a real n8n (issue 19), the same for every major: 300 sheet rows over 30
 * external sales invoices named By Reference, Skip If Already Recorded on. The first run costs 300 creates and
 * one listing (the listing carries every invoice's payments, so no invoice is read again); the same rows run
 * again cost the listing alone. Counted on the sandbox's log of what it received.
 */
import type { N8nMajor } from '../../scripts/n8nLocal';
import type { RecordedRequest } from '../../sandbox/server';
import { realN8nFixture } from './realN8n';
import { outputOf } from './storedRuns';
import { ADM } from './scenarioHelpers';
import { byId, moneybird, rowsOf, workflow } from './workflowBuilders';

const INVOICES = 30;
const ROWS_PER_INVOICE = 10;
const NODE = 'Record 300 payments';
const reference = (invoice: number) => `FLOOR-${String(invoice).padStart(2, '0')}`;
const ROWS = Array.from({ length: INVOICES * ROWS_PER_INVOICE }, (_, row) => ({
	reference: reference(row % INVOICES),
	amount: '1.25',
	bank: `FLOOR-BANK-${String(row).padStart(3, '0')}`,
}));

const isCreate = (r: RecordedRequest) => r.method === 'POST' && r.path.endsWith('/payments.json');
const isListing = (r: RecordedRequest) => r.method === 'GET' && r.path === `/api/v2/${ADM}/external_sales_invoices.json`;

export function floorScenarios(major: N8nMajor): void {
	const { workflow: register, real } = realN8nFixture(major, 'floor');

	describe(`n8n ${major}.x: 300 rows over 30 invoices By Reference, Skip If Already Recorded on, at the request floor`, () => {
		// The same workflow twice (the suite reads one stored execution per workflow); the invoices are added once.
		const build = (id: string) =>
			workflow(id, [
				[
					...rowsOf('300 rows', ROWS),
					moneybird(NODE, {
						operation: 'create',
						administration: byId(ADM),
						invoice: { __rl: true, mode: 'reference', value: '={{ $json.reference }}' },
						paymentDate: '2025-03-01',
						amount: '={{ $json.amount }}',
						additionalFields: { transactionIdentifier: '={{ $json.bank }}' },
						options: { skipIfAlreadyRecorded: true },
					}),
				],
			]);
		const floor = register('floorFirst', (sandbox) => {
			for (let invoice = 0; invoice < INVOICES; invoice++) sandbox.moneybird.state.addInvoice({ amount: '100.00', reference: reference(invoice) });
			return build('floorFirst');
		});
		const floorAgain = register('floorAgain', () => build('floorAgain'));

		it('first run: 300 creates, 1 listing and 30 invoice reads after them; the same rows again: the listing alone, each payment found', async () => {
			const { moneybird: api } = real().sandbox;
			api.server.resetLog();
			const first = await real().execute(floor);
			expect(first.execution.status).toBe('success');
			const sent = api.server.requests;
			// After its creates the run reads each invoice it recorded on once, for a duplicate an overlapping run recorded.
			expect({ creates: sent.filter(isCreate).length, listings: sent.filter(isListing).length, all: sent.length }).toEqual({
				creates: 300,
				listings: 1,
				all: 331,
			});
			expect(outputOf(first.execution, NODE).map((item) => item.json.alreadyRecorded)).toEqual(ROWS.map(() => false));

			api.server.resetLog();
			const again = await real().execute(floorAgain);
			expect(again.execution.status).toBe('success');
			expect(api.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v2/${ADM}/external_sales_invoices.json`]);
			expect(outputOf(again.execution, NODE).map((item) => item.json.alreadyRecorded)).toEqual(ROWS.map(() => true));
			expect(api.state.findDuplicatePayments()).toEqual([]);
		});
	});
}
