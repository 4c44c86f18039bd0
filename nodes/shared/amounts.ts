import { InvalidValue } from './validation';

/**
 * Money amounts are read as decimal text and held as whole cents (bigint), never as floating point.
 *
 * Which character separates decimals is the node's Amount Format option, never guessed per row:
 * - `auto`: one `.` or `,` is the decimal separator (`1234.5`, `1234,50`); thousands separators are refused,
 *   so `1,234` reads as 1.234 and is refused for having more decimals than cents instead of becoming 1234.
 * - `pointDecimal`: `1,234.56`; commas only between groups of three digits.
 * - `commaDecimal`: `1.234,56`; points only between groups of three digits.
 */
export type AmountFormat = 'auto' | 'pointDecimal' | 'commaDecimal';

export interface Amount {
	/** The amount in cents (base units of a two-decimal currency). */
	cents: bigint;
	/** The amount as plain decimal text with two decimals and a point, e.g. `-1234.50`. */
	text: string;
}

export interface AmountRules {
	format: AmountFormat;
	/** Smallest allowed amount in cents (inclusive). */
	minCents: bigint;
	/** Largest allowed amount in cents (inclusive). */
	maxCents: bigint;
}

/** Thrown for an amount that cannot be read exactly; the message says why, in words a user can act on. */
export class AmountError extends InvalidValue {}

const GROUPED = {
	pointDecimal: { decimal: '.', thousands: ',' },
	commaDecimal: { decimal: ',', thousands: '.' },
} as const;

export function parseAmount(value: unknown, rules: AmountRules): Amount {
	const text = amountText(value);
	const match = /^([+-]?)(.*)$/.exec(text)!;
	const negative = match[1] === '-';
	const [whole, fraction] = splitDecimal(match[2], rules.format);

	if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) {
		throw new AmountError(`"${text}" is not an amount`);
	}
	const significantFraction = fraction.replace(/0+$/, '');
	if (significantFraction.length > 2) {
		throw new AmountError(
			`"${text}" has more decimals than cents; round it before it reaches this node` +
				(rules.format === 'auto' && fraction.length === 3
					? ' (if the separator is a thousands separator, set the Amount Format option)'
					: ''),
		);
	}

	const magnitude = BigInt(whole) * 100n + BigInt(significantFraction.padEnd(2, '0'));
	const cents = negative ? -magnitude : magnitude;
	if (cents < rules.minCents) {
		throw new AmountError(`${formatCents(cents)} is below the lowest allowed amount, ${formatCents(rules.minCents)}`);
	}
	if (cents > rules.maxCents) {
		throw new AmountError(`${formatCents(cents)} is above the highest allowed amount, ${formatCents(rules.maxCents)}`);
	}
	return { cents, text: formatCents(cents) };
}

export function formatCents(cents: bigint): string {
	const sign = cents < 0n ? '-' : '';
	const magnitude = cents < 0n ? -cents : cents;
	return `${sign}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, '0')}`;
}

function amountText(value: unknown): string {
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new AmountError(`${value} is not an amount`);
		// The shortest text that reads back as this number: what was typed, for any amount a person types.
		// Exponent forms (1e-7, 1e+21) are refused below as not being plain amounts.
		return String(value);
	}
	if (typeof value === 'bigint') return value.toString();
	if (typeof value !== 'string') {
		throw new AmountError(`expected an amount as a number or text, got ${describeType(value)}`);
	}
	const trimmed = value.trim();
	if (trimmed === '') throw new AmountError('the amount is empty');
	return trimmed;
}

function splitDecimal(unsigned: string, format: AmountFormat): [string, string] {
	if (format === 'auto') {
		const separators = unsigned.match(/[.,]/g) ?? [];
		if (separators.length > 1) {
			throw new AmountError(
				`"${unsigned}" has more than one separator; with thousands separators set the Amount Format option`,
			);
		}
		const [whole, fraction = ''] = unsigned.split(/[.,]/);
		if (separators.length === 1 && fraction === '') throw new AmountError(`"${unsigned}" is not an amount`);
		return [whole, fraction];
	}

	const { decimal, thousands } = GROUPED[format];
	const parts = unsigned.split(decimal);
	if (parts.length > 2) throw new AmountError(`"${unsigned}" has more than one decimal separator "${decimal}"`);
	const [grouped, fraction = ''] = parts;
	if (parts.length === 2 && fraction === '') throw new AmountError(`"${unsigned}" is not an amount`);
	if (grouped.includes(thousands) && !new RegExp(`^\\d{1,3}(\\${thousands}\\d{3})+$`).test(grouped)) {
		throw new AmountError(`"${unsigned}" has thousands separators "${thousands}" in the wrong places`);
	}
	return [grouped.split(thousands).join(''), fraction];
}

function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : typeof value;
}
