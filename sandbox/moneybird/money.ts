/** Money as integer cents in BigInt, never floats, and Moneybird's decimal text for it. */

/** The `money` schema's text form. */
export const MONEY_PATTERN = /^-?[0-9]+[,.]?[0-9]*$/;

/** Decimal text (`121`, `121.0`, `10,95`, `1.5e2`) → cents, rounded half away from zero; undefined if not a number. */
export function toCents(text: string): bigint | undefined {
	const m = /^(-?)(\d+)(?:[.,](\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
	if (!m) return undefined;
	const [, sign, whole, fraction = '', exponent = '0'] = m;
	const digits = BigInt(whole + fraction);
	const shift = Number(exponent) - fraction.length + 2;
	let cents: bigint;
	if (digits === 0n) cents = 0n;
	else if (shift >= 0) cents = digits * 10n ** BigInt(Math.min(shift, 40));
	else if (-shift > whole.length + fraction.length + 1) cents = 0n;
	else {
		const divisor = 10n ** BigInt(-shift);
		cents = (digits * 2n + divisor) / (2n * divisor);
	}
	return sign ? -cents : cents;
}

/** Cents → Moneybird's decimal text: `121.0`, `10.5`, `10.95`, `-3.0`. */
export function formatCents(cents: bigint): string {
	const sign = cents < 0n ? '-' : '';
	const a = abs(cents);
	const fraction = (a % 100n).toString().padStart(2, '0').replace(/0$/, '');
	return `${sign}${a / 100n}.${fraction}`;
}

export function requireCents(text: string): bigint {
	const cents = toCents(text);
	if (cents === undefined) throw new Error(`not an amount: ${text}`);
	return cents;
}

function abs(n: bigint): bigint {
	return n < 0n ? -n : n;
}
