import { createHash, createHmac, timingSafeEqual } from 'crypto';

/*
 * Moneybird signs each delivery (developer.moneybird.com/webhooks/verifying-signatures): the header
 * `Moneybird-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` holds the time of signing and one or more
 * signatures (more than one while a secret is being rotated), each over `<t>.<raw body>` with the webhook's secret.
 */

/** Deliveries signed longer ago than this (or this far ahead of this machine's clock) are refused as replays. */
export const MAX_SIGNATURE_AGE_SECONDS = 300;

export type SignatureVerdict = { valid: true; timestamp: number } | { valid: false; reason: string };

interface ParsedSignature {
	timestamp: number;
	signatures: string[];
}

/** The header's `t` and every `v1`; other schemes are ignored, so a delivery cannot be downgraded to one. */
export function parseSignatureHeader(header: string): ParsedSignature | undefined {
	let timestamp: number | undefined;
	const signatures: string[] = [];
	for (const part of header.split(',')) {
		const separator = part.indexOf('=');
		if (separator < 0) continue;
		const key = part.slice(0, separator).trim();
		const value = part.slice(separator + 1).trim();
		if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
		if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
	}
	return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

/** The hex HMAC-SHA256 Moneybird computes: over `<t>.` and then the body's bytes exactly as they arrived. */
export function signatureOf(secret: string, timestamp: number, rawBody: Buffer | string): string {
	return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Whether `header` is a fresh, valid signature of `rawBody` with `secret`: some `v1` equal (compared in constant
 * time) and `t` within five minutes of `nowSeconds`.
 */
export function verifySignature(header: unknown, rawBody: Buffer | string, secret: string, nowSeconds: number): SignatureVerdict {
	if (typeof header !== 'string' || header.trim() === '') return { valid: false, reason: 'The delivery has no Moneybird-Signature header' };
	const parsed = parseSignatureHeader(header);
	if (!parsed) return { valid: false, reason: 'The Moneybird-Signature header has no timestamp or no v1 signature' };
	if (Math.abs(nowSeconds - parsed.timestamp) > MAX_SIGNATURE_AGE_SECONDS) {
		return { valid: false, reason: `The delivery was signed ${nowSeconds - parsed.timestamp} seconds ago; at most ${MAX_SIGNATURE_AGE_SECONDS} are accepted` };
	}
	const expected = Buffer.from(signatureOf(secret, parsed.timestamp, rawBody), 'hex');
	const matches = parsed.signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
	return matches ? { valid: true, timestamp: parsed.timestamp } : { valid: false, reason: 'No signature in the Moneybird-Signature header matches the webhook secret' };
}

/**
 * SHA-256 of exactly what the signature covers (`<t>.<raw body>`): equal for a captured delivery posted again,
 * whatever its unsigned headers, and kept instead of the body itself.
 */
export function signedDigest(timestamp: number, rawBody: Buffer | string): string {
	return createHash('sha256').update(`${timestamp}.`).update(rawBody).digest('hex');
}
