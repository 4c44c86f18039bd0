/**
 * Webhooks of the sandbox Moneybird API (developer.moneybird.com/webhooks, /api/webhooks): registered per
 * administration (the URL must answer 200 when registered), listed without their secret, deleted. When a payment
 * is registered or deleted through the API, every webhook whose `enabled_events` names the event (or a prefix of
 * it) gets a signed delivery: `Moneybird-Signature: t=…,v1=<HMAC-SHA256 of "t.body" with the secret>` and the
 * push's `Idempotency-Key`. A delivery not answered 200 is retried, up to 10 times, with the same key and body,
 * freshly signed. `redeliver` sends a push again, as a retry would, and `replay` posts a captured attempt again
 * (its signature as sent, another key or none), for tests of deduplication.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

import type { ApiResponse, RecordedRequest } from '../server';

export interface Webhook {
	id: string;
	administration_id: string;
	url: string;
	enabled_events: string[];
	last_http_status: number | null;
	last_http_body: string | null;
	token: string;
	secret: string;
	deactivated_at: string | null;
}

/** One push: what is sent on every attempt (the body and its key) and what each attempt got. */
export interface Push {
	webhookId: string;
	idempotencyKey: string;
	action: string;
	body: string;
	/** Status of each attempt (0: no answer). */
	attempts: number[];
	/** The `Moneybird-Signature` header of each attempt. */
	signatures: string[];
}

/** `t=…,v1=…`: Moneybird's signature of `body` at `timestamp` (unix seconds). */
export function signDelivery(secret: string, timestamp: number, body: string): string {
	return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The routes, in the API's route table form (`GET :administration/webhooks` …), all needing the settings scope. */
export const WEBHOOK_ROUTES: Record<string, { name: 'webhooks'; scopes: Array<'settings'> }> = {
	'GET webhooks': { name: 'webhooks', scopes: ['settings'] },
	'POST webhooks': { name: 'webhooks', scopes: ['settings'] },
	'DELETE webhooks/:id': { name: 'webhooks', scopes: ['settings'] },
};

const EVENT_KEYS = new Set(['url', 'enabled_events']);

export class MoneybirdWebhooks {
	readonly webhooks: Webhook[] = [];
	readonly pushes: Push[] = [];
	/** Waits before retry 1, 2, … (10 retries); tests shorten them. */
	retryDelaysMs = [1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000];
	// Webhook IDs are unique across sandboxes, as Moneybird's are across administrations.
	private idCounter = 458026357800000000n + BigInt(Math.floor(Math.random() * 1e9)) * 100n;
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly inFlight = new Set<Promise<void>>();

	constructor(private readonly now: () => Date) {}

	/** The route handler: `segments` are the path after the administration (`webhooks`, `webhooks/<id>`). */
	async handle(request: RecordedRequest, administrationId: string, segments: string[]): Promise<ApiResponse> {
		if (request.method === 'GET') {
			return { status: 200, body: this.webhooks.filter((w) => w.administration_id === administrationId).map(listed) };
		}
		if (request.method === 'DELETE') {
			const index = this.webhooks.findIndex((w) => w.id === segments[1] && w.administration_id === administrationId);
			if (index < 0) return { status: 404, body: { error: 'record not found', symbolic: { id: 'not_found' } } };
			this.webhooks.splice(index, 1);
			return { status: 204 };
		}
		return await this.register(request, administrationId);
	}

	private async register(request: RecordedRequest, administrationId: string): Promise<ApiResponse> {
		const body = request.body as Record<string, unknown> | undefined;
		if (!body || typeof body !== 'object' || Array.isArray(body)) return badRequest('Url is required', { url: 'required' });
		if ('events' in body) return badRequest("'events' has been removed from webhooks, use 'enabled_events'", { events: 'removed' });
		const unknown = Object.keys(body).find((key) => !EVENT_KEYS.has(key));
		if (unknown) return badRequest(`Unknown attribute ${unknown}`, { [unknown]: 'unknown_attribute' });
		if (typeof body.url !== 'string' || body.url === '') return badRequest('Url is required', { url: 'required' });
		const events = body.enabled_events ?? [];
		if (!Array.isArray(events) || events.some((event) => typeof event !== 'string')) {
			return badRequest('enabled_events must be a list of event names', { enabled_events: 'invalid' });
		}
		// "Your URL always needs to respond with a 200 HTTP status. Upon registration this is checked."
		const check = await post(body.url, '{}', { 'content-type': 'application/json' });
		if (check.status !== 200) {
			return { status: 422, body: { error: { url: [`did not respond with HTTP 200 (got ${check.status || 'no answer'})`] } } };
		}
		const webhook: Webhook = {
			id: (++this.idCounter).toString(),
			administration_id: administrationId,
			url: body.url,
			enabled_events: events as string[],
			last_http_status: check.status,
			last_http_body: check.body,
			token: randomBytes(12).toString('hex'),
			secret: randomBytes(32).toString('hex'),
			deactivated_at: null,
		};
		this.webhooks.push(webhook);
		return { status: 201, body: { ...listed(webhook), secret: webhook.secret } };
	}

	/** Signs and delivers an event to every webhook of the administration that subscribed to it. */
	deliver(administrationId: string, action: string, entityType: string, entity: Record<string, unknown>, state: string | null): Push[] {
		const subscribed = this.webhooks.filter((w) => w.administration_id === administrationId && subscribes(w, action));
		return subscribed.map((webhook) => {
			const payload = {
				administration_id: administrationId,
				webhook_id: webhook.id,
				webhook_token: webhook.token,
				entity_type: entityType,
				entity_id: String(entity.id),
				state,
				action,
				entity,
			};
			const push: Push = { webhookId: webhook.id, idempotencyKey: randomUUID(), action, body: JSON.stringify(payload), attempts: [], signatures: [] };
			this.pushes.push(push);
			this.attempt(push, 0);
			return push;
		});
	}

	/** Moneybird's events for a payment registered or deleted, with the invoice as it is afterwards. */
	paymentChanged(action: 'payment_registered' | 'payment_destroyed', payment: object, stateBefore: string, invoice: Record<string, unknown>): void {
		const administrationId = String(invoice.administration_id);
		this.deliver(administrationId, action, 'Payment', { ...payment }, null);
		if (invoice.state !== stateBefore) {
			this.deliver(administrationId, `external_sales_invoice_state_changed_to_${String(invoice.state)}`, 'ExternalSalesInvoice', invoice, String(invoice.state));
		}
	}

	/** Sends a push once more, as Moneybird's retry would: same key and body, signed now. Returns the status. */
	async redeliver(push: Push): Promise<number> {
		const webhook = this.webhooks.find((w) => w.id === push.webhookId);
		if (!webhook) throw new Error(`webhook ${push.webhookId} is gone`);
		const status = await this.send(webhook, push);
		push.attempts.push(status);
		return status;
	}

	/**
	 * Posts the push's last attempt again as someone who captured it could: the same body and signature, with
	 * `idempotencyKey` instead of the push's own key (none when undefined). Not counted as an attempt. The status.
	 */
	async replay(push: Push, idempotencyKey: string | undefined): Promise<number> {
		const webhook = this.webhooks.find((w) => w.id === push.webhookId);
		const signature = push.signatures[push.signatures.length - 1];
		if (!webhook || signature === undefined) throw new Error(`push ${push.idempotencyKey} was never sent`);
		const headers: Record<string, string> = { 'content-type': 'application/json', 'moneybird-signature': signature };
		if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
		return (await post(webhook.url, push.body, headers)).status;
	}

	/** Resolves once no delivery or retry is pending. */
	async idle(): Promise<void> {
		while (this.inFlight.size > 0 || this.timers.size > 0) {
			await Promise.all(this.inFlight);
			if (this.timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	/** Drops pending retries (the server is stopping). */
	stop(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	private attempt(push: Push, retry: number): void {
		const webhook = this.webhooks.find((w) => w.id === push.webhookId);
		if (!webhook) return;
		const sent = this.send(webhook, push).then((status) => {
			push.attempts.push(status);
			if (status === 200 || retry >= this.retryDelaysMs.length) return;
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				this.attempt(push, retry + 1);
			}, this.retryDelaysMs[retry]);
			this.timers.add(timer);
		});
		this.inFlight.add(sent);
		void sent.finally(() => this.inFlight.delete(sent));
	}

	private async send(webhook: Webhook, push: Push): Promise<number> {
		const signature = signDelivery(webhook.secret, Math.floor(this.now().getTime() / 1000), push.body);
		push.signatures.push(signature);
		const answer = await post(webhook.url, push.body, {
			'content-type': 'application/json',
			'moneybird-signature': signature,
			'idempotency-key': push.idempotencyKey,
		});
		webhook.last_http_status = answer.status || null;
		webhook.last_http_body = answer.body;
		return answer.status;
	}
}

/** A webhook as GET and create show it: the secret only at creation. */
function listed(webhook: Webhook): Omit<Webhook, 'secret'> {
	const shown: Partial<Webhook> = { ...webhook };
	delete shown.secret;
	return shown as Omit<Webhook, 'secret'>;
}

/** An event matches an enabled event equal to it or a group it starts with; none enabled: sales invoice state changes. */
function subscribes(webhook: Webhook, action: string): boolean {
	const enabled = webhook.enabled_events.length > 0 ? webhook.enabled_events : ['sales_invoice_state_changed'];
	return enabled.some((event) => action.startsWith(event));
}

function badRequest(message: string, symbolic: Record<string, string>): ApiResponse {
	return { status: 400, body: { error: message, symbolic } };
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string | null }> {
	try {
		const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(10_000) });
		return { status: response.status, body: (await response.text()).slice(0, 500) };
	} catch {
		return { status: 0, body: null };
	}
}
