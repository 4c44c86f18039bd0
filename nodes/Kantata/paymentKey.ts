import { InvalidValue } from '../shared/validation';

/*
 * The Payment Key: what tells one row's payment from every other in a project. Kantata's external payments
 * have no reference field, so the key is kept in the payment's message as a tag, `[n8n-key:KEY]`, at its end.
 * Only this module writes and reads the tag.
 */

/** Kantata's longest message. */
export const MAX_MESSAGE_LENGTH = 255;
/** The longest key: room is left in the message for a note of the user's own. */
export const MAX_KEY_LENGTH = 100;

const TAG_START = '[n8n-key:';
/** Every tag in a message; a key holds no brackets, so a tag ends at its first `]`. */
const TAGS = /\[n8n-key:([^[\]]+)\]/g;

const chars = (text: string) => [...text].length;
const isControl = (char: string) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f;

/**
 * A key typed or mapped from a row, trimmed. Brackets are refused (they delimit the tag), as are line breaks and
 * other control characters, and numbers no longer exact: two bank IDs that lost digits could read as one key.
 */
export function toPaymentKey(value: unknown): string {
	let key: string;
	if (typeof value === 'string') key = value.trim();
	else if (typeof value === 'number' && Number.isSafeInteger(value)) key = String(value);
	else if (typeof value === 'number') throw new InvalidValue(`${value} is not an exact whole number; map the key as text`);
	else throw new InvalidValue(`expected a key as text, got ${value === null || value === undefined ? 'nothing' : typeof value}`);
	if (key === '') throw new InvalidValue('the key is empty');
	if (/[[\]]/.test(key)) throw new InvalidValue(`"${key}" holds a bracket, [ or ], which the key's tag in the message cannot hold`);
	if ([...key].some(isControl)) throw new InvalidValue('the key holds a line break or another control character');
	if (chars(key) > MAX_KEY_LENGTH) throw new InvalidValue(`it has ${chars(key)} characters; at most ${MAX_KEY_LENGTH} are allowed`);
	return key;
}

/** The tag a key is kept as. */
export function keyTag(key: string): string {
	return `${TAG_START}${key}]`;
}

/**
 * The message sent: the user's message, then the key's tag. Refused when both no longer fit in Kantata's 255
 * characters, counted as a person counts them (as the Message check does).
 */
export function messageWithKey(message: string | undefined, key: string): string {
	const tagged = message ? `${message} ${keyTag(key)}` : keyTag(key);
	const length = chars(tagged);
	if (length > MAX_MESSAGE_LENGTH) {
		throw new InvalidValue(
			`the message with the key's tag " ${keyTag(key)}" added has ${length} characters; at most ${MAX_MESSAGE_LENGTH} are allowed, so shorten the Message or the Payment Key`,
		);
	}
	return tagged;
}

/** The key a payment's message carries: its last tag, so text a person added before or after it does not matter. */
export function keyOf(message: unknown): string | undefined {
	if (typeof message !== 'string' || !message.includes(TAG_START)) return undefined;
	let key: string | undefined;
	for (const match of message.matchAll(TAGS)) key = match[1];
	return key;
}
