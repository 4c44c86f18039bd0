import { ADM, INV, SEED, byId } from './fixtures';
import { WEBHOOKS_PATH, triggerFixture } from './moneybirdTrigger.fixture';
import { DEFAULT_TOKEN } from '../sandbox/moneybird';

const fx = triggerFixture();
const sent = () => fx.api().server.requests.filter((r) => r.path.includes('/webhooks')).map((r) => `${r.method} ${r.path}`);
const registered = () => fx.api().state.webhooks.webhooks;

describe('Moneybird Trigger: activation and deactivation', () => {
	it('registers the production URL for exactly the chosen events and keeps id, token and secret', async () => {
		const trigger = await fx.trigger({ events: ['payment_registered', 'external_sales_invoice_state_changed_to_paid', 'payment_destroyed'] });
		await trigger.activate();

		expect(sent()).toEqual([`GET ${WEBHOOKS_PATH}`, `POST ${WEBHOOKS_PATH}`]);
		const post = fx.api().server.requests.find((r) => r.method === 'POST')!;
		expect(post.body).toEqual({
			url: trigger.productionUrl(),
			enabled_events: ['external_sales_invoice_state_changed_to_paid', 'payment_destroyed', 'payment_registered'],
		});
		expect(post.headers.authorization).toBe(`Bearer ${DEFAULT_TOKEN}`);
		// Moneybird checked that the URL answers 200 before it registered it; that check started nothing.
		const [webhook] = registered();
		expect(webhook).toMatchObject({ url: trigger.productionUrl(), last_http_status: 200 });
		expect(trigger.starts).toEqual([]);
		expect(trigger.staticData()).toEqual({
			webhook: {
				id: webhook.id,
				administration: ADM,
				url: trigger.productionUrl(),
				events: webhook.enabled_events,
				token: webhook.token,
				secret: webhook.secret,
			},
			deliveries: {},
			signedDeliveries: {},
		});
	});

	it('finds its webhook again on the next activation (checkExists lists them) and registers nothing more', async () => {
		const trigger = await fx.trigger();
		await trigger.activate();
		fx.api().server.resetLog();

		await trigger.activate();

		expect(sent()).toEqual([`GET ${WEBHOOKS_PATH}`]);
		expect(registered()).toHaveLength(1);
	});

	it('deletes its webhook on deactivation and forgets it', async () => {
		const trigger = await fx.trigger();
		await trigger.activate();
		const { id } = registered()[0];
		fx.api().server.resetLog();

		await trigger.deactivate();

		expect(sent()).toEqual([`DELETE /api/v2/${ADM}/webhooks/${id}.json`]);
		expect(registered()).toEqual([]);
		expect(trigger.staticData()).toEqual({});
	});

	it('counts a webhook Moneybird no longer has (404 on delete) as deleted', async () => {
		const trigger = await fx.trigger();
		await trigger.activate();
		fx.api().state.webhooks.webhooks.length = 0;
		fx.api().server.resetLog();

		await expect(trigger.deactivate()).resolves.toBeUndefined();

		expect(fx.api().server.requests.map((r) => r.method)).toEqual(['DELETE']);
		expect(trigger.staticData()).toEqual({});
	});

	it('registers again when its webhook is gone from Moneybird, and replaces one on its URL whose secret it lacks', async () => {
		const trigger = await fx.trigger();
		await trigger.activate();
		const first = registered()[0].id;
		fx.api().state.webhooks.webhooks.length = 0;
		await trigger.activate();
		const second = registered()[0].id;
		expect(second).not.toBe(first);

		// The static data was lost (a restored database, an imported copy): the webhook on its URL cannot be verified.
		delete trigger.production.workflow.staticData[`node:${trigger.production.node.name}`];
		fx.api().server.resetLog();
		await trigger.activate();

		expect(sent()).toEqual([`GET ${WEBHOOKS_PATH}`, `DELETE /api/v2/${ADM}/webhooks/${second}.json`, `POST ${WEBHOOKS_PATH}`]);
		expect(registered().map((w) => w.id)).toEqual([trigger.staticData().webhook && (trigger.staticData().webhook as { id: string }).id]);
	});

	it('re-registers when the events or the administration changed, removing the old webhook', async () => {
		const trigger = await fx.trigger();
		await trigger.activate();
		trigger.production.node.parameters.events = ['payment_destroyed'];
		await trigger.activate();
		expect(registered().map((w) => w.enabled_events)).toEqual([['payment_destroyed']]);

		trigger.production.node.parameters.administration = byId(SEED.administrations.second);
		await trigger.activate();
		expect(registered().map((w) => w.administration_id)).toEqual([SEED.administrations.second]);
	});

	it('works with the OAuth2 credential', async () => {
		const trigger = await fx.trigger({}, { oAuth2: true });
		await trigger.activate();
		expect(registered()).toHaveLength(1);
		await trigger.deactivate();
		expect(registered()).toEqual([]);
	});

	it("refuses in Moneybird's words when the credential lacks the settings scope, with no token in the error", async () => {
		fx.api().state.addToken('token-without-settings', ['sales_invoices']);
		const trigger = await fx.trigger({}, { credentials: { moneybirdApi: { accessToken: 'token-without-settings', baseUrl: fx.api().server.url } } });

		const error = await trigger.activate().then(
			() => undefined,
			(thrown: Error & { description?: string }) => thrown,
		);

		expect(error?.message).toBe('Moneybird refused access: the credential lacks the settings scope');
		expect(JSON.stringify({ ...error, message: error?.message, description: error?.description })).not.toContain('token-without-settings');
		expect(registered()).toEqual([]);
	});

	it('sends nothing when the Base URL is not https', async () => {
		const trigger = await fx.trigger({}, { credentials: { moneybirdApi: { accessToken: DEFAULT_TOKEN, baseUrl: 'http://moneybird.example/api/v2' } } });
		await expect(trigger.activate()).rejects.toThrow("The Moneybird credential's Base URL must start with https:// (http:// only for localhost)");
		expect(fx.api().server.requests).toEqual([]);
	});

	it('refuses an Administration that is not a Moneybird ID before sending anything', async () => {
		const trigger = await fx.trigger({ administration: byId('12/../34') });
		await expect(trigger.activate()).rejects.toThrow(/^Invalid Administration/);
		expect(fx.api().server.requests).toEqual([]);
	});
});

describe('Moneybird Trigger: listening for a test event', () => {
	it('registers the test URL the same way, starts on the first event and removes the test webhook', async () => {
		const trigger = await fx.trigger();
		await trigger.listen();
		expect(registered().map((w) => w.url)).toEqual([trigger.testUrl()]);

		const payment = await fx.pay('21.00');
		await trigger.idle();

		expect(trigger.starts.map((start) => [start.mode, (start.items[0].json.payment as { id: string }).id])).toEqual([['manual', payment.id]]);
		expect(trigger.isListening('manual')).toBe(false);
		expect(registered()).toEqual([]);
		// The active workflow's own registration is another one, untouched by the test.
		expect(trigger.staticData('trigger')).toEqual({});
		expect(fx.api().state.paymentsOf(INV)).toHaveLength(1);
	});
});
