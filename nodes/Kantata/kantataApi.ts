import { requestRunner } from '../shared/routingAdapter';
import type { ServiceApi } from '../shared/serviceApi';
import { deleteOnce } from '../shared/toolCall';
import type { IdRules } from '../shared/validation';
import { listPages } from './pages';
import { keyOf, keyTag } from './paymentKey';
import { createdIdOf, findCreated, sentPayment } from './recordedPayments';

/** Kantata IDs are positive integers; 15 digits keeps them exact even where a number is used. */
export const KANTATA_ID: IdRules = { maxDigits: 15 };

interface KantataError {
	type?: string;
	message?: string;
	field?: string;
}

const RECORD_NAMES: Record<string, string> = {
	external_payments: 'external payment',
	workspaces: 'project',
	invoices: 'invoice',
};

export const kantataApi: ServiceApi = {
	name: 'Kantata OX',
	credentialPrefix: 'kantataOx',

	identifyingFields: [
		{ label: 'project', parameter: 'project' },
		{ label: 'invoice', parameter: 'invoice' },
		{ label: 'amount', parameter: 'amount' },
		{ label: 'payment key', parameter: 'paymentKey' },
		{ label: 'payment', parameter: 'paymentId' },
	],

	describeFailure(status, body, request) {
		const errors = ((body as { errors?: KantataError[] } | undefined)?.errors ?? []).filter(Boolean);
		const said = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
		switch (status) {
			case 401:
				return {
					message: `Kantata OX rejected the credential${said ? `: ${said}` : ''}`,
					description: 'Check the access token in the credential, or reconnect the OAuth2 credential.',
				};
			case 403:
				return {
					message: `Kantata OX refused access${said ? `: ${said}` : ''}`,
					description: 'The user behind the credential may not see this project or may not record payments in it.',
				};
			case 404: {
				const [, collection, id] = /\/(\w+)\/(\d+)(?:\.json)?$/.exec(request.url ?? '') ?? [];
				return {
					message: id
						? `Kantata OX has no ${RECORD_NAMES[collection] ?? 'record'} with ID ${id}`
						: `Kantata OX did not find ${request.url}`,
					description: said || undefined,
				};
			}
			case 422:
				return { message: `Kantata OX refused the payment: ${said || 'validation failed'}` };
			default:
				return { message: `Kantata OX answered ${status}${said ? `: ${said}` : ''}` };
		}
	},

	createdIdOf,

	howToCheckCreate(request, sentAt) {
		const payment = sentPayment(request);
		const since = new Date(sentAt.getTime() - 60_000).toISOString();
		const key = keyOf(payment.message);
		const tagged = key === undefined ? '' : `, whose message ends with ${keyTag(key)}`;
		return `Before running this item again, look for the payment with Get Many filtered by project ${String(payment.workspace_id)} and Created After ${since}${tagged}.`;
	},

	// With a Payment Key the payment can be found again; without one, nobody can tell it from another.
	findCreated,
};

/** Every Kantata item request goes through the engine adaptation (routingAdapter.ts); lists also through listPages. */
export const runKantataRequest = requestRunner(kantataApi);
export const runKantataListRequest = requestRunner(kantataApi, listPages);

/** Delete's runner: as an AI tool, a payment Kantata OX does not find (its URL names only it) is already gone. */
export const runKantataDelete = requestRunner(
	kantataApi,
	deleteOnce(async () => true),
);
