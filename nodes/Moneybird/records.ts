import { parseAmount } from '../shared/amounts';
import type { Amount } from '../shared/amounts';
import type { IdRules } from '../shared/validation';

/* Moneybird's records as the node meets them: IDs, amounts, request paths and web links. */

/** Moneybird IDs are 18-digit numbers, beyond JavaScript's safe integers: they stay strings end to end. */
export const MONEYBIRD_ID: IdRules = { maxDigits: 18 };

/** Moneybird's web app, for links to the records a node shows or names. */
export const WEB_APP = 'https://moneybird.com';

/** The `money` schema's range: ±1,000,000,000 in currency units, as cents. */
export const MAX_MONEY_CENTS = 100_000_000_000n;

/** The IDs in a request path such as `/{administration}/external_sales_invoices/{invoice}/payments/{id}.json`. */
export interface PathIds {
	administration?: string;
	invoice?: string;
	payment?: string;
}

export function pathIds(url: string | undefined): PathIds {
	const match = /^\/?(\d+)(?:\/external_sales_invoices(?:\/(\d+)(?:\/payments(?:\/(\d+))?)?)?)?(?:[/.?]|$)/.exec(url ?? '');
	return { administration: match?.[1], invoice: match?.[2], payment: match?.[3] };
}

export function invoiceWebUrl(administration: string, invoice: string): string {
	return `${WEB_APP}/${administration}/external_sales_invoices/${invoice}`;
}

/**
 * An amount as Moneybird writes it (`121.0`, `"10,95"`, 121, `0.0` when nothing is open), read exactly, or
 * undefined when it is not one. Moneybird never groups thousands, so its one `.` or `,` is always decimal.
 */
export function moneyOf(value: unknown): Amount | undefined {
	try {
		return parseAmount(value, { format: 'plain', minCents: -MAX_MONEY_CENTS, maxCents: MAX_MONEY_CENTS, allowZero: true });
	} catch {
		return undefined;
	}
}

/** An amount as Moneybird writes it, in cents, or undefined when it is not one. */
export function centsOf(value: unknown): bigint | undefined {
	return moneyOf(value)?.cents;
}
