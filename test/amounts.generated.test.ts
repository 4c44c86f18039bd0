/*
 * Generated amounts: every amount from 0.01 to 999,999,999.99 may be written the ways sheets and people write it,
 * and each writing is read under every Amount Format. Whatever the format, the result is the amount meant or a
 * refusal, never another value, with one exception that is the point of choosing a format: a lone `.` or `,`
 * followed by three digits is read the way the chosen format says (`1,000` is 1.00 under Comma Decimal). Auto
 * refuses exactly those, so under Auto nothing can come out as another value.
 *
 * AMOUNTS_SEED=<n> repeats a run; without it each run draws a seed, printed with any failure.
 */
import { AmountError, formatCents, parseAmount } from '../nodes/shared/amounts';
import type { AmountFormat, AmountRules } from '../nodes/shared/amounts';
import { seeded } from './harness/seeded';

const FORMATS: AmountFormat[] = ['auto', 'pointDecimal', 'commaDecimal'];
const MAX_CENTS = 100_000_000_000n;
/** Moneybird's rules: negative amounts allowed, zero refused. */
const rulesFor = (format: AmountFormat): AmountRules => ({ format, minCents: -MAX_CENTS, maxCents: MAX_CENTS });
const CASES = 100_000;

/** How a locale writes amounts: its decimal separator, its thousands separators, and the format meant to read it. */
interface Style {
	name: string;
	decimal: '.' | ',';
	thousands: string[];
	format: Exclude<AmountFormat, 'auto'>;
}

const STYLES: Style[] = [
	{ name: 'en-US', decimal: '.', thousands: [','], format: 'pointDecimal' },
	{ name: 'en-GB', decimal: '.', thousands: [','], format: 'pointDecimal' },
	{ name: 'nl-NL', decimal: ',', thousands: ['.'], format: 'commaDecimal' },
	{ name: 'de-DE', decimal: ',', thousands: ['.'], format: 'commaDecimal' },
	// fr-FR: Intl and Excel write U+202F, older software U+00A0, people a plain space.
	{ name: 'fr-FR', decimal: ',', thousands: ['\u202f', '\u00a0', ' '], format: 'commaDecimal' },
	// de-CH: Intl in Node 20 writes ', newer CLDR ’.
	{ name: 'de-CH', decimal: '.', thousands: ["'", '\u2019'], format: 'pointDecimal' },
];

interface Written {
	/** What reaches the node: text, or a JavaScript number. */
	value: string | number;
	/** The amount meant, in cents. */
	cents: bigint;
	style: string;
	/** The format meant to read this writing exactly. */
	format: Exclude<AmountFormat, 'auto'>;
	/** Whether a thousands separator appears in it. */
	grouped: boolean;
	/** Digits written after the decimal separator (0 when there is none). */
	decimals: number;
}

function groupDigits(digits: string, separator: string): string {
	const groups: string[] = [];
	for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
	return groups.join(separator);
}

/** An amount from 0.01 to 999,999,999.99: of 1 to 11 digits in cents, often round, as real amounts are. */
function drawCents(random: () => number): bigint {
	const digits = 1 + Math.floor(random() * 11);
	let text = String(1 + Math.floor(random() * 9));
	for (let i = 1; i < digits; i++) text += String(Math.floor(random() * 10));
	// Round amounts (whole, tens, thousands) are where trailing zeros could pass for decimals.
	const zeros = Math.min(digits - 1, Math.floor(random() * 8));
	return BigInt(text.slice(0, digits - zeros) + '0'.repeat(zeros));
}

function write(random: () => number): Written {
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const cents = drawCents(random);
	const negative = random() < 0.1;
	const whole = (cents / 100n).toString();
	const fraction = (cents % 100n).toString().padStart(2, '0');
	const style = pick(STYLES);

	// A JavaScript number only where it is the plain value: cents / 100 is the double nearest the decimal.
	if (random() < 0.1) {
		const value = Number(cents) / 100;
		return { value: negative ? -value : value, cents: negative ? -cents : cents, style: 'number', format: style.format, grouped: false, decimals: 0 };
	}

	// Decimals as a sheet shows them: none only for whole amounts, one only when the cents end in 0, and sometimes
	// padded with zeros beyond cents (a column formatted with three decimals).
	const fewest = fraction === '00' ? 0 : fraction.endsWith('0') ? 1 : 2;
	const shown = pick([0, 1, 2].filter((n) => n >= fewest));
	const decimals = random() < 0.15 ? 3 + Math.floor(random() * 2) : shown;
	const digitsAfter = decimals === 0 ? '' : (fraction + '00').slice(0, decimals);
	const grouping = random() < 0.7 ? pick(style.thousands) : '';
	const wholeText = grouping ? groupDigits(whole, grouping) : whole;
	let text = decimals === 0 ? wholeText : `${wholeText}${style.decimal}${digitsAfter}`;
	if (negative) text = pick(['-', '\u2212']) + text;
	else if (random() < 0.05) text = '+' + text;
	if (random() < 0.1) text = pick([' ', '  ', '\t', '\u00a0']) + text + pick(['', ' ', '\u00a0']);
	return {
		value: text,
		cents: negative ? -cents : cents,
		style: style.name,
		format: style.format,
		grouped: wholeText !== whole,
		decimals,
	};
}

type Reading = { cents: bigint } | { refused: string };

function read(value: unknown, format: AmountFormat): Reading {
	try {
		return { cents: parseAmount(value, rulesFor(format)).cents };
	} catch (error) {
		if (!(error instanceof AmountError)) throw error;
		return { refused: error.message };
	}
}

const seed = process.env.AMOUNTS_SEED ? Number(process.env.AMOUNTS_SEED) : Math.floor(Math.random() * 2 ** 32);
if (!Number.isSafeInteger(seed)) throw new Error(`AMOUNTS_SEED must be a whole number, not ${process.env.AMOUNTS_SEED}`);

/** A failure names the seed, so `AMOUNTS_SEED=<seed> npx jest test/amounts.generated.test.ts` repeats it. */
function check(ok: boolean, what: () => string): void {
	if (!ok) throw new Error(`${what()} (AMOUNTS_SEED=${seed})`);
}

const show = (reading: Reading) => ('cents' in reading ? formatCents(reading.cents) : `refused: ${reading.refused}`);

describe(`Generated amounts (AMOUNTS_SEED=${seed})`, () => {
	// Most writings are refused under some format; an error's stack is what makes that slow, and no check reads it.
	const stackTraceLimit = Error.stackTraceLimit;
	beforeAll(() => {
		Error.stackTraceLimit = 0;
	});
	afterAll(() => {
		Error.stackTraceLimit = stackTraceLimit;
	});

	it(`${CASES} writings of amounts from 0.01 to 999,999,999.99 read as meant or refused, under each Amount Format`, () => {
		const random = seeded(seed);
		const counts = { auto: 0, refusedByAuto: 0, ambiguous: 0 };
		for (let i = 0; i < CASES; i++) {
			const written = write(random);
			const readings = Object.fromEntries(FORMATS.map((format) => [format, read(written.value, format)])) as Record<
				AmountFormat,
				Reading
			>;
			const about = (format: AmountFormat) =>
				`case ${i}: ${JSON.stringify(written.value)} (${written.style}, meant ${formatCents(written.cents)}) under ${format}: ${show(readings[format])}`;

			// The format of the writer's locale reads it exactly; a number is read as it is under every format.
			const exact = written.style === 'number' ? FORMATS : [written.format];
			for (const format of exact) {
				const reading = readings[format];
				check('cents' in reading && reading.cents === written.cents, () => about(format));
			}

			// Auto: the amount meant, or a refusal. It reads plain amounts (no thousands separator) unless three digits
			// follow the separator, where thousands and decimals cannot be told apart.
			const auto = readings.auto;
			const ambiguous = typeof written.value === 'string' && written.decimals === 3;
			check(!('cents' in auto) || auto.cents === written.cents, () => about('auto'));
			const autoReads = written.style === 'number' || (!written.grouped && !ambiguous);
			check('cents' in auto === autoReads, () => `${about('auto')}; expected ${autoReads ? 'the amount' : 'a refusal'}`);
			if (ambiguous && !written.grouped) check('refused' in auto && /could be|three digits/.test(auto.refused), () => about('auto'));

			// The other explicit format: the amount meant or a refusal, except that a lone separator followed by three
			// digits is read its way (as the user chose); Auto refuses all of those.
			for (const format of FORMATS.filter((f) => f !== 'auto' && !exact.includes(f))) {
				const reading = readings[format];
				if (!('cents' in reading) || reading.cents === written.cents) continue;
				const text = String(written.value).trim().replace(/^[+\-\u2212]/, '');
				check(/^\d+[.,]\d{3}$/.test(text) && 'refused' in auto, () => about(format));
				counts.ambiguous++;
			}
			if ('cents' in auto) counts.auto++;
			else counts.refusedByAuto++;
		}
		// The generator reaches both sides: amounts Auto reads, and amounts it refuses as ambiguous.
		expect(counts.auto).toBeGreaterThan(CASES / 10);
		expect(counts.refusedByAuto).toBeGreaterThan(CASES / 10);
		expect(counts.ambiguous).toBeGreaterThan(CASES / 100);
	});

	it('random text of digits, separators, spaces and signs: every format that reads it reads the same amount, or Auto refuses it', () => {
		const random = seeded(seed ^ 0x5eed);
		const alphabet = ['0', '1', '2', '5', '9', '0', '0', '.', ',', ' ', '\u202f', "'", '-', '+', 'e', '\u2212'];
		for (let i = 0; i < 30_000; i++) {
			let text = '';
			const length = 1 + Math.floor(random() * 12);
			for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
			const readings = FORMATS.map((format) => read(text, format));
			const values = new Set(readings.flatMap((reading) => ('cents' in reading ? [reading.cents] : [])));
			const about = () => `${JSON.stringify(text)}: ${readings.map(show).join(' | ')}`;
			// Auto's value, when it has one, is the one every explicit format that reads the text agrees with.
			check(!('cents' in readings[0]) || values.size === 1, about);
		}
	});
});

describe('Amounts with thousands separators, hand-picked (issue 27)', () => {
	it.each([
		['1,000', 'pointDecimal', '1000.00'],
		['2.500', 'commaDecimal', '2500.00'],
		['12,300', 'pointDecimal', '12300.00'],
	] as const)('%j is refused under Auto, naming both readings and the format to choose; %s reads it as %s', (text, format, meant) => {
		expect(() => parseAmount(text, rulesFor('auto'))).toThrow(AmountError);
		const otherFormat = format === 'pointDecimal' ? 'Comma Decimal (1.234,50)' : 'Point Decimal (1,234.50)';
		const chosen = format === 'pointDecimal' ? 'Point Decimal (1,234.50)' : 'Comma Decimal (1.234,50)';
		const separator = text.includes(',') ? ',' : '.';
		const asDecimals = formatCents(BigInt(text.replace(/\D/g, '')) / 10n);
		expect(() => parseAmount(text, rulesFor('auto'))).toThrow(
			`"${text}" could be ${meant} or ${asDecimals}, so Auto does not read it: if "${separator}" separates thousands ` +
				`choose the Amount Format "${chosen}", or if it separates decimals choose "${otherFormat}"`,
		);
		expect(parseAmount(text, rulesFor(format))).toEqual({ cents: BigInt(meant.replace('.', '')), text: meant });
	});

	it.each([
		['1,000', '1.00'],
		['2.500', '2.50'],
		['12,300', '12.30'],
	])('%j under the format whose decimal separator it uses is %s: the separator is then known', (text, meant) => {
		const format = text.includes(',') ? 'commaDecimal' : 'pointDecimal';
		expect(parseAmount(text, rulesFor(format)).text).toBe(meant);
	});

	it.each([
		['1234.5', '1234.50'],
		['1234,50', '1234.50'],
		['-25', '-25.00'],
		['1.5000', '1.50'],
		['\u22125,5', '-5.50'],
		['+7', '7.00'],
	])('Auto reads %j as %s', (text, meant) => {
		expect(parseAmount(text, rulesFor('auto')).text).toBe(meant);
	});

	it.each([
		['0.001', 'could be 1.00 or 0.001'],
		['0.500', 'could be 500.00 or 0.50'],
		['1234,500', 'has three digits after ","'],
		['1,234.50', 'has more than one separator, which Auto does not read; choose the Amount Format "Point Decimal (1,234.50)"'],
		['1.234.567', 'has more than one separator, which Auto does not read; choose the Amount Format "Comma Decimal (1.234,50)"'],
		['1 234,56', 'has thousands separators, which Auto does not read; choose the Amount Format "Comma Decimal (1.234,50)"'],
		["1'234.56", 'has thousands separators, which Auto does not read; choose the Amount Format "Point Decimal (1,234.50)"'],
		['12 EUR', 'is not an amount'],
		['1e3', 'is not an amount'],
		['.5', 'is not an amount'],
		['5.', 'is not an amount'],
		['- 5', 'is not an amount'],
	])('Auto refuses %j (%s)', (text, reason) => {
		expect(() => parseAmount(text, rulesFor('auto'))).toThrow(reason);
	});

	it.each([
		['1\u202f234\u202f567,89', 'commaDecimal', '1234567.89'],
		['1\u00a0234,5', 'commaDecimal', '1234.50'],
		['1 234 567', 'commaDecimal', '1234567.00'],
		['1 234.56', 'pointDecimal', '1234.56'],
		["1'234'567.80", 'pointDecimal', '1234567.80'],
		['1\u2019234.5', 'pointDecimal', '1234.50'],
		['1,234.500', 'pointDecimal', '1234.50'],
		['1.234,500', 'commaDecimal', '1234.50'],
		['001,000', 'pointDecimal', '1000.00'],
		['1\u202f234.5', 'pointDecimal', '1234.50'],
	] as const)('%j under %s is %s', (text, format, meant) => {
		expect(parseAmount(text, rulesFor(format)).text).toBe(meant);
	});

	it.each([
		['1,23,456.00', 'pointDecimal', 'has thousands separators "," in the wrong places'],
		['1 234,56', 'pointDecimal', 'mixes thousands separators (spaces and ",")'],
		["1'234,5", 'commaDecimal', `has "'" between digits, which "Comma Decimal (1.234,50)" does not take`],
		['1,5', 'pointDecimal', 'if "," separates decimals choose the Amount Format "Comma Decimal (1.234,50)"'],
		['1.5', 'commaDecimal', 'if "." separates decimals choose the Amount Format "Point Decimal (1,234.50)"'],
		['1.234.567', 'pointDecimal', 'if "." separates thousands choose the Amount Format "Comma Decimal (1.234,50)"'],
		['1,234.50', 'commaDecimal', 'if "," separates thousands choose the Amount Format "Point Decimal (1,234.50)"'],
		['1234 56', 'commaDecimal', 'has thousands separators (spaces) in the wrong places'],
		['1,234.567', 'pointDecimal', 'has more decimals than cents'],
	] as const)('%j under %s is refused (%s)', (text, format, reason) => {
		expect(() => parseAmount(text, rulesFor(format))).toThrow(reason);
	});

	it('a number is its plain value under every format, and 1.234 as a number has more decimals than cents', () => {
		for (const format of FORMATS) {
			expect(parseAmount(1234.5, rulesFor(format)).text).toBe('1234.50');
			expect(parseAmount(0.07, rulesFor(format)).text).toBe('0.07');
			expect(() => parseAmount(1.234, rulesFor(format))).toThrow('"1.234" has more decimals than cents');
		}
	});

	it.each([
		['auto', ['0.00', '-0,00', '0,0']],
		['pointDecimal', ['0.00', '-0.0', '0,000.00']],
		['commaDecimal', ['0,00', '-0,0', '0.000,00']],
	] as const)('zero is refused under %s, as a number or as text', (format, texts) => {
		for (const value of [0, -0, '0', '+0', '-0', ...texts]) {
			expect(() => parseAmount(value, rulesFor(format))).toThrow(`"${typeof value === 'string' ? value : '0'}" is zero`);
		}
	});

	it("reads Moneybird's own amounts as plain decimals, zero included", () => {
		const plain = { format: 'plain', minCents: -MAX_CENTS, maxCents: MAX_CENTS, allowZero: true } as const;
		expect(parseAmount('0.0', plain).text).toBe('0.00');
		expect(parseAmount('121.0', plain).text).toBe('121.00');
		expect(parseAmount('10,95', plain).text).toBe('10.95');
		expect(() => parseAmount('1,234.5', plain)).toThrow('is not an amount');
	});

	it('agrees with Intl.NumberFormat: each locale read under its format gives the amount written', () => {
		const locales: [string, AmountFormat][] = [
			['en-US', 'pointDecimal'],
			['en-GB', 'pointDecimal'],
			['nl-NL', 'commaDecimal'],
			['de-DE', 'commaDecimal'],
			['fr-FR', 'commaDecimal'],
			['de-CH', 'pointDecimal'],
			['sv-SE', 'commaDecimal'],
		];
		for (const [locale, format] of locales) {
			for (const amount of ['0.01', '1000', '2500', '12300', '1234.56', '-98765.4', '999999999.99']) {
				const decimals = amount.includes('.') ? 2 : 0;
				// Intl takes decimal text as it is (no floating point on the way) since Node 19.
				const written = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(
					amount as unknown as number,
				);
				const cents = BigInt(Math.round(Number(amount) * 100));
				expect([locale, written, parseAmount(written, rulesFor(format)).cents]).toEqual([locale, written, cents]);
			}
		}
	});
});
