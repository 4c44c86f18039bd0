/* eslint-disable @typescript-eslint/no-explicit-any -- dev-only code, never shipped (docs/releasing.md) */
import {
	createMoneybirdApi,
	DEFAULT_OAUTH_CLIENT,
	DEFAULT_REFRESH_TOKEN,
	DEFAULT_TOKEN,
	MONEYBIRD_SEED as SEED,
	moneybirdRateLimit,
	moneybirdTokenUrl,
	type MoneybirdState,
} from './index';
import type { SandboxApi } from '../server';

const ADM = SEED.administrations.main;
const INV = SEED.invoices.open121;

let api: SandboxApi<MoneybirdState>;

beforeEach(async () => {
	api = createMoneybirdApi();
	await api.server.start();
});
afterEach(async () => {
	await api.server.stop();
});

async function call(
	method: string,
	path: string,
	options: { body?: unknown; rawBody?: string; token?: string | null; contentType?: string } = {},
) {
	const headers: Record<string, string> = {};
	const token = options.token === undefined ? DEFAULT_TOKEN : options.token;
	if (token !== null) headers.Authorization = `Bearer ${token}`;
	const payload = options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
	if (payload !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
	const response = await fetch(api.server.url + path, { method, headers, body: payload });
	const text = await response.text();
	let json: any;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

const paymentsPath = (invoiceId: string = INV) => `/${ADM}/external_sales_invoices/${invoiceId}/payments.json`;
const pay = (payment: Record<string, unknown>, invoiceId?: string) =>
	call('POST', paymentsPath(invoiceId), { body: { payment } });

describe('auth and routing', () => {
	it('answers 401 without or with an unknown token, 403 naming a missing scope', async () => {
		const missing = await call('GET', '/administrations.json', { token: null });
		expect(missing.status).toBe(401);
		const unknown = await call('GET', '/administrations.json', { token: 'nope' });
		expect(unknown.status).toBe(401);
		expect(unknown.json).toEqual({ error: 'token is invalid', symbolic: { request: 'invalid_grant' } });

		api.state.addToken('invoices-only', ['sales_invoices']);
		const forbidden = await call('GET', `/${ADM}/financial_accounts.json`, { token: 'invoices-only' });
		expect(forbidden.status).toBe(403);
		expect(forbidden.json.symbolic).toEqual({ scope: 'settings' });
		expect(forbidden.json.error).toContain('settings');
		expect((await call('GET', `/${ADM}/ledger_accounts.json`, { token: 'invoices-only' })).status).toBe(200);

		api.state.addToken('no-scopes', []);
		const administrations = await call('GET', '/administrations.json', { token: 'no-scopes' });
		expect(administrations.status).toBe(200);
		expect(administrations.json.map((a: { id: string }) => a.id)).toEqual([ADM, SEED.administrations.second]);
	});

	it('404s an unknown administration, an unknown invoice and a path without .json', async () => {
		const adm = await call('GET', '/123456789012345678/external_sales_invoices.json');
		expect(adm).toMatchObject({ status: 404, json: { symbolic: { administration_id: 'not_found' } } });
		expect((await call('GET', `/${ADM}/external_sales_invoices/1.json`)).status).toBe(404);
		expect((await call('GET', `/${ADM}/external_sales_invoices`)).status).toBe(404);
		const unknownInvoice = await pay({ payment_date: '2025-01-01', price: '1' }, '999999999999999999');
		expect(unknownInvoice.json).toEqual({ error: 'record not found', symbolic: { invoice_id: 'not_found' } });
	});

	it('refreshes an expired token at /oauth/token and rejects a used refresh token', async () => {
		api.state.expireToken(DEFAULT_TOKEN);
		expect((await call('GET', '/administrations.json')).status).toBe(401);
		const refresh = () =>
			fetch(moneybirdTokenUrl(api.server), {
				method: 'POST',
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					Authorization:
						'Basic ' +
						Buffer.from(`${DEFAULT_OAUTH_CLIENT.clientId}:${DEFAULT_OAUTH_CLIENT.clientSecret}`).toString('base64'),
				},
				body: `grant_type=refresh_token&refresh_token=${DEFAULT_REFRESH_TOKEN}`,
			});
		const first = await refresh();
		const token = (await first.json()) as { access_token: string };
		expect(first.status).toBe(200);
		expect(token).toMatchObject({ token_type: 'bearer', scope: expect.stringContaining('settings') });
		expect((await call('GET', `/${ADM}/financial_accounts.json`, { token: token.access_token })).status).toBe(200);
		const second = await refresh();
		expect(second.status).toBe(400);
		expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
	});
});

describe('POST payments', () => {
	it('rejects unknown keys at both levels, naming them', async () => {
		const top = await call('POST', paymentsPath(), {
			body: { payment: { payment_date: '2025-01-01', price: '1' }, extra: 1 },
		});
		expect(top.status).toBe(400);
		expect(top.json.symbolic).toEqual({ extra: 'unknown_attribute' });
		const inner = await pay({ payment_date: '2025-01-01', price: '1', amount: '1' });
		expect(inner.status).toBe(400);
		expect(inner.json.symbolic).toEqual({ payment: { amount: 'unknown_attribute' } });
		expect(api.state.paymentCount()).toBe(2); // the two seeded ones
	});

	it('answers the documented 422 when required fields are missing, and checks values', async () => {
		const empty = await pay({});
		expect(empty.status).toBe(422);
		expect(empty.json).toEqual({
			error: {
				payment_date: ["can't be blank", 'is not a valid date'],
				price: ["can't be blank", 'is not a number'],
			},
			details: {
				payment_date: [{ error: 'blank' }, { error: 'is not a valid date' }],
				price: [{ error: 'blank' }, { error: 'not_a_number', value: null }],
			},
		});
		const bad = await pay({ payment_date: '2025-02-30', price: 'abc', manual_payment_action: 'gift' });
		expect(Object.keys(bad.json.error).sort()).toEqual(['manual_payment_action', 'payment_date', 'price']);
		expect(bad.json.details.price).toEqual([{ error: 'not_a_number', value: 'abc' }]);
		expect((await pay({ payment_date: '2025-01-01', price: 1000000001 })).status).toBe(422);
		expect((await call('POST', paymentsPath(), { rawBody: 'payment[price]=1', contentType: 'application/x-www-form-urlencoded' })).status).toBe(400);
	});

	it.each([
		['private_payment', 'financial_account_id', SEED.financialAccounts.bank],
		['cash_payment', 'financial_account_id', SEED.financialAccounts.creditCard],
		['bank_transfer', 'financial_mutation_id', SEED.financialMutations.ws1001],
		['balance_settlement', 'ledger_account_id', SEED.ledgerAccounts.suspense],
		['invoices_settlement', 'invoice_id', SEED.invoices.open60],
	])('%s needs %s', async (action, field, id) => {
		const without = await pay({ payment_date: '2025-01-01', price: '1', manual_payment_action: action });
		expect(without.status).toBe(422);
		expect(without.json.error).toEqual({ [field]: ["can't be blank"] });
		const otherAdministration = await pay({
			payment_date: '2025-01-01',
			price: '1',
			manual_payment_action: action,
			[field]: SEED.financialAccounts.secondBank,
		});
		expect(otherAdministration.json.error).toEqual({ [field]: ['is not found'] });
		const withIt = await pay({ payment_date: '2025-01-01', price: '1', manual_payment_action: action, [field]: id });
		expect(withIt.status).toBe(201);
		expect(withIt.json[field === 'invoice_id' ? 'credit_invoice_id' : field]).toBe(id);
	});

	it('rejects a big ID sent as a JSON number and accepts it as a digit string', async () => {
		const id = SEED.financialAccounts.bank;
		const asNumber = await call('POST', paymentsPath(), {
			rawBody: `{"payment":{"payment_date":"2025-01-01","price":"1","financial_account_id":${id}}}`,
		});
		expect(asNumber.status).toBe(422);
		expect(asNumber.json.details.financial_account_id).toEqual([{ error: 'unsafe_integer', value: id }]);
		const asString = await pay({ payment_date: '2025-01-01', price: '1', financial_account_id: id });
		expect(asString.status).toBe(201);
		expect(asString.text).toContain(`"financial_account_id":"${id}"`);
	});

	it('creates a full payment_response, pays the invoice, and DELETE restores it', async () => {
		const created = await pay({
			payment_date: '2026-08-21T13:49:21.293Z',
			price: '121,00',
			transaction_identifier: 'PSP-1',
		});
		expect(created.status).toBe(201);
		expect(Object.keys(created.json).sort()).toEqual(
			[
				'id', 'administration_id', 'invoice_type', 'invoice_id', 'financial_account_id', 'user_id',
				'payment_transaction_id', 'transaction_identifier', 'price', 'price_base', 'payment_date',
				'credit_invoice_id', 'financial_mutation_id', 'ledger_account_id', 'linked_payment_id',
				'manual_payment_action', 'created_at', 'updated_at',
			].sort(),
		);
		expect(created.json).toMatchObject({
			administration_id: ADM,
			invoice_type: 'ExternalSalesInvoice',
			invoice_id: INV,
			price: '121.0',
			price_base: '121.0',
			payment_date: '2026-08-21',
			transaction_identifier: 'PSP-1',
		});
		expect(created.json.id).toMatch(/^\d{18}$/);
		const paid = await call('GET', `/${ADM}/external_sales_invoices/${INV}.json`);
		expect(paid.json).toMatchObject({ state: 'paid', total_unpaid: '0.0', total_paid: '121.0' });

		const path = `/${ADM}/external_sales_invoices/${INV}/payments/${created.json.id}.json`;
		const deleted = await call('DELETE', path);
		expect(deleted.status).toBe(204);
		expect(deleted.text).toBe('');
		expect((await call('DELETE', path)).json).toEqual({ error: 'record not found', symbolic: { id: 'not_found' } });
		expect(api.state.getInvoice(INV)).toMatchObject({ state: 'open', total_unpaid: '121.0', payments: [] });
	});

	it('needs price_base on a foreign-currency invoice and finds duplicates', async () => {
		const usd = SEED.invoices.usd;
		expect((await pay({ payment_date: '2025-01-01', price: '10' }, usd)).json.error).toEqual({
			price_base: ["can't be blank"],
		});
		const body = { payment_date: '2025-01-01', price: '10', price_base: '9.18', transaction_identifier: 'T1' };
		expect((await pay(body, usd)).status).toBe(201);
		expect((await pay(body, usd)).status).toBe(201);
		expect(api.state.findDuplicatePayments()).toHaveLength(1);
		expect(api.state.getInvoice(usd)).toMatchObject({ total_unpaid: '230.0', total_unpaid_base: '211.14' });
	});
});

describe('lists', () => {
	it('a listed invoice carries its payments and totals, as a read of it does (the OpenAPI list item is external_sales_invoice_response)', async () => {
		const listed = await call('GET', `/${ADM}/external_sales_invoices.json?filter=period:20200101..20301231&per_page=100`);
		const partial = listed.json.find((i: { id: string }) => i.id === SEED.invoices.partial);
		const read = await call('GET', `/${ADM}/external_sales_invoices/${SEED.invoices.partial}.json`);
		expect(partial.payments).toHaveLength(1);
		for (const field of ['payments', 'total_paid', 'total_unpaid', 'total_price_incl_tax']) expect(partial[field]).toEqual(read.json[field]);
	});

	it("RateLimit-Remaining counts requests, or with remaining: 'seconds' the seconds to the reset beside RateLimit-RequestsRemaining", async () => {
		api.server.rateLimit = moneybirdRateLimit(3, 60_000, { remaining: 'seconds' });
		const { headers } = await call('GET', `/${ADM}/external_sales_invoices/${INV}.json`);
		expect(headers.get('ratelimit-requestsremaining')).toBe('2');
		const seconds = Number(headers.get('ratelimit-remaining'));
		expect(seconds).toBeGreaterThan(0);
		expect(seconds).toBeLessThanOrEqual(60);
		api.server.rateLimit = moneybirdRateLimit(3, 60_000);
		const documented = await call('GET', `/${ADM}/external_sales_invoices/${INV}.json`);
		expect(documented.headers.get('ratelimit-requestsremaining')).toBeNull();
	});

	it('pages invoices with Link headers; the default period hides last year', async () => {
		const list = (query: string) => call('GET', `/${ADM}/external_sales_invoices.json?${query}`);
		const byDefault = await list('');
		expect(byDefault.json.map((i: { id: string }) => i.id)).not.toContain(SEED.invoices.lastYear);

		const first = await list('filter=state:open|late&per_page=2');
		expect(first.json).toHaveLength(2);
		expect(first.headers.get('link')).toMatch(/<([^>]+page=2[^>]*)>; rel="next"/);
		expect(first.headers.get('link')).not.toContain('rel="prev"');
		const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link')!)![1];
		const second = await call('GET', next.slice(api.server.url.length));
		expect(second.headers.get('link')).toContain('rel="prev"');

		const all = await list('filter=state:open|late&per_page=100');
		expect(all.json.map((i: { id: string }) => i.id)).toContain(SEED.invoices.lastYear);
		expect(all.json.every((i: { state: string }) => ['open', 'late'].includes(i.state))).toBe(true);
		expect(all.headers.get('link')).toBeNull();
		expect((await list('per_page=101')).json).toEqual({ error: 'per_page does not have a valid value' });
		expect((await list('filter=colour:red')).status).toBe(400);
	});

	it('answers 429 Retry later with RateLimit headers over the limit', async () => {
		api.server.rateLimit = moneybirdRateLimit(2, 3_600_000);
		const ok = await call('GET', '/administrations.json');
		expect(ok.headers.get('ratelimit-remaining')).toBe('1');
		await call('GET', '/administrations.json');
		const limited = await call('GET', '/administrations.json');
		expect(limited.status).toBe(429);
		expect(limited.text).toBe('Retry later');
		expect(limited.headers.get('ratelimit-limit')).toBe('2');
		expect(limited.headers.get('ratelimit-remaining')).toBe('0');
		const reset = Number(limited.headers.get('ratelimit-reset'));
		expect(reset).toBeGreaterThan(Date.now() / 1000);
		expect(limited.headers.get('retry-after')).toBe(String(reset));

		api.server.rateLimit = moneybirdRateLimit(0, 60_000, { retryAfter: 'seconds', headersOnSuccess: false });
		const seconds = await call('GET', '/administrations.json');
		expect(Number(seconds.headers.get('retry-after'))).toBeLessThanOrEqual(60);
	});
});
