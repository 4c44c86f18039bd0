import type { ExecutionError } from 'n8n-workflow';

import { runNode } from './harness/engine';
import {
	ADM,
	byId,
	createAlone,
	errorText,
	INV,
	MONEYBIRD_OAUTH_REFRESH_TOKEN,
	MONEYBIRD_OAUTH_TOKEN,
	moneybirdFixture,
	paymentsPath,
	SEED,
} from './fixtures';
import { requestsTo } from '../sandbox/server';
import type { Fault } from '../sandbox/server';
import { DEFAULT_OAUTH_CLIENT, DEFAULT_TOKEN } from '../sandbox/moneybird';

const fx = moneybirdFixture();

const UNKNOWN = '999999999999999999';

const failPosts = (...faults: Fault[]) => fx.api().server.injectFaults(requestsTo('POST', /\/payments\.json$/), ...faults);

/** A failed run's error names its row (rows.ts): " (row 1, item 0)" ends the message, "Row 1 (item 0): …. " starts the description. */
const ROW_IN_MESSAGE = / \(row \d+, item \d+\)$/;
const ROW_IN_DESCRIPTION = /^Row \d+ \(item \d+\): .*?"\.( |$)/;

/** The failure as n8n keeps and shows it, in Moneybird's words (the row it names checked and left out), and everything serialised with it. */
function shown(error: ExecutionError | undefined, ...secrets: string[]) {
	expect(error).toBeDefined();
	for (const secret of secrets) {
		expect(errorText(error)).not.toContain(secret);
		expect(JSON.stringify(error)).not.toContain(secret);
	}
	const description = (error as { description?: string }).description ?? '';
	expect(error!.message).toMatch(ROW_IN_MESSAGE);
	expect(description).toMatch(ROW_IN_DESCRIPTION);
	return { message: error!.message.replace(ROW_IN_MESSAGE, ''), description: description.replace(ROW_IN_DESCRIPTION, '') };
}

describe('Moneybird refusals in plain words', () => {
	it('401: the token is invalid, never shown', async () => {
		const token = 'not-a-real-moneybird-token-8c1e';
		const result = await fx.run(createAlone(), { accessToken: token });

		const { message, description } = shown(result.error, token);
		expect(message).toBe('Moneybird rejected the credential: token is invalid');
		expect(description).toMatch(/invalid or has expired.*Check the API token.*reconnect the OAuth2 credential/);
		expect((result.error as { httpCode?: string }).httpCode).toBe('401');
		expect(fx.api().state.paymentCount()).toBe(2);
	});

	it('401: an expired token says so', async () => {
		fx.api().state.expireToken(DEFAULT_TOKEN);
		const result = await fx.run(createAlone());
		expect(shown(result.error, DEFAULT_TOKEN).message).toBe('Moneybird rejected the credential: token is expired');
	});

	it('403: names the scope the token lacks', async () => {
		const token = 'documents-only-token-77d0';
		fx.api().state.addToken(token, ['documents']);
		const result = await fx.run(createAlone(), { accessToken: token });

		const { message, description } = shown(result.error, token);
		expect(message).toBe('Moneybird refused access: the credential lacks the sales_invoices scope');
		expect(description).toContain('with the sales_invoices scope ticked');
	});

	it('404: names the external sales invoice and administration that were not found', async () => {
		const result = await fx.run(createAlone({ invoice: byId(UNKNOWN) }));

		const { message, description } = shown(result.error, DEFAULT_TOKEN);
		expect(message).toBe(`Moneybird has no external sales invoice ${UNKNOWN} in administration ${ADM}`);
		expect(description).toContain('Moneybird said: record not found.');
	});

	it('404: an invoice of another administration is not found in the one chosen', async () => {
		const result = await fx.run(createAlone({ invoice: byId(SEED.invoices.second) }));
		expect(shown(result.error).message).toBe(
			`Moneybird has no external sales invoice ${SEED.invoices.second} in administration ${ADM}`,
		);
	});

	it('404: names the administration the credential cannot reach', async () => {
		const result = await fx.run(createAlone({ administration: byId(UNKNOWN) }));
		expect(shown(result.error).message).toBe(`Moneybird has no administration ${UNKNOWN} that this credential can reach`);
	});

	it('404: names the payment, invoice and administration of a delete', async () => {
		const result = await fx.run({
			operation: 'delete',
			administration: byId(ADM),
			invoice: byId(SEED.invoices.partial),
			paymentId: UNKNOWN,
		});

		const { message } = shown(result.error, DEFAULT_TOKEN);
		expect(message).toBe(
			`Moneybird has no payment ${UNKNOWN} on external sales invoice ${SEED.invoices.partial} in administration ${ADM}`,
		);
		expect(fx.api().state.paymentsOf(SEED.invoices.partial)).toHaveLength(1);
	});

	it('404: a plain-text "not found" names the record at the end of the path', async () => {
		failPosts({ kind: 'status', status: 404, body: { error: 'Record not found for model name: External invoice' } });
		const result = await fx.run(createAlone());

		const { message, description } = shown(result.error);
		expect(message).toBe(`Moneybird has no external sales invoice ${INV} in administration ${ADM}`);
		expect(description).toContain('Record not found for model name: External invoice');
	});

	it('422: lists each field with its messages, and what the node calls it', async () => {
		failPosts({
			kind: 'status',
			status: 422,
			body: {
				error: { payment_date: ["can't be blank", 'is not a valid date'], price: ['is not a number'] },
				details: { price: [{ error: 'not_a_number', value: null }] },
			},
		});
		const result = await fx.run(createAlone());

		const { message, description } = shown(result.error);
		expect(message).toBe("Moneybird refused the payment: payment_date: can't be blank, is not a valid date; price: is not a number");
		expect(description).toBe('In this node, payment_date is "Payment Date", price is "Amount".');
	});

	it("422 from Moneybird itself: a foreign-currency invoice needs the amount in the administration's currency", async () => {
		const result = await fx.run(createAlone({ invoice: byId(SEED.invoices.usd), amount: '250.00' }));

		const { message, description } = shown(result.error);
		expect(message).toBe("Moneybird refused the payment: price_base: can't be blank");
		expect(description).toContain('"Amount in Base Currency"');
		expect(fx.api().state.paymentsOf(SEED.invoices.usd)).toEqual([]);
	});

	it('402 and 400 say what Moneybird said', async () => {
		failPosts(
			{ kind: 'status', status: 402, body: { error: 'Payment required', symbolic: { administration: 'plan_required' } } },
			{ kind: 'status', status: 400, body: { error: 'Unknown attribute amount in payment', symbolic: { payment: { amount: 'unknown_attribute' } } } },
		);

		const payment = shown((await fx.run(createAlone())).error);
		expect(payment.message).toBe("Moneybird asks for payment: the administration's plan does not allow this (Payment required)");
		expect(payment.description).toContain('subscription');

		const malformed = shown((await fx.run(createAlone())).error);
		expect(malformed.message).toBe('Moneybird refused the request as malformed: Unknown attribute amount in payment');
		expect(malformed.description).toBe('Moneybird pointed at payment.amount: unknown_attribute.');
	});

	it('takes the token out of anything Moneybird echoes back', async () => {
		failPosts({ kind: 'status', status: 400, body: { error: `token ${DEFAULT_TOKEN} may not be used here` } });
		const result = await fx.run(createAlone());

		const { message } = shown(result.error, DEFAULT_TOKEN);
		expect(message).toBe('Moneybird refused the request as malformed: token [redacted] may not be used here');
	});

	it("OAuth2: takes out the tokens and the client secret, and keeps the API's other words, the token type and scope too", async () => {
		const { moneybirdOAuth2Api } = fx.credentials.oAuth2();
		const { clientSecret } = DEFAULT_OAUTH_CLIENT;
		const oauthTokenData = {
			access_token: MONEYBIRD_OAUTH_TOKEN,
			refresh_token: MONEYBIRD_OAUTH_REFRESH_TOKEN,
			token_type: 'bearer',
			scope: 'sales_invoices settings',
			expires_in: 7200,
		};
		failPosts({
			kind: 'status',
			status: 400,
			body: {
				error: `bearer token ${MONEYBIRD_OAUTH_TOKEN} lacks scope sales_invoices settings`,
				echo: { refresh_token: MONEYBIRD_OAUTH_REFRESH_TOKEN, client_secret: clientSecret },
			},
		});

		const result = await runNode({
			type: 'moneybird',
			parameters: { authentication: 'oAuth2', resource: 'externalSalesInvoicePayment', ...createAlone() },
			credentials: { moneybirdOAuth2Api: { ...moneybirdOAuth2Api, oauthTokenData } },
		});

		const { message } = shown(result.error, MONEYBIRD_OAUTH_TOKEN, MONEYBIRD_OAUTH_REFRESH_TOKEN, clientSecret);
		expect(message).toBe('Moneybird refused the request as malformed: bearer token [redacted] lacks scope sales_invoices settings');
		expect(fx.paymentRequests().map((r) => r.headers.authorization)).toEqual([`Bearer ${MONEYBIRD_OAUTH_TOKEN}`]);
	});
});

describe('An API failure in a batch', () => {
	const parameters = createAlone({ invoice: byId('={{ $json.invoice }}') });
	const items = [{ invoice: INV }, { invoice: UNKNOWN }, { invoice: SEED.invoices.open60 }];

	it('with Continue On Fail: an error item for that item, payments for the others', async () => {
		const result = await fx.run(parameters, { items, continueOnFail: true });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json.invoice_id).toBe(INV);
		// The whole message, and what to do with what identifies the row, in fields a following node can map.
		expect(result.items[1].json).toEqual({
			error: `Moneybird has no external sales invoice ${UNKNOWN} in administration ${ADM} (row 2, item 1)`,
			message: `Row 2 (item 1): invoice "${UNKNOWN}", payment date "2025-03-01", amount "121.00". Check the External Sales Invoice: it must be an external sales invoice of the chosen administration. Moneybird said: record not found.`,
		});
		expect(result.items[2].json.invoice_id).toBe(SEED.invoices.open60);
		expect(fx.paymentRequests().map((r) => r.path)).toEqual([paymentsPath(INV), paymentsPath(UNKNOWN), paymentsPath(SEED.invoices.open60)]);
	});

	it('without it: the run stops at that item and the items after it are not sent', async () => {
		const result = await fx.run(parameters, { items });

		expect(result.error?.message).toBe(`Moneybird has no external sales invoice ${UNKNOWN} in administration ${ADM} (row 2, item 1)`);
		expect(fx.paymentRequests().map((r) => r.path)).toEqual([paymentsPath(INV), paymentsPath(UNKNOWN)]);
		expect(fx.api().state.paymentsOf(SEED.invoices.open60)).toEqual([]);
	});
});

describe('A create whose answer was lost', () => {
	const invoiceRequest = `/api/v2/${ADM}/external_sales_invoices/${INV}.json`;
	const trail = () => fx.api().server.requests.map((r) => `${r.method} ${r.path}`);

	it('recorded: found on the invoice and output, not sent again', async () => {
		failPosts({ kind: 'resetAfterHandling' });
		const result = await fx.run(createAlone({ additionalFields: { transactionIdentifier: 'PSP-1' } }));

		expect(result.error).toBeUndefined();
		const recorded = fx.api().state.paymentsOf(INV);
		expect(recorded).toHaveLength(1);
		expect(result.items).toEqual([{ json: recorded[0], pairedItem: { item: 0 } }]);
		expect(trail()).toEqual([`POST ${paymentsPath()}`, `GET ${invoiceRequest}`]);
	});

	it('not recorded (connection lost before Moneybird acted): sent once more, recorded once', async () => {
		failPosts({ kind: 'resetBeforeHandling' });
		const result = await fx.run(createAlone());

		expect(result.error).toBeUndefined();
		expect(fx.api().state.paymentsOf(INV)).toHaveLength(1);
		expect(result.items[0].json.id).toBe(fx.api().state.paymentsOf(INV)[0].id);
		expect(trail()).toEqual([`POST ${paymentsPath()}`, `GET ${invoiceRequest}`, `POST ${paymentsPath()}`]);
	});

	it('not recorded (Moneybird answered 503): sent once more', async () => {
		failPosts({ kind: 'status', status: 503, body: { error: 'Service unavailable' } });
		const result = await fx.run(createAlone());

		expect(result.error).toBeUndefined();
		expect(fx.api().state.paymentsOf(INV)).toHaveLength(1);
		expect(trail()).toEqual([`POST ${paymentsPath()}`, `GET ${invoiceRequest}`, `POST ${paymentsPath()}`]);
	});

	it('an alike payment from long ago, or with another transaction identifier, is not taken for it', async () => {
		await fx.run(createAlone({ additionalFields: { transactionIdentifier: 'PSP-1' } }));
		await fx.run(createAlone());
		const [other, old] = fx.api().state.invoices.find((i) => i.id === INV)!.payments;
		old.created_at = new Date(Date.now() - 60 * 60_000).toISOString();
		fx.api().server.resetLog();

		failPosts({ kind: 'resetBeforeHandling' });
		const result = await fx.run(createAlone());

		expect(result.error).toBeUndefined();
		expect(fx.api().state.paymentsOf(INV)).toHaveLength(3);
		expect([other.id, old.id]).not.toContain(result.items[0].json.id);
		expect(trail()).toEqual([`POST ${paymentsPath()}`, `GET ${invoiceRequest}`, `POST ${paymentsPath()}`]);
	});

	it('two identical rows in one run: the second, recorded but unanswered, is not taken for the first', async () => {
		let posts = 0;
		fx.api().server.injectFaults((r) => r.method === 'POST' && ++posts === 2, { kind: 'resetAfterHandling' });

		const result = await fx.run(createAlone(), { items: [{}, {}] });

		expect(result.error).toBeUndefined();
		const [first, second] = fx.api().state.paymentsOf(INV);
		expect(result.items.map((item) => item.json.id)).toEqual([first.id, second.id]);
		expect(trail()).toEqual([`POST ${paymentsPath()}`, `POST ${paymentsPath()}`, `GET ${invoiceRequest}`]);
	});

	it('two identical rows in one run: the second, lost before Moneybird acted, is sent once more', async () => {
		let posts = 0;
		fx.api().server.injectFaults((r) => r.method === 'POST' && ++posts === 2, { kind: 'resetBeforeHandling' });

		const result = await fx.run(createAlone(), { items: [{}, {}] });

		expect(result.error).toBeUndefined();
		expect(fx.api().state.paymentsOf(INV)).toHaveLength(2);
		expect(new Set(result.items.map((item) => item.json.id)).size).toBe(2);
		expect(trail()).toEqual([`POST ${paymentsPath()}`, `POST ${paymentsPath()}`, `GET ${invoiceRequest}`, `POST ${paymentsPath()}`]);
	});

	it('cannot tell (two alike payments): fails the item without sending again, saying where to look', async () => {
		await fx.run(createAlone());
		fx.api().server.resetLog();
		failPosts({ kind: 'resetAfterHandling' });

		const result = await fx.run(createAlone());

		const { message, description } = shown(result.error, DEFAULT_TOKEN);
		expect(message).toBe('Moneybird may or may not have recorded this item: the connection was closed before an answer arrived');
		expect(description).toContain(`open https://moneybird.com/${ADM}/external_sales_invoices/${INV} in Moneybird`);
		expect(description).toContain('a payment of 121.00 dated 2025-03-01');
		expect(trail()).toEqual([`POST ${paymentsPath()}`, `GET ${invoiceRequest}`]);
		expect(fx.api().state.paymentsOf(INV)).toHaveLength(2);
	});
});
