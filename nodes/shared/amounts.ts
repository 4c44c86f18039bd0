import { InvalidValue } from './validation';

/**
 * Money amounts are read as decimal text and held as whole cents (bigint), never as floating point. An amount
 * is read as exactly the value meant, or refused: never as another value.
 *
 * Which character separates decimals is the node's Amount Format option, never guessed per row:
 * - `auto`: digits with at most one `.` or `,`, which is the decimal separator (`1234.5`, `1234,50`). A separator
 *   followed by exactly three digits (`1,000`, `2.500`, `-12,300`, `0.001`) is refused: it reads as thousands in
 *   one locale and as decimals in another, and trailing zeros do not tell which. Any thousands separator (a second
 *   `.` or `,`, a space, an apostrophe) is refused too.
 * - `pointDecimal`: `1,234.56`; `commaDecimal`: `1.234,56`. The decimal separator is the one named; thousands
 *   separators (see GROUPED) only between groups of three digits after a first group of one to three, one kind
 *   per amount.
 * Decimals beyond cents must be zeros (`1.5000` under Auto, `1.500` under Point Decimal are 1.50): the decimal
 * separator is then known. Other digits beyond cents are refused, never rounded.
 * A number (typed, or mapped from JSON) is read as its plain value under every format: it carries no separators.
 */
export type AmountFormat = 'auto' | 'pointDecimal' | 'commaDecimal';

/** The Amount Format option's names in the panel, which refusals name too. */
export const AMOUNT_FORMAT_NAMES: Record<AmountFormat, string> = {
	auto: 'Auto (1234.50 or 1234,50)',
	pointDecimal: 'Point Decimal (1,234.50)',
	commaDecimal: 'Comma Decimal (1.234,50)',
};

export interface Amount {
	/** The amount in cents (base units of a two-decimal currency). */
	cents: bigint;
	/** The amount as plain decimal text with two decimals and a point, e.g. `-1234.50`. */
	text: string;
}

export interface AmountRules {
	/**
	 * The node's Amount Format, or `plain` for amounts an API wrote (`121.0`, `10,95`): one `.` or `,` is always
	 * the decimal separator, as APIs never group thousands.
	 */
	format: AmountFormat | 'plain';
	/** Smallest allowed amount in cents (inclusive). */
	minCents: bigint;
	/** Largest allowed amount in cents (inclusive). */
	maxCents: bigint;
	/** Whether zero is an amount here. Off by default: a payment of zero records nothing, so it is a mistake. */
	allowZero?: boolean;
}

/** Thrown for an amount that cannot be read exactly; the message says why, in words a user can act on. */
export class AmountError extends InvalidValue {}

/** Spaces that sheets and locales put between groups of digits (fr-FR uses U+202F, others U+00A0 or U+2009). */
const SPACES = [' ', '\u00a0', '\u202f', '\u2009'];

/**
 * The explicit formats' decimal separator and the thousands separators each accepts. Apostrophes (de-CH) go with
 * a decimal point only, as in the locales that use them.
 */
const GROUPED = {
	pointDecimal: { decimal: '.', thousands: [',', ...SPACES, "'", '\u2019'] },
	commaDecimal: { decimal: ',', thousands: ['.', ...SPACES] },
} as const;

/** Any character some locale puts between groups of digits. */
const ANY_THOUSANDS = new Set<string>([',', '.', ...SPACES, "'", '\u2019']);

export function parseAmount(value: unknown, rules: AmountRules): Amount {
	const text = amountText(value);
	// A number carries no separators of a locale: its text (`1234.5`) is read as it is under every format.
	const format = typeof value === 'string' ? rules.format : 'plain';
	// U+2212 is the minus sign some locales write (sv-SE, and Intl's output for them).
	const match = /^([+\-\u2212]?)(.*)$/s.exec(text)!;
	const negative = match[1] !== '' && match[1] !== '+';
	const [whole, fraction] = splitDecimal(text, match[2], format);

	if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) throw new AmountError(`"${text}" is not an amount`);
	if (/[^0]/.test(fraction.slice(2))) {
		throw new AmountError(`"${text}" has more decimals than cents; round it before it reaches this node`);
	}

	const magnitude = BigInt(whole) * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0'));
	const cents = negative ? -magnitude : magnitude;
	if (cents === 0n && !rules.allowZero) {
		throw new AmountError(`"${text}" is zero; a payment of zero records nothing, so leave that row out`);
	}
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

/** The unsigned amount's whole and decimal digits as written, or an AmountError saying why it cannot be read. */
function splitDecimal(text: string, unsigned: string, format: AmountFormat | 'plain'): [string, string] {
	if (format === 'pointDecimal' || format === 'commaDecimal') return splitGrouped(text, unsigned, format);

	const separators: string[] = unsigned.match(/[.,]/g) ?? [];
	if (format === 'auto' && /\d[^\d.,]+\d/.test(unsigned) && [...unsigned].every((c) => /\d/.test(c) || ANY_THOUSANDS.has(c))) {
		throw new AmountError(`"${text}" has thousands separators, which Auto does not read; ${autoHint(separators)}`);
	}
	if (separators.length > 1) {
		throw new AmountError(
			format === 'auto'
				? `"${text}" has more than one separator, which Auto does not read; ${autoHint(separators)}`
				: `"${text}" is not an amount`,
		);
	}
	const [whole, fraction = ''] = unsigned.split(/[.,]/);
	if (separators.length === 1 && (whole === '' || fraction === '')) throw new AmountError(`"${text}" is not an amount`);
	// `1,000` is one thousand where a comma groups thousands, and one where it is the decimal comma; the trailing
	// zeros do not tell which, so Auto refuses any three digits after its one separator.
	if (format === 'auto' && /^\d+$/.test(whole) && /^\d{3}$/.test(fraction)) {
		const separator = separators[0];
		const sign = /^[-\u2212]/.test(text) ? '-' : '';
		const asDecimals = /0$/.test(fraction) ? formatCents(BigInt(whole + fraction) / 10n) : `${whole}.${fraction}`;
		const decimalChoice = /0$/.test(fraction)
			? `choose ${quoted(separator === '.' ? 'pointDecimal' : 'commaDecimal')}`
			: 'round the amount to cents';
		const thousandsFormat = quoted(separator === '.' ? 'commaDecimal' : 'pointDecimal');
		throw new AmountError(
			/^\d{1,3}$/.test(whole)
				? `"${text}" could be ${sign}${formatCents(BigInt(whole + fraction) * 100n)} or ${sign}${asDecimals}, so Auto ` +
						`does not read it: if "${separator}" separates thousands choose the Amount Format ${thousandsFormat}, ` +
						`or if it separates decimals ${decimalChoice}`
				: `"${text}" has three digits after "${separator}", which Auto does not read, as they could be thousands: ` +
						`if "${separator}" separates decimals ${decimalChoice.replace(/^choose/, 'choose the Amount Format')}`,
		);
	}
	return [whole, fraction];
}

function splitGrouped(text: string, unsigned: string, format: 'pointDecimal' | 'commaDecimal'): [string, string] {
	const { decimal, thousands } = GROUPED[format];
	const parts = unsigned.split(decimal);
	if (parts.length > 2) {
		throw new AmountError(
			`"${text}" has more than one decimal separator "${decimal}"` +
				(thousands.some((c) => unsigned.includes(c)) ? '' : `; if "${decimal}" separates thousands choose the Amount Format ${quoted(other(format))}`),
		);
	}
	const [grouped, fraction = ''] = parts;
	if (parts.length === 2 && (grouped === '' || fraction === '')) throw new AmountError(`"${text}" is not an amount`);
	if ([...fraction].some((c) => ANY_THOUSANDS.has(c))) {
		throw new AmountError(
			`"${text}" has a separator after the decimal separator "${decimal}"` +
				(fraction.includes(GROUPED[other(format)].decimal)
					? `; if "${decimal}" separates thousands choose the Amount Format ${quoted(other(format))}`
					: ''),
		);
	}
	const used = new Set([...grouped].filter((c) => !/\d/.test(c)));
	if (used.size === 0) return [grouped, fraction];
	const [separator] = used;
	const groupedRight = new RegExp(`^\\d{1,3}(?:${escape(separator)}\\d{3})+$`);
	if (used.size === 1 && (thousands as readonly string[]).includes(separator) && groupedRight.test(grouped)) {
		return [grouped.split(separator).join(''), fraction];
	}
	if (used.size === 1 && ANY_THOUSANDS.has(separator) && !(thousands as readonly string[]).includes(separator)) {
		throw new AmountError(`"${text}" has ${separatorName(separator)} between digits, which ${quoted(format)} does not take`);
	}
	if ([...used].every((c) => ANY_THOUSANDS.has(c))) {
		// A lone `,` under Point Decimal (or `.` under Comma Decimal), with no decimal separator, may be decimal.
		const otherDecimal = GROUPED[other(format)].decimal;
		const hint =
			parts.length === 1 && grouped.split(otherDecimal).length === 2
				? `; if "${otherDecimal}" separates decimals choose the Amount Format ${quoted(other(format))}`
				: '';
		throw new AmountError(
			used.size > 1
				? `"${text}" mixes thousands separators (${[...used].map(separatorName).join(' and ')})${hint}`
				: `"${text}" has thousands separators ${shownSeparator(separator)} in the wrong places${hint}`,
		);
	}
	throw new AmountError(`"${text}" is not an amount`);
}

/** Which Amount Format reads an amount with thousands separators, when its `.` and `,` tell. */
function autoHint(separators: string[]): string {
	const last = separators[separators.length - 1];
	if (last === undefined) return `choose the Amount Format ${quoted('pointDecimal')} or ${quoted('commaDecimal')}`;
	const before = separators.slice(0, -1);
	// `1,234.50`: one decimal separator last, after thousands separators of the other kind.
	if (before.every((c) => c !== last)) {
		return `choose the Amount Format ${quoted(last === '.' ? 'pointDecimal' : 'commaDecimal')}`;
	}
	// `1.234.567`: the same separator more than once can only separate thousands.
	if (separators.every((c) => c === last)) {
		return `choose the Amount Format ${quoted(last === '.' ? 'commaDecimal' : 'pointDecimal')}`;
	}
	return `choose the Amount Format ${quoted('pointDecimal')} or ${quoted('commaDecimal')} that matches how it is written`;
}

const other = (format: 'pointDecimal' | 'commaDecimal') => (format === 'pointDecimal' ? 'commaDecimal' : 'pointDecimal');

const quoted = (format: AmountFormat) => `"${AMOUNT_FORMAT_NAMES[format]}"`;

function separatorName(c: string): string {
	const names: Record<string, string> = { ' ': 'spaces', '\u00a0': 'no-break spaces', '\u202f': 'narrow no-break spaces', '\u2009': 'thin spaces' };
	return names[c] ?? `"${c}"`;
}

/** `","` as it is; spaces, which cannot be seen, by name: `(narrow no-break spaces)`. */
function shownSeparator(c: string): string {
	const name = separatorName(c);
	return name.startsWith('"') ? name : `(${name})`;
}

function escape(c: string): string {
	return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : typeof value;
}
