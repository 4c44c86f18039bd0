import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { webhookTrigger } from './harness/webhookTrigger';
import { ADM, INV, byId, moneybirdFixture } from './fixtures';
import { DEFAULT_TOKEN, signDelivery } from '../sandbox/moneybird';

export const WEBHOOKS_PATH = `/api/v2/${ADM}/webhooks.json`;

/** A payment_registered delivery body for `webhook`, as Moneybird would send it. */
export function deliveryFor(webhook: { id: string; token: string }, extra: IDataObject = {}, entity: IDataObject = {}) {
	return {
		administration_id: ADM,
		webhook_id: webhook.id,
		webhook_token: webhook.token,
		entity_type: 'Payment',
		entity_id: '458026357039999999',
		state: null,
		action: 'payment_registered',
		entity: { id: '458026357039999999', invoice_type: 'ExternalSalesInvoice', invoice_id: INV, price: '10.0', ...entity },
		...extra,
	};
}

/**
 * The Moneybird Trigger in an n8n-like webhook host (harness/webhookTrigger.ts) against a fresh sandbox Moneybird
 * API for every test, whose deliveries are retried after 50 ms instead of Moneybird's minutes.
 */
export function triggerFixture() {
	const fx = moneybirdFixture();
	let current: Awaited<ReturnType<typeof webhookTrigger>> | undefined;
	afterEach(async () => {
		await current?.close();
		current = undefined;
	});

	async function trigger(parameters: INodeParameters = {}, options: { oAuth2?: boolean; credentials?: Record<string, ICredentialDataDecryptedObject> } = {}) {
		fx.api().state.webhooks.retryDelaysMs = Array.from({ length: 10 }, () => 50);
		current = await webhookTrigger({
			type: 'moneybirdTrigger',
			parameters: {
				authentication: options.oAuth2 ? 'oAuth2' : 'accessToken',
				administration: byId(ADM),
				events: ['payment_registered'],
				options: {},
				...parameters,
			},
			credentials: options.credentials ?? (options.oAuth2 ? fx.credentials.oAuth2() : fx.credentials.token()),
		});
		return current;
	}

	/** Calls the sandbox API as another Moneybird client would (the events come from what it does). */
	async function call(method: string, path: string, body?: object): Promise<{ status: number; body: IDataObject }> {
		const response = await fetch(`${fx.api().server.url}${path}`, {
			method,
			headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, 'content-type': 'application/json' },
			body: body ? JSON.stringify(body) : undefined,
		});
		const text = await response.text();
		return { status: response.status, body: (text ? JSON.parse(text) : {}) as IDataObject };
	}

	/** Registers a payment through the API and waits until every delivery it caused has been answered. */
	async function pay(price: string, invoice: string = INV, extra: IDataObject = {}): Promise<IDataObject> {
		const created = await call('POST', `/${ADM}/external_sales_invoices/${invoice}/payments.json`, {
			payment: { payment_date: '2025-03-01', price, ...extra },
		});
		if (created.status !== 201) throw new Error(`payment not created: ${JSON.stringify(created.body)}`);
		await fx.api().state.webhooks.idle();
		return created.body;
	}

	async function unpay(payment: string, invoice: string = INV): Promise<void> {
		const deleted = await call('DELETE', `/${ADM}/external_sales_invoices/${invoice}/payments/${payment}.json`);
		if (deleted.status !== 204) throw new Error(`payment not deleted: ${deleted.status}`);
		await fx.api().state.webhooks.idle();
	}

	/** POSTs a delivery of our own making to `url`; signed with `secret` at `timestamp` unless a header is given. */
	async function post(
		url: string,
		body: object | string,
		signing: { secret?: string; timestamp?: number; header?: string; key?: string } = {},
	): Promise<{ status: number; body: IDataObject }> {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		const timestamp = signing.timestamp ?? Math.floor(Date.now() / 1000);
		const signature = signing.header ?? (signing.secret ? signDelivery(signing.secret, timestamp, text) : undefined);
		if (signature) headers['moneybird-signature'] = signature;
		if (signing.key) headers['idempotency-key'] = signing.key;
		const response = await fetch(url, { method: 'POST', headers, body: text });
		const answer = await response.text();
		return { status: response.status, body: (answer ? JSON.parse(answer) : {}) as IDataObject };
	}

	return { ...fx, trigger, call, pay, unpay, post };
}
