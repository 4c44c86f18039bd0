import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runExample } from './harness/examples';
import { ADM, INV, byId, kantataFixture } from './fixtures';
import { triggerFixture } from './moneybirdTrigger.fixture';
import { DEFAULT_TOKEN as KANTATA_TOKEN } from '../sandbox/kantata';
import { DEFAULT_TOKEN as MONEYBIRD_TOKEN } from '../sandbox/moneybird';

/*
 * The two-way example: payments registered in Moneybird, as the Moneybird Trigger delivers them (through the
 * sandbox's real signed deliveries), into moneybird-trigger-to-kantata.json; and the Kantata OX payment it records
 * back into kantata-trigger-to-moneybird.json, which must leave it alone.
 */
const kantata = kantataFixture();
const fx = triggerFixture();
const FILE = 'moneybird-trigger-to-kantata.json';
const CREATE = '/api/v1/external_payments.json';

/** Items of the trigger, from payments registered through the sandbox API. */
async function deliveredPayments() {
	const trigger = await fx.trigger({ events: ['payment_registered'], options: { attachInvoice: true } });
	await trigger.activate();
	const kx1001 = fx.api().state.addInvoice({ amount: '1250.00', reference: 'KX 101/1001' });
	const kx1007 = fx.api().state.addInvoice({ amount: '180.50', reference: 'KX-103/1007' });
	const partial = await fx.pay('250.00', kx1001);
	const completing = await fx.pay('1000.00', kx1001);
	const fromKantata = await fx.pay('180.50', kx1007, { transaction_identifier: 'kantata-payment-77' });
	const unrelated = await fx.pay('121.00', INV);
	const items = trigger.starts.map((start) => start.items[0].json);
	return { items, partial, completing, fromKantata, unrelated };
}

describe('moneybird-trigger-to-kantata.json', () => {
	it('marks the Kantata OX invoice paid for the payment that completes its Moneybird invoice, and nothing else', async () => {
		await completesOnlyTheWholeInvoice(FILE, { 'Payment registered in Moneybird': { administration: byId(ADM) } });
	});

	it('its sandbox copy (npm run dev) does the same as it is: credentials and administration chosen', async () => {
		await completesOnlyTheWholeInvoice(`sandbox/${FILE}`, {});
	});
});

/** Runs `file` on the trigger's items for four payments; only the one completing KX 101/1001 is mirrored. */
async function completesOnlyTheWholeInvoice(file: string, set: Record<string, INodeParameters>) {
	const { items, partial, completing, fromKantata, unrelated } = await deliveredPayments();
	expect(items.map((item) => (item.payment as IDataObject).id)).toEqual([partial.id, completing.id, fromKantata.id, unrelated.id]);

	const result = await runExample(file, {
		inputs: { 'Payment registered in Moneybird': items },
		set,
		credentials: { kantataOxApi: { accessToken: KANTATA_TOKEN, baseUrl: kantata.server.url } },
	});

	expect(result.error).toBeUndefined();
	const skipped = result.output('Paid in Moneybird, not from Kantata OX?', 1).map((item) => (item.json.payment as IDataObject).id);
	expect(skipped).toEqual([partial.id, fromKantata.id, unrelated.id]);
	const creates = kantata.server.requests.filter((r) => r.method === 'POST' && r.path === CREATE).map((r) => r.body);
	const message = `moneybird-payment-${String(completing.id)}: paid in Moneybird (KX 101/1001) on 2025-03-01`;
	expect(creates).toEqual([{ external_payment: { workspace_id: '101', invoice_id: '1001', message } }]);
	const [recorded] = result.output('Record in Kantata OX');
	expect(recorded.json).toMatchObject({ invoice_id: '1001', amount_in_cents: 125000, message });

	// The Kantata OX → Moneybird example sees that payment next: it must not mirror it back, even when its
	// message also names a Moneybird invoice.
	const named = { ...recorded.json, message: `MB ${INV} ${message}` };
	const back = await runExample('kantata-trigger-to-moneybird.json', {
		inputs: { 'New Kantata OX payment': [recorded.json, named] },
		set: { 'Record in Moneybird': { administration: byId(ADM) } },
		credentials: { moneybirdApi: { accessToken: MONEYBIRD_TOKEN, baseUrl: fx.api().server.url } },
	});
	expect(back.error).toBeUndefined();
	expect(back.ran('Record in Moneybird')).toBe(false);
	expect(back.output('Names a Moneybird invoice?', 1)).toHaveLength(2);
}
