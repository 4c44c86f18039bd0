import type { IDataObject, INodeParameters } from 'n8n-workflow';

import * as source from '../nodes/MoneybirdTrigger/deliveries';
import { signedDigest } from '../nodes/MoneybirdTrigger/signature';
import { ADM, INV } from './fixtures';
import { selectedEngine } from './harness/engines';
import { PACKAGES } from './harness/packages';
import { deliveryFor, triggerFixture } from './moneybirdTrigger.fixture';
import { requestsTo } from '../sandbox/server';
import { signDelivery } from '../sandbox/moneybird';
import { seeded } from './harness/seeded';

/*
 * Issue 27: a captured delivery posted again while its signature is still accepted, with another Idempotency-Key or
 * none, starts nothing; Moneybird's own retries (same key) start nothing; distinct deliveries each start one run.
 */

const fx = triggerFixture();
const now = () => Math.floor(Date.now() / 1000);
const ALREADY = { message: 'Already received: this delivery started the workflow before' };

async function active(options: INodeParameters = {}) {
	const trigger = await fx.trigger({ events: ['payment_registered'], options });
	await trigger.activate();
	const webhook = fx.api().state.webhooks.webhooks[0];
	return { trigger, webhook };
}

/** The deduplication module as the node under test loaded it (from `dist`), whose memory is the node's. */
async function nodesMemory(): Promise<typeof source> {
	const root = selectedEngine().packageRoots[PACKAGES.findIndex((p) => p.folder === 'moneybird')];
	return (await import(`${root}/dist/nodes/MoneybirdTrigger/deliveries.js`)) as typeof source;
}

const tOf = (header: string) => Number(/t=(\d+)/.exec(header)![1]);

describe('Moneybird Trigger: a delivery is deduplicated on what is signed', () => {
	it('a captured delivery posted again with a new Idempotency-Key, or with none, starts nothing', async () => {
		const { trigger } = await active();
		await fx.pay('21.00');
		const webhooks = fx.api().state.webhooks;
		const [push] = webhooks.pushes;
		expect(trigger.starts).toHaveLength(1);

		expect(await webhooks.replay(push, 'another-key')).toBe(200);
		expect(trigger.answers.slice(-1)[0].body).toEqual(ALREADY);
		expect(await webhooks.replay(push, undefined)).toBe(200);
		expect(trigger.answers.slice(-1)[0].body).toEqual(ALREADY);

		expect(trigger.starts).toHaveLength(1);
		const state = trigger.staticData();
		// The replay's key is not recorded: only deliveries that started the workflow give their key.
		expect(Object.keys(state.deliveries as IDataObject)).toEqual([push.idempotencyKey]);
		// A digest of what is signed, kept with its signed time; not the body.
		expect(state.signedDeliveries).toEqual({ [signedDigest(tOf(push.signatures[0]), push.body)]: tOf(push.signatures[0]) });
		expect(JSON.stringify(state)).not.toContain(String(JSON.parse(push.body).entity.id));
	});

	it('a captured delivery replayed after a restart (this process forgot it) starts nothing: static data holds its digest', async () => {
		const { trigger, webhook } = await active();
		await fx.pay('21.00');
		const [push] = fx.api().state.webhooks.pushes;
		const t = tOf(push.signatures[0]);
		// What a restart of n8n loses: the claims in the process's memory.
		(await nodesMemory()).releaseInProcess(webhook.id, { key: push.idempotencyKey, digest: signedDigest(t, push.body), signedAt: t });

		expect(await fx.api().state.webhooks.replay(push, 'after-restart')).toBe(200);
		expect(trigger.starts).toHaveLength(1);
	});

	it("Moneybird's retry with the same key starts nothing, signed anew or not; a captured copy of that retry neither", async () => {
		const { trigger, webhook } = await active();
		const body = JSON.stringify(deliveryFor(webhook));
		const first = signDelivery(webhook.secret, now() - 20, body);
		const resigned = signDelivery(webhook.secret, now() - 10, body);
		const post = async (header: string, key?: string) => await fx.post(trigger.productionUrl(), body, { header, key });

		expect(await post(first, 'push-1')).toEqual({ status: 200, body: { message: 'Workflow was started' } });
		expect(await post(first, 'push-1')).toEqual({ status: 200, body: ALREADY });
		expect(await post(resigned, 'push-1')).toEqual({ status: 200, body: ALREADY });
		expect(await post(resigned, 'captured-retry')).toEqual({ status: 200, body: ALREADY });
		expect(await post(resigned)).toEqual({ status: 200, body: ALREADY });

		expect(trigger.starts).toHaveLength(1);
		expect(Object.keys(trigger.staticData().signedDeliveries as IDataObject)).toHaveLength(2);
	});

	it('distinct deliveries each start one run: other content, or the same content signed at another time with another key', async () => {
		const { trigger, webhook } = await active();
		const t = now();
		const one = JSON.stringify(deliveryFor(webhook, {}, { id: '458026357030000001' }));
		const two = JSON.stringify(deliveryFor(webhook, {}, { id: '458026357030000002' }));
		const post = async (body: string, at: number, key?: string) =>
			await fx.post(trigger.productionUrl(), body, { header: signDelivery(webhook.secret, at, body), key });

		await post(one, t);
		await post(two, t);
		await post(one, t - 1, 'a-later-push');

		expect(trigger.starts.map((start) => (start.items[0].json.payment as IDataObject).id)).toEqual(['458026357030000001', '458026357030000002', '458026357030000001']);
	});

	it('identical deliveries posted at the same moment start one run, with or without keys', async () => {
		const { trigger, webhook } = await active({ attachInvoice: true });
		// The first is still reading its invoice when the others arrive.
		fx.api().server.injectFaults(requestsTo('GET', `/api/v2/${ADM}/external_sales_invoices/${INV}.json`), { kind: 'delay', ms: 300 });
		const body = JSON.stringify(deliveryFor(webhook));
		const header = signDelivery(webhook.secret, now(), body);
		const send = async (key?: string) => await fx.post(trigger.productionUrl(), body, { header, key });

		const answers = await Promise.all([send('k-1'), send('k-2'), send(), send()]);

		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
		expect(answers.filter((answer) => answer.body.message === 'Workflow was started')).toHaveLength(1);
		expect(trigger.starts).toHaveLength(1);
	});

	it('a delivery whose start failed is given back: the same signed delivery sent again starts the workflow', async () => {
		const { trigger, webhook } = await active({ attachInvoice: true });
		fx.api().server.injectFaults(requestsTo('GET', `/api/v2/${ADM}/external_sales_invoices/${INV}.json`), { kind: 'status', status: 503, body: { error: 'down' } });
		const body = JSON.stringify(deliveryFor(webhook));
		const header = signDelivery(webhook.secret, now(), body);

		expect((await fx.post(trigger.productionUrl(), body, { header })).status).toBe(500);
		expect((await fx.post(trigger.productionUrl(), body, { header })).status).toBe(200);
		expect(trigger.starts).toHaveLength(1);
	});
});


describe('Moneybird Trigger: generated deliveries, replays and retries', () => {
	it.each([20261205, 7, 424242])('seed %i: as many runs as distinct signed deliveries', async (seed) => {
		const random = seeded(seed);
		const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
		const { trigger, webhook } = await active();
		const t0 = now();
		interface Sent {
			body: string;
			key: string;
			/** Signature headers already sent and answered: what can have been captured. */
			headers: string[];
		}
		const pushes: Sent[] = [];
		let posts = 0;
		let replays = 0;
		while (posts < 400) {
			// A batch posted at once; it only replays or retries what earlier batches sent.
			const ready = [...pushes];
			const batch: Array<{ push: Sent; header: string; key?: string }> = [];
			for (let size = 1 + Math.floor(random() * 6); size > 0; size--) {
				const roll = random();
				if (ready.length === 0 || roll < 0.25) {
					const body = JSON.stringify(deliveryFor(webhook, {}, { id: String(458026357050000000n + BigInt(pushes.length)), price: `${pushes.length}.0` }));
					const push = { body, key: `push-${seed}-${pushes.length}`, headers: [] };
					pushes.push(push);
					batch.push({ push, header: signDelivery(webhook.secret, t0 - Math.floor(random() * 120), body), key: push.key });
				} else if (roll < 0.5) {
					// Moneybird's retry: its own key, signed anew (or within the same second).
					const push = pick(ready);
					batch.push({ push, header: signDelivery(webhook.secret, t0 - Math.floor(random() * 120), push.body), key: push.key });
				} else {
					// A captured delivery posted again: a new key, none, its own, or another push's.
					const push = pick(ready);
					const keys = [`replay-${posts}-${batch.length}`, undefined, push.key, pick(ready).key];
					batch.push({ push, header: pick(push.headers), key: pick(keys) });
					replays++;
				}
			}
			const answers = await Promise.all(batch.map(async ({ push, header, key }) => await fx.post(trigger.productionUrl(), push.body, { header, key })));
			expect(answers.map((answer) => answer.status)).toEqual(batch.map(() => 200));
			for (const { push, header } of batch) push.headers.push(header);
			posts += batch.length;
		}

		expect(replays).toBeGreaterThan(100);
		const started = trigger.starts.map((start) => (start.items[0].json.payment as IDataObject).id);
		expect(started).toHaveLength(pushes.length);
		expect(new Set(started).size).toBe(pushes.length);
	});
});

describe('Moneybird Trigger: what deduplication keeps', () => {
	it('a digest for as long as its signature could be accepted, plus margin; the newest at most', () => {
		const t = 1_800_000_000;
		let seen = source.withSigned(undefined, 'first', t, t);
		expect(source.SIGNED_WINDOW_SECONDS).toBeGreaterThanOrEqual(600);
		expect(source.alreadySigned(seen, 'first', t + source.SIGNED_WINDOW_SECONDS - 1)).toBe(true);
		expect(source.alreadySigned(seen, 'first', t + source.SIGNED_WINDOW_SECONDS)).toBe(false);
		const newer = Object.fromEntries(Array.from({ length: source.DEDUPE_MAX_SIGNED - 1 }, (_, i) => [`digest-${i}`, t + 1]));
		seen = source.withSigned({ ...seen, ...newer }, 'newest', t + 2, t + 2);
		expect(Object.keys(seen)).toHaveLength(source.DEDUPE_MAX_SIGNED);
		expect(source.alreadySigned(seen, 'first', t + 2)).toBe(false);
		expect(source.alreadySigned(seen, 'newest', t + 2)).toBe(true);
	});

	it('in memory: either mark makes a duplicate; when no more digests fit, deliveries are turned away, not let through', () => {
		const t = now();
		const marks = (digest: string, key?: string) => ({ digest, key, signedAt: t });
		expect(source.claimInProcess('w', marks('d-1', 'k-1'), t)).toBe('claimed');
		expect(source.claimInProcess('w', marks('d-1', 'k-2'), t)).toBe('duplicate');
		expect(source.claimInProcess('w', marks('d-1'), t)).toBe('duplicate');
		expect(source.claimInProcess('w', marks('d-2', 'k-1'), t)).toBe('duplicate');
		// d-2 came as a duplicate by its key; a copy of it with another key finds its digest.
		expect(source.claimInProcess('w', marks('d-2', 'k-3'), t)).toBe('duplicate');
		expect(source.claimInProcess('other webhook', marks('d-1', 'k-1'), t)).toBe('claimed');
		// Expired with the signature's window.
		expect(source.claimInProcess('w', marks('d-1'), t + source.SIGNED_WINDOW_SECONDS)).toBe('claimed');

		const flood = Array.from({ length: source.MAX_CLAIMED_SIGNED }, (_, i) => marks(`flood-${i}`));
		for (const m of flood) source.claimInProcess('flooded', m, t);
		expect(source.claimInProcess('w', marks('d-3', 'k-4'), t)).toBe('full');
		expect(source.claimInProcess('w', marks('d-3', 'k-4'), t)).toBe('full');
		for (const m of flood) source.releaseInProcess('flooded', m);
		expect(source.claimInProcess('w', marks('d-3', 'k-4'), t)).toBe('claimed');
	});
});
