import { MAX_SIGNATURE_AGE_SECONDS } from './signature';

/*
 * A delivery starts the workflow once. It is a duplicate when either of two marks was already accepted:
 * - the digest of what its signature covers (`<t>.<raw body>`): a captured delivery posted again while its
 *   signature is still accepted, with another `Idempotency-Key` or none (the header is not signed);
 * - its `Idempotency-Key`: Moneybird retries a push not answered 200 up to ten times with the push's own key
 *   (developer.moneybird.com/webhooks/getting-started), and may sign a retry anew, so its digest differs.
 * Both are kept in the workflow's static data (which outlasts a restart) and in this process's memory (below).
 */

/** How long a handled key is remembered: Moneybird's ten retries are spread over a shorter time (unconfirmed). */
export const DEDUPE_WINDOW_SECONDS = 3 * 24 * 60 * 60;

/** At most this many keys are kept; the oldest go first. */
export const DEDUPE_MAX_KEYS = 500;

/**
 * How long after its signed time `t` a digest is remembered: a signature is accepted up to 5 minutes either side of
 * the clock; 5 more minutes cover this machine's clock being set back.
 */
export const SIGNED_WINDOW_SECONDS = MAX_SIGNATURE_AGE_SECONDS + 300;

/** At most this many digests are kept in static data, the newest `t` first (only a flood reaches it). */
export const DEDUPE_MAX_SIGNED = 5000;

/** At most this many digests are claimed in this process; beyond it deliveries are turned away, not let through twice. */
export const MAX_CLAIMED_SIGNED = DEDUPE_MAX_SIGNED * 10;

/** Key → when it started the workflow (unix seconds); or, for digests, digest → the delivery's signed `t`. */
export type SeenDeliveries = Record<string, number>;

/** The two marks of a verified delivery. */
export interface DeliveryMarks {
	key?: string;
	digest: string;
	signedAt: number;
}

/** The keys still within the window, at most the newest `DEDUPE_MAX_KEYS`. */
export function pruned(seen: SeenDeliveries | undefined, nowSeconds: number): SeenDeliveries {
	return newest(seen, (at) => nowSeconds - at < DEDUPE_WINDOW_SECONDS, DEDUPE_MAX_KEYS);
}

export function alreadyHandled(seen: SeenDeliveries | undefined, key: string, nowSeconds: number): boolean {
	return key in pruned(seen, nowSeconds);
}

/** The window with `key` added (a new object, so n8n notices the change and saves the static data). */
export function withHandled(seen: SeenDeliveries | undefined, key: string, nowSeconds: number): SeenDeliveries {
	return pruned({ ...seen, [key]: nowSeconds }, nowSeconds);
}

/** The digests whose signature could still be accepted (plus the margin), at most the newest `DEDUPE_MAX_SIGNED`. */
export function prunedSigned(seen: SeenDeliveries | undefined, nowSeconds: number): SeenDeliveries {
	return newest(seen, (signedAt) => nowSeconds - signedAt < SIGNED_WINDOW_SECONDS, DEDUPE_MAX_SIGNED);
}

export function alreadySigned(seen: SeenDeliveries | undefined, digest: string, nowSeconds: number): boolean {
	return digest in prunedSigned(seen, nowSeconds);
}

export function withSigned(seen: SeenDeliveries | undefined, digest: string, signedAt: number, nowSeconds: number): SeenDeliveries {
	return prunedSigned({ ...seen, [digest]: signedAt }, nowSeconds);
}

function newest(seen: SeenDeliveries | undefined, keep: (at: number) => boolean, max: number): SeenDeliveries {
	const kept = Object.entries(seen ?? {})
		.filter(([, at]) => typeof at === 'number' && keep(at))
		.sort(([, a], [, b]) => b - a)
		.slice(0, max);
	return Object.fromEntries(kept);
}

/** Claim → when it expires (unix seconds), in insertion order. */
class Claims {
	private readonly expiries = new Map<string, number>();

	has(claim: string, nowSeconds: number): boolean {
		const expires = this.expiries.get(claim);
		return expires !== undefined && expires > nowSeconds;
	}

	/** Drops the expired claims; `all`: not only those before the first one still valid. */
	sweep(nowSeconds: number, all = false): void {
		for (const [claim, expires] of this.expiries) {
			if (expires > nowSeconds && !all) break;
			if (expires <= nowSeconds) this.expiries.delete(claim);
		}
	}

	get size(): number {
		return this.expiries.size;
	}

	add(claim: string, expires: number): void {
		this.expiries.delete(claim);
		this.expiries.set(claim, expires);
	}

	delete(claim: string): void {
		this.expiries.delete(claim);
	}

	dropOldest(): void {
		const [oldest] = this.expiries.keys();
		if (oldest !== undefined) this.expiries.delete(oldest);
	}
}

/*
 * n8n loads a workflow's static data for each webhook call and saves it whole afterwards, so of two deliveries
 * handled at the same time neither sees the other's marks there. The marks are therefore also claimed in this
 * process's memory, where checking and claiming happen without a pause between them. With several webhook
 * processes (queue mode), each keeps its own memory.
 */
const claimedKeys = new Claims();
const claimedSigned = new Claims();

const keyClaim = (webhookId: string, key: string) => `${webhookId} ${key}`;

export type ClaimResult = 'claimed' | 'duplicate' | 'full';

/**
 * Claims both marks of a delivery to webhook `webhookId` in this process. `duplicate` when either is already
 * claimed (or `seenBefore`, found in static data); its digest is then claimed too, so a captured copy of a
 * Moneybird retry (a duplicate by its key only) finds it when replayed with another key. `full` when no more
 * digests can be held: the delivery is turned away (Moneybird retries it) rather than a replay let through.
 */
export function claimInProcess(webhookId: string, marks: DeliveryMarks, nowSeconds: number, seenBefore = false): ClaimResult {
	claimedKeys.sweep(nowSeconds);
	claimedSigned.sweep(nowSeconds);
	const signed = keyClaim(webhookId, marks.digest);
	if (claimedSigned.size >= MAX_CLAIMED_SIGNED) claimedSigned.sweep(nowSeconds, true);
	const room = claimedSigned.size < MAX_CLAIMED_SIGNED;
	const duplicate =
		seenBefore || claimedSigned.has(signed, nowSeconds) || (marks.key !== undefined && claimedKeys.has(keyClaim(webhookId, marks.key), nowSeconds));
	// Only signed content is recorded for a duplicate: a key is the sender's to choose, a digest is Moneybird's.
	if (room) claimedSigned.add(signed, marks.signedAt + SIGNED_WINDOW_SECONDS);
	if (duplicate) return 'duplicate';
	if (!room) return 'full';
	if (marks.key !== undefined) {
		// Bounded as the digests are not: a key lost this way lets through only a Moneybird retry days old.
		if (claimedKeys.size >= DEDUPE_MAX_KEYS * 20) claimedKeys.dropOldest();
		claimedKeys.add(keyClaim(webhookId, marks.key), nowSeconds + DEDUPE_WINDOW_SECONDS);
	}
	return 'claimed';
}

/** Gives both claims back when the delivery did not start the workflow after all, so Moneybird's retry can. */
export function releaseInProcess(webhookId: string, marks: DeliveryMarks): void {
	claimedSigned.delete(keyClaim(webhookId, marks.digest));
	if (marks.key !== undefined) claimedKeys.delete(keyClaim(webhookId, marks.key));
}
