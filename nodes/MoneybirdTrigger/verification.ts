import type { IDataObject } from 'n8n-workflow';

import { headerValue } from '../shared/headers';
import type { Delivery } from './events';
import { idText } from './events';
import type { Registration } from './registration';
import { signedDigest, verifySignature } from './signature';

/*
 * What a request to the trigger's URL is, decided before anything runs:
 * - Moneybird's check of the URL while the webhook is being registered (nothing registered yet, or an unsigned
 *   request that carries no event): answered 200, starts nothing;
 * - a delivery that fails verification (signature, age, webhook, administration, token): refused, starts nothing;
 * - a verified delivery.
 */
export type Verdict =
	| { kind: 'urlCheck' }
	| { kind: 'refused'; status: number; reason: string }
	| { kind: 'verified'; delivery: Delivery; signed: SignedContent };

/** What the verified signature covers: its time `t` and the digest of `<t>.<raw body>`. */
export interface SignedContent {
	timestamp: number;
	digest: string;
}

function parsed(rawBody: Buffer | string): Delivery | undefined {
	try {
		const body = JSON.parse(rawBody.toString()) as unknown;
		return body && typeof body === 'object' && !Array.isArray(body) ? (body as Delivery) : undefined;
	} catch {
		return undefined;
	}
}

export function verifyDelivery(
	registration: Registration | undefined,
	headers: IDataObject,
	rawBody: Buffer | string | undefined,
	nowSeconds: number,
): Verdict {
	const signature = headerValue(headers, 'Moneybird-Signature');
	const body = rawBody === undefined || rawBody.length === 0 ? undefined : parsed(rawBody);
	const carriesEvent = body !== undefined && (body.action !== undefined || body.webhook_id !== undefined);
	// While Moneybird checks the URL at registration, the secret is not known yet: nothing can be verified.
	if (!registration) return { kind: 'urlCheck' };
	if (signature === undefined && !carriesEvent) return { kind: 'urlCheck' };

	if (rawBody === undefined) return { kind: 'refused', status: 400, reason: 'The delivery has no body to verify' };
	const verdict = verifySignature(signature, rawBody, registration.secret, nowSeconds);
	if (!verdict.valid) return { kind: 'refused', status: 401, reason: verdict.reason };
	if (!body) return { kind: 'refused', status: 400, reason: 'The delivery is not a JSON object' };
	if (idText(body.webhook_id) !== registration.id) {
		return { kind: 'refused', status: 403, reason: `The delivery is for webhook ${String(body.webhook_id)}, not this trigger's webhook ${registration.id}` };
	}
	if (idText(body.administration_id) !== registration.administration) {
		return { kind: 'refused', status: 403, reason: `The delivery is for administration ${String(body.administration_id)}, not ${registration.administration}` };
	}
	if (registration.token !== '' && body.webhook_token !== undefined && body.webhook_token !== registration.token) {
		return { kind: 'refused', status: 403, reason: "The delivery's webhook token does not match this trigger's webhook" };
	}
	if (typeof body.action !== 'string') return { kind: 'refused', status: 400, reason: 'The delivery names no event (action)' };
	return { kind: 'verified', delivery: body, signed: { timestamp: verdict.timestamp, digest: signedDigest(verdict.timestamp, rawBody) } };
}

export function idempotencyKeyOf(headers: IDataObject): string | undefined {
	const key = headerValue(headers, 'Idempotency-Key');
	return key ? key.slice(0, 200) : undefined;
}
