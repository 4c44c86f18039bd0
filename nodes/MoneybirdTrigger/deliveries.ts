/*
 * Moneybird retries a delivery that was not answered 200 up to ten times, each with the push's own
 * `Idempotency-Key` header (developer.moneybird.com/webhooks/getting-started). The keys of the deliveries that
 * started the workflow are kept in the workflow's static data for a bounded time and number, so a retry or a
 * redelivery of a push already handled starts nothing.
 */

/** How long a handled key is remembered: Moneybird's ten retries are spread over a shorter time (unconfirmed). */
export const DEDUPE_WINDOW_SECONDS = 3 * 24 * 60 * 60;

/** At most this many keys are kept; the oldest go first. */
export const DEDUPE_MAX_KEYS = 500;

/** Key → when it started the workflow (unix seconds). */
export type SeenDeliveries = Record<string, number>;

/** The keys still within the window, at most the newest `DEDUPE_MAX_KEYS`. */
export function pruned(seen: SeenDeliveries | undefined, nowSeconds: number): SeenDeliveries {
	const kept = Object.entries(seen ?? {})
		.filter(([, at]) => typeof at === 'number' && nowSeconds - at < DEDUPE_WINDOW_SECONDS)
		.sort(([, a], [, b]) => b - a)
		.slice(0, DEDUPE_MAX_KEYS);
	return Object.fromEntries(kept);
}

export function alreadyHandled(seen: SeenDeliveries | undefined, key: string, nowSeconds: number): boolean {
	return key in pruned(seen, nowSeconds);
}

/** The window with `key` added (a new object, so n8n notices the change and saves the static data). */
export function withHandled(seen: SeenDeliveries | undefined, key: string, nowSeconds: number): SeenDeliveries {
	return pruned({ ...seen, [key]: nowSeconds }, nowSeconds);
}
