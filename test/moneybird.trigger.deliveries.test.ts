import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEDUPE_MAX_KEYS, DEDUPE_WINDOW_SECONDS, alreadyHandled, withHandled } from '../nodes/MoneybirdTrigger/deliveries';
import { ADM, INV, SEED } from './fixtures';
import { deliveryFor, triggerFixture } from './moneybirdTrigger.fixture';
import { requestsTo } from '../sandbox/server';
import { DEFAULT_TOKEN, signDelivery } from '../sandbox/moneybird';

const fx = triggerFixture();
const now = () => Math.floor(Date.now() / 1000);

/** An active trigger on `events`; its webhook as registered in the sandbox. */
async function active(events: string[], options: INodeParameters = {}) {
	const trigger = await fx.trigger({ events, options });
	await trigger.activate();
	const webhook = fx.api().state.webhooks.webhooks[0];
	return { trigger, webhook };
}

const itemsOf = (trigger: { starts: Array<{ items: Array<{ json: IDataObject }> }> }) => trigger.starts.map((start) => start.items.map((item) => item.json));

describe('Moneybird Trigger: each event, one item', () => {
	it('Payment Registered: the event, the payment as Moneybird sends it (IDs as text) and its invoice ID, answered 200', async () => {
		const { trigger, webhook } = await active(['payment_registered']);
		const payment = await fx.pay('21.5', INV, { transaction_identifier: 'BANK-7' });

		expect(itemsOf(trigger)).toEqual([
			[
				{
					event: 'payment_registered',
					administrationId: ADM,
					invoiceId: INV,
					invoiceType: 'ExternalSalesInvoice',
					payment: expect.objectContaining({ id: payment.id, invoice_id: INV, price: '21.5', transaction_identifier: 'BANK-7' }),
					deliveryId: fx.api().state.webhooks.pushes[0].idempotencyKey,
				},
			],
		]);
		expect(fx.api().state.webhooks.pushes.map((push) => push.attempts)).toEqual([[200]]);
		const text = JSON.stringify(trigger.starts);
		for (const secret of [webhook.secret, webhook.token, DEFAULT_TOKEN]) expect(text).not.toContain(secret);
	});

	it('Payment Deleted', async () => {
		const { trigger } = await active(['payment_destroyed']);
		await fx.unpay(SEED.payments.partial, SEED.invoices.partial);

		expect(itemsOf(trigger)).toEqual([
			[expect.objectContaining({ event: 'payment_destroyed', invoiceId: SEED.invoices.partial, payment: expect.objectContaining({ id: SEED.payments.partial }) })],
		]);
	});

	it('External Invoice Paid, and open again when its payment is deleted; not for events not chosen', async () => {
		const { trigger } = await active(['external_sales_invoice_state_changed_to_paid', 'external_sales_invoice_state_changed_to_open']);
		await fx.pay('100.00');
		const payment = await fx.pay('21.00');
		await fx.unpay(String(payment.id));

		expect(itemsOf(trigger).map(([item]) => [item.event, item.invoiceId, item.state, (item.invoice as IDataObject).state])).toEqual([
			['external_sales_invoice_state_changed_to_paid', INV, 'paid', 'paid'],
			['external_sales_invoice_state_changed_to_open', INV, 'open', 'open'],
		]);
	});

	it('with Attach Current Invoice, reads the invoice once and outputs it as it is now', async () => {
		const { trigger } = await active(['payment_registered'], { attachInvoice: true });
		fx.api().server.resetLog();
		await fx.pay('21.00');

		const reads = fx.api().server.requests.filter(requestsTo('GET', `/api/v2/${ADM}/external_sales_invoices/${INV}.json`));
		expect(reads).toHaveLength(1);
		expect(itemsOf(trigger)[0][0].invoice).toMatchObject({ id: INV, total_paid: '21.0', total_unpaid: '100.0' });
	});

	it('a delivery that fails (the invoice read answered 503) is answered 500 and started once by the retry', async () => {
		const { trigger } = await active(['payment_registered'], { attachInvoice: true });
		fx.api().server.injectFaults(requestsTo('GET', `/api/v2/${ADM}/external_sales_invoices/${INV}.json`), { kind: 'status', status: 503, body: { error: 'down' } });
		await fx.pay('21.00');

		expect(fx.api().state.webhooks.pushes.map((push) => push.attempts)).toEqual([[500, 200]]);
		expect(trigger.starts).toHaveLength(1);
		expect(trigger.errors.map((error) => error.message)).toEqual(['Moneybird answered 503: down']);
	});

	it('payments on other invoice types start nothing unless Include Other Invoice Types is on', async () => {
		const { trigger, webhook } = await active(['payment_registered']);
		const onSalesInvoice = deliveryFor(webhook, {}, { invoice_type: 'SalesInvoice' });
		const answer = await fx.post(trigger.productionUrl(), onSalesInvoice, { secret: webhook.secret, key: 'k-1' });
		expect(answer).toEqual({ status: 200, body: { message: 'Not an external sales invoice (SalesInvoice)' } });
		expect(trigger.starts).toEqual([]);

		trigger.production.node.parameters.options = { otherInvoiceTypes: true };
		await fx.post(trigger.productionUrl(), onSalesInvoice, { secret: webhook.secret, key: 'k-1' });
		expect(itemsOf(trigger)).toEqual([[expect.objectContaining({ invoiceType: 'SalesInvoice' })]]);
	});
});

describe('Moneybird Trigger: redeliveries start the workflow once', () => {
	it('a push delivered again with its Idempotency-Key is answered 200 and starts nothing', async () => {
		const { trigger } = await active(['payment_registered']);
		await fx.pay('21.00');
		const [push] = fx.api().state.webhooks.pushes;

		expect(await fx.api().state.webhooks.redeliver(push)).toBe(200);
		expect(await fx.api().state.webhooks.redeliver(push)).toBe(200);

		expect(trigger.starts).toHaveLength(1);
		expect(trigger.answers.slice(-1)[0].body).toEqual({ message: 'Already received: this delivery started the workflow before' });
		expect(Object.keys(trigger.staticData().deliveries as IDataObject)).toEqual([push.idempotencyKey]);
	});

	it('a retry arriving while the first delivery is still being handled starts nothing', async () => {
		const { trigger, webhook } = await active(['payment_registered'], { attachInvoice: true });
		fx.api().server.injectFaults(requestsTo('GET', `/api/v2/${ADM}/external_sales_invoices/${INV}.json`), { kind: 'delay', ms: 300 });
		const send = async () => await fx.post(trigger.productionUrl(), deliveryFor(webhook), { secret: webhook.secret, key: 'same-push' });

		const answers = await Promise.all([send(), send()]);

		expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
		expect(trigger.starts).toHaveLength(1);
	});

	it('keeps keys for a bounded time and number', () => {
		const start = 1_800_000_000;
		let seen = withHandled(undefined, 'first', start);
		expect(alreadyHandled(seen, 'first', start + DEDUPE_WINDOW_SECONDS - 1)).toBe(true);
		expect(alreadyHandled(seen, 'first', start + DEDUPE_WINDOW_SECONDS)).toBe(false);
		for (let i = 1; i <= DEDUPE_MAX_KEYS; i++) seen = withHandled(seen, `key-${i}`, start + i);
		expect(Object.keys(seen)).toHaveLength(DEDUPE_MAX_KEYS);
		expect(alreadyHandled(seen, 'first', start + DEDUPE_MAX_KEYS)).toBe(false);
		expect(alreadyHandled(seen, `key-${DEDUPE_MAX_KEYS}`, start + DEDUPE_MAX_KEYS)).toBe(true);
	});
});

describe('Moneybird Trigger: a delivery is verified before anything runs', () => {
	it.each([
		['a wrong signature', (w: { secret: string }) => ({ secret: w.secret.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }), 401],
		['no signature on an event', () => ({}), 401],
		['a stale timestamp (301 s)', (w: { secret: string }) => ({ secret: w.secret, timestamp: now() - 301 }), 401],
		['a timestamp too far ahead', (w: { secret: string }) => ({ secret: w.secret, timestamp: now() + 301 }), 401],
		['an unknown signature scheme only', (w: { secret: string }) => ({ header: signDelivery(w.secret, now(), '').replace('v1=', 'v0=') }), 401],
	])('%s: refused, nothing started', async (_what, signing, status) => {
		const { trigger, webhook } = await active(['payment_registered']);
		const answer = await fx.post(trigger.productionUrl(), deliveryFor(webhook), { ...signing(webhook), key: 'k' });
		expect(answer.status).toBe(status);
		expect(answer.body.message).toMatch(/^Refused: /);
		expect(JSON.stringify(answer.body)).not.toContain(webhook.secret);
		expect(trigger.starts).toEqual([]);
		expect(trigger.staticData().deliveries).toEqual({});
	});

	it('accepts a signature 299 s old, and any of several v1 (a secret being rotated)', async () => {
		const { trigger, webhook } = await active(['payment_registered']);
		await fx.post(trigger.productionUrl(), deliveryFor(webhook), { secret: webhook.secret, timestamp: now() - 299, key: 'a' });
		const body = JSON.stringify(deliveryFor(webhook));
		const t = now();
		const right = signDelivery(webhook.secret, t, body).split(',v1=')[1];
		const other = signDelivery('f'.repeat(64), t, body).split(',v1=')[1];
		const answer = await fx.post(trigger.productionUrl(), body, { header: `t=${t},v1=${other},v1=${right}`, key: 'b' });
		expect(answer.status).toBe(200);
		expect(trigger.starts).toHaveLength(2);
	});

	it('refuses a body changed after signing', async () => {
		const { trigger, webhook } = await active(['payment_registered']);
		const body = JSON.stringify(deliveryFor(webhook));
		const header = signDelivery(webhook.secret, now(), body);
		const answer = await fx.post(trigger.productionUrl(), body.replace('"10.0"', '"10000.0"'), { header });
		expect(answer.status).toBe(401);
		expect(trigger.starts).toEqual([]);
	});

	it.each([
		['another webhook id', { webhook_id: '458026357899999999' }],
		['another administration', { administration_id: SEED.administrations.second }],
		['another webhook token', { webhook_token: 'not-the-token' }],
	])('refuses a signed delivery for %s (403)', async (_what, extra) => {
		const { trigger, webhook } = await active(['payment_registered']);
		const answer = await fx.post(trigger.productionUrl(), deliveryFor(webhook, extra), { secret: webhook.secret });
		expect(answer.status).toBe(403);
		expect(trigger.starts).toEqual([]);
	});

	it('answers an unsigned request without an event (Moneybird checking the URL) 200, starting nothing', async () => {
		const { trigger } = await active(['payment_registered']);
		expect(await fx.post(trigger.productionUrl(), {})).toEqual({ status: 200, body: { message: 'Moneybird Trigger is listening' } });
		expect(trigger.starts).toEqual([]);
	});

	it('starts nothing for an event it was not set to, though signed', async () => {
		const { trigger, webhook } = await active(['payment_registered']);
		const answer = await fx.post(trigger.productionUrl(), deliveryFor(webhook, { action: 'payment_destroyed' }), { secret: webhook.secret });
		expect(answer.status).toBe(200);
		expect(trigger.starts).toEqual([]);
	});
});
