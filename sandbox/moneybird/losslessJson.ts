/* eslint-disable @typescript-eslint/no-empty-object-type -- dev-only code, never shipped (docs/releasing.md) */
/**
 * A lossless JSON reader for request bodies: numbers keep their source text, objects are Maps (a duplicate key is
 * an error). So an 18-digit ID sent as a JSON number, which JavaScript's JSON.parse would already have rounded, is
 * seen as sent and answered with a loud 422 (validation.ts) instead of being booked against a wrong record.
 */

export class JsonNumber {
	constructor(readonly raw: string) {}
}
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject extends Map<string, JsonValue> {}

export function parseJsonLossless(text: string): JsonValue {
	let i = 0;
	const fail = (message: string): never => {
		throw new SyntaxError(`${message} at position ${i}`);
	};
	const skipSpace = () => {
		while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
	};
	const expect = (char: string) => {
		skipSpace();
		if (text[i] !== char) fail(`expected '${char}'`);
		i++;
	};
	const readString = (): string => {
		const start = i;
		i++;
		while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
		if (i >= text.length) fail('unterminated string');
		i++;
		return JSON.parse(text.slice(start, i)) as string;
	};
	const readValue = (): JsonValue => {
		skipSpace();
		const char = text[i];
		if (char === '{') {
			i++;
			const object: JsonObject = new Map();
			skipSpace();
			if (text[i] === '}') return i++, object;
			for (;;) {
				skipSpace();
				if (text[i] !== '"') fail('expected a key');
				const key = readString();
				if (object.has(key)) fail(`duplicate key "${key}"`);
				expect(':');
				object.set(key, readValue());
				skipSpace();
				if (text[i] === ',') i++;
				else return expect('}'), object;
			}
		}
		if (char === '[') {
			i++;
			const array: JsonValue[] = [];
			skipSpace();
			if (text[i] === ']') return i++, array;
			for (;;) {
				array.push(readValue());
				skipSpace();
				if (text[i] === ',') i++;
				else return expect(']'), array;
			}
		}
		if (char === '"') return readString();
		for (const [word, value] of [
			['true', true],
			['false', false],
			['null', null],
		] as const) {
			if (text.startsWith(word, i)) return (i += word.length), value;
		}
		const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
		number.lastIndex = i;
		const match = number.exec(text);
		if (!match) return fail('unexpected token');
		i += match[0].length;
		return new JsonNumber(match[0]);
	};
	const value = readValue();
	skipSpace();
	if (i !== text.length) fail('unexpected trailing text');
	return value;
}

/** A lossless value as JSON for an error detail (numbers keep their digits, as text). */
export function plain(value: JsonValue): unknown {
	if (value instanceof JsonNumber) return value.raw;
	if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, plain(v)]));
	if (Array.isArray(value)) return value.map(plain);
	return value;
}
