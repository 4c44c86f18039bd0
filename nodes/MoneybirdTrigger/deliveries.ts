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

/*
 * n8n loads a workflow's static data for each webhook call and saves it whole afterwards, so two deliveries
 * handled at the same time each save their own copy and one key is lost. The keys are therefore also kept in this
 * process's memory, where checking and claiming a key happen without a pause between them. Static data still
 * covers a restart; with several webhook processes (queue mode), each keeps its own memory.
 */
const claimed = new Map<string, number>();

/** Claims `key` of webhook `webhookId` in this process; false when it is already claimed within the window. */
export function claimInProcess(webhookId: string, key: string, nowSeconds: number): boolean {
	for (const [claim, at] of claimed) {
		if (nowSeconds - at < DEDUPE_WINDOW_SECONDS && claimed.size <= DEDUPE_MAX_KEYS * 20) break;
		claimed.delete(claim);
	}
	const claim = `${webhookId} ${key}`;
	const at = claimed.get(claim);
	if (at !== undefined && nowSeconds - at < DEDUPE_WINDOW_SECONDS) return false;
	claimed.set(claim, nowSeconds);
	return true;
}

/** Gives a claim back when the delivery did not start the workflow after all, so Moneybird's retry can. */
export function releaseInProcess(webhookId: string, key: string): void {
	claimed.delete(`${webhookId} ${key}`);
}
