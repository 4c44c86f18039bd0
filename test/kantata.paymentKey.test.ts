import { keyOf, keyTag, MAX_KEY_LENGTH, messageWithKey, toPaymentKey } from '../nodes/Kantata/paymentKey';
import { byKey, createdIdOf, paymentEnvelope } from '../nodes/Kantata/recordedPayments';
import { InvalidValue } from '../nodes/shared/validation';

/** The Payment Key alone: how it is checked, written into a message and read back. */

const refusal = (value: unknown) => {
	try {
		toPaymentKey(value);
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidValue);
		return (error as Error).message;
	}
	throw new Error(`${JSON.stringify(value)} was accepted`);
};

describe('Payment Key: the check', () => {
	it.each([
		['BANK-0001', 'BANK-0001'],
		['  row 17 \t', 'row 17'],
		[17, '17'],
		['ÄÖÜ-ß €', 'ÄÖÜ-ß €'],
		['a'.repeat(MAX_KEY_LENGTH), 'a'.repeat(MAX_KEY_LENGTH)],
	])('accepts %p as %p', (value, key) => {
		expect(toPaymentKey(value)).toBe(key);
	});

	it.each([
		['', 'the key is empty'],
		['   ', 'the key is empty'],
		['BANK]1', '"BANK]1" holds a bracket, [ or ], which the key\'s tag in the message cannot hold'],
		['BANK[1', '"BANK[1" holds a bracket'],
		['row\n17', 'the key holds a line break or another control character'],
		['row\u007f', 'another control character'],
		['é'.repeat(MAX_KEY_LENGTH + 1), `it has ${MAX_KEY_LENGTH + 1} characters; at most ${MAX_KEY_LENGTH} are allowed`],
		[2 ** 53, `${2 ** 53} is not an exact whole number; map the key as text`],
		[1.5, 'is not an exact whole number'],
		[null, 'expected a key as text, got nothing'],
		[true, 'expected a key as text, got boolean'],
	])('refuses %p', (value, reason) => {
		expect(refusal(value)).toContain(reason);
	});
});

describe('Payment Key: in the message', () => {
	it('is a tag at the end of the message, or the whole message when there is none', () => {
		expect(keyTag('BANK-1')).toBe('[n8n-key:BANK-1]');
		expect(messageWithKey('Wire 4471', 'BANK-1')).toBe('Wire 4471 [n8n-key:BANK-1]');
		expect(messageWithKey(undefined, 'BANK-1')).toBe('[n8n-key:BANK-1]');
		expect(messageWithKey('', 'BANK-1')).toBe('[n8n-key:BANK-1]');
	});

	it('fits in 255 characters, counted as a person counts them, or is refused naming both fields', () => {
		const tag = ' [n8n-key:K1]';
		const fits = '€'.repeat(255 - tag.length);
		expect(messageWithKey(fits, 'K1')).toHaveLength(255);
		expect(() => messageWithKey(fits + 'x', 'K1')).toThrow(
			`the message with the key's tag "${tag}" added has 256 characters; at most 255 are allowed, so shorten the Message or the Payment Key`,
		);
	});

	it.each([
		['Wire 4471 [n8n-key:BANK-1]', 'BANK-1'],
		['[n8n-key:row 17]', 'row 17'],
		// Text a person added after the tag, or a tag-like note before it, does not hide the key.
		['Wire [n8n-key:BANK-1] checked by Ada', 'BANK-1'],
		['note [n8n-key:old] [n8n-key:BANK-2]', 'BANK-2'],
		['Payment 12', undefined],
		['[n8n-key:]', undefined],
		['[n8n-key:unclosed', undefined],
		[null, undefined],
		[42, undefined],
	])('reads the key of %p as %p', (message, key) => {
		expect(keyOf(message)).toBe(key);
	});

	it('reads back every key it writes', () => {
		for (const key of ['BANK-1', 'a b c', 'x'.repeat(MAX_KEY_LENGTH), 'key: with colon', 'ü€']) {
			expect(keyOf(messageWithKey('A note [n8n-key:other]', key))).toBe(key);
		}
	});
});

describe("a project's payments by key", () => {
	it('indexes the payments that carry a key, the first of a key kept', () => {
		const payments = [
			{ id: '1', message: 'Payment 1' },
			{ id: '2', message: 'Paid [n8n-key:A]' },
			{ id: '3', message: null },
			{ id: '4', message: '[n8n-key:B]' },
			{ id: '5', message: 'again [n8n-key:A]' },
		];
		const index = byKey(payments);
		expect([...index.keys()]).toEqual(['A', 'B']);
		expect(index.get('A')?.id).toBe('2');
	});

	it("takes a created payment's ID from the envelope, which has none at its top", () => {
		const payment = { id: '77', message: '[n8n-key:A]' };
		expect(createdIdOf(paymentEnvelope(payment))).toBe('77');
		expect(createdIdOf({ results: [{ key: 'invoices', id: '5' }] })).toBeUndefined();
		expect(createdIdOf({ id: '9' })).toBeUndefined();
		expect(createdIdOf(undefined)).toBeUndefined();
	});
});
