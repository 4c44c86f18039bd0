import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { operationError } from '../shared/errors';
import { requestOutsideItems } from '../shared/lookup';
import { toId } from '../shared/validation';
import { moneybirdApi } from '../Moneybird/moneybirdApi';
import { MONEYBIRD_ID } from '../Moneybird/records';
import type { SeenDeliveries } from './deliveries';

/*
 * The webhook the trigger registers in Moneybird (developer.moneybird.com/api/webhooks, scope `settings`):
 * created on activation with an explicit event list, found again by listing, deleted on deactivation.
 */

/** What Moneybird answered when the webhook was created. The secret comes only then. */
export interface Registration {
	id: string;
	administration: string;
	url: string;
	events: string[];
	token: string;
	secret: string;
}

/** What the trigger keeps in the workflow's static data. */
export interface TriggerState {
	webhook?: Registration;
	/** `Idempotency-Key` → when its delivery started the workflow. */
	deliveries?: SeenDeliveries;
	/** Digest of a delivery's signed `<t>.<body>` → its `t`. */
	signedDeliveries?: SeenDeliveries;
}

export function triggerState(context: { getWorkflowStaticData(type: string): IDataObject }): TriggerState {
	return context.getWorkflowStaticData('node') as TriggerState;
}

/** The administration and events the node is set to, checked: the ID goes into every request path. */
export function wanted(context: IHookFunctions): { administration: string; events: string[] } {
	const value = context.getNodeParameter('administration', '', { extractValue: true });
	let administration: string;
	try {
		administration = toId(value, MONEYBIRD_ID);
	} catch (error) {
		throw operationError(context.getNode(), `Invalid Administration: ${(error as Error).message}`);
	}
	const events = [...new Set(context.getNodeParameter('events', []) as string[])].sort();
	if (events.length === 0) throw operationError(context.getNode(), 'Choose at least one event');
	return { administration, events };
}

const webhooksPath = (administration: string) => `/${administration}/webhooks.json`;

/** The administration's webhooks, as Moneybird lists them (without secrets). */
export async function listWebhooks(context: IHookFunctions, administration: string): Promise<IDataObject[]> {
	const response = await requestOutsideItems(context, moneybirdApi, { method: 'GET', url: webhooksPath(administration) });
	if (!Array.isArray(response.body)) throw operationError(context.getNode(), 'Moneybird answered without the expected list of webhooks');
	return response.body as IDataObject[];
}

/** Registers `url` for exactly `events`; Moneybird checks that the URL answers 200 before it answers. */
export async function createWebhook(
	context: IHookFunctions,
	administration: string,
	url: string,
	events: string[],
): Promise<Registration> {
	const response = await requestOutsideItems(context, moneybirdApi, {
		method: 'POST',
		url: webhooksPath(administration),
		body: { url, enabled_events: events },
	});
	const created = response.body as IDataObject;
	const id = typeof created.id === 'string' || typeof created.id === 'number' ? String(created.id) : '';
	const registration: Registration = {
		id,
		administration,
		url,
		events,
		token: typeof created.token === 'string' ? created.token : '',
		secret: typeof created.secret === 'string' ? created.secret : '',
	};
	if (!/^\d+$/.test(id) || registration.secret === '') {
		// Without its secret no delivery could be verified: the webhook is removed again rather than left deaf.
		if (/^\d+$/.test(id)) await deleteWebhook(context, administration, id);
		throw operationError(context.getNode(), 'Moneybird created the webhook without an ID or signing secret', {
			description: 'The trigger verifies every delivery with the secret Moneybird returns only when a webhook is created; the webhook was removed again. Try activating once more.',
		});
	}
	return registration;
}

/** Deletes a webhook; one Moneybird no longer has (404) counts as deleted. */
export async function deleteWebhook(context: IHookFunctions, administration: string, id: string): Promise<void> {
	await requestOutsideItems(context, moneybirdApi, { method: 'DELETE', url: `/${administration}/webhooks/${id}.json`, accept: [404] });
}

/** Whether a listed webhook is the registration kept: same ID, URL and events. */
export function isSame(listed: IDataObject, kept: Registration): boolean {
	const events = Array.isArray(listed.enabled_events) ? (listed.enabled_events as unknown[]).map(String).sort() : [];
	return String(listed.id) === kept.id && listed.url === kept.url && JSON.stringify(events) === JSON.stringify([...kept.events].sort());
}
