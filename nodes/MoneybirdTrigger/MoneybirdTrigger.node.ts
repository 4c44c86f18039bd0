import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { administrationLocator } from '../Moneybird/locators';
import { searchAdministrations } from '../Moneybird/listSearch';
import { moneybirdApi } from '../Moneybird/moneybirdApi';
import { authenticationParameter } from '../shared/auth';
import { asNodeError, operationError } from '../shared/errors';
import { lookup } from '../shared/lookup';
import type { DeliveryMarks } from './deliveries';
import { alreadyHandled, alreadySigned, claimInProcess, releaseInProcess, withHandled, withSigned } from './deliveries';
import { EVENT_OPTIONS, eventItem, invoiceOf } from './events';
import { createWebhook, deleteWebhook, isSame, listWebhooks, triggerState, wanted } from './registration';
import { idempotencyKeyOf, verifyDelivery } from './verification';

interface TriggerOptions {
	attachInvoice?: boolean;
	otherInvoiceTypes?: boolean;
}

export class MoneybirdTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Moneybird Trigger',
		name: 'moneybirdTrigger',
		icon: { light: 'file:../Moneybird/moneybird.svg', dark: 'file:../Moneybird/moneybird.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		// n8n's node panel shows one Moneybird entry for both nodes, with the trigger's description: it names both.
		description:
			'Record, list and delete payments on external sales invoices in Moneybird and read the invoices, or start a workflow when a payment is registered or an invoice changes state',
		defaults: { name: 'Moneybird Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'moneybirdApi', required: true, displayOptions: { show: { authentication: ['accessToken'] } } },
			{ name: 'moneybirdOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Registers a webhook in Moneybird while the workflow is active (and while listening for a test event), which needs the Settings scope on the credential. Each delivery is verified with the webhook\'s signing secret; a delivery Moneybird repeats starts the workflow once.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			authenticationParameter,
			{ ...administrationLocator, description: 'The Moneybird administration to watch. By ID: its Moneybird ID as text (up to 18 digits).' },
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: EVENT_OPTIONS,
				default: ['payment_registered'],
				description: 'What starts the workflow: one item per event',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Attach Current Invoice',
						name: 'attachInvoice',
						type: 'boolean',
						default: false,
						description:
							'Whether to read the external sales invoice when an event arrives (one request) and output it as `invoice`, as it is now: what a delivery carries may be out of date by then',
					},
					{
						displayName: 'Include Other Invoice Types',
						name: 'otherInvoiceTypes',
						type: 'boolean',
						default: false,
						description: 'Whether payments on sales invoices and other documents also start the workflow, not only those on external sales invoices',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchAdministrations } };

	webhookMethods = {
		default: {
			/** The kept webhook still registered in Moneybird as it is set now; anything else on this URL is removed. */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const state = triggerState(this);
				const { administration, events } = wanted(this);
				const url = this.getNodeWebhookUrl('default') ?? '';
				const kept = state.webhook;
				if (kept && kept.administration !== administration) await deleteWebhook(this, kept.administration, kept.id);
				const listed = await listWebhooks(this, administration);
				const current = kept && kept.administration === administration && kept.url === url && kept.events.join() === events.join();
				if (current && listed.some((webhook) => isSame(webhook, kept))) return true;
				// Registrations of this URL the trigger cannot verify (their secret is not kept, or other events) go.
				for (const webhook of listed.filter((listedWebhook) => listedWebhook.url === url)) {
					await deleteWebhook(this, administration, String(webhook.id));
				}
				delete state.webhook;
				return false;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const state = triggerState(this);
				const { administration, events } = wanted(this);
				const url = this.getNodeWebhookUrl('default');
				if (!url) throw operationError(this.getNode(), 'n8n gave no webhook URL for this trigger');
				state.webhook = await createWebhook(this, administration, url, events);
				state.deliveries = {};
				state.signedDeliveries = {};
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const state = triggerState(this);
				const kept = state.webhook;
				if (kept) await deleteWebhook(this, kept.administration, kept.id);
				delete state.webhook;
				delete state.deliveries;
				delete state.signedDeliveries;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		try {
			return await receive(this);
		} catch (error) {
			throw asNodeError(this.getNode(), error);
		}
	}
}

/** Answers 200 without starting the workflow. */
const nothingStarted = (message: string): IWebhookResponseData => ({ webhookResponse: { message } });

async function receive(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const state = triggerState(context);
	const now = Math.floor(Date.now() / 1000);
	const headers = context.getHeaderData() as IDataObject;
	const { rawBody } = context.getRequestObject() as { rawBody?: Buffer };
	const verdict = verifyDelivery(state.webhook, headers, rawBody, now);

	if (verdict.kind === 'urlCheck') return nothingStarted('Moneybird Trigger is listening');
	if (verdict.kind === 'refused') {
		context.logger.warn(`Moneybird Trigger refused a delivery: ${verdict.reason}`, { node: context.getNode().name });
		context.getResponseObject().status(verdict.status).json({ message: `Refused: ${verdict.reason}` });
		return { noWebhookResponse: true };
	}

	const { delivery } = verdict;
	const action = String(delivery.action);
	const events = context.getNodeParameter('events', []) as string[];
	if (!events.includes(action)) return nothingStarted(`Event ${action} is not one this trigger starts on`);
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	const invoice = invoiceOf(delivery);
	const external = invoice.type === 'ExternalSalesInvoice';
	if (!external && !options.otherInvoiceTypes) return nothingStarted(`Not an external sales invoice (${String(invoice.type)})`);

	const key = idempotencyKeyOf(headers);
	const registration = state.webhook!;
	const marks: DeliveryMarks = { key, digest: verdict.signed.digest, signedAt: verdict.signed.timestamp };
	// Checked and claimed with no pause in between: a replay or retry arriving meanwhile finds the claim.
	const seenBefore = alreadySigned(state.signedDeliveries, marks.digest, now) || (key !== undefined && alreadyHandled(state.deliveries, key, now));
	const claim = claimInProcess(registration.id, marks, now, seenBefore);
	if (claim === 'duplicate') {
		// Its digest too, as in memory: a replayed copy of a retry that was a duplicate by its key only.
		state.signedDeliveries = withSigned(state.signedDeliveries, marks.digest, marks.signedAt, now);
		return nothingStarted('Already received: this delivery started the workflow before');
	}
	if (claim === 'full') {
		context.logger.warn('Moneybird Trigger turned a delivery away: too many deliveries in the last minutes to tell a replay', { node: context.getNode().name });
		context.getResponseObject().status(503).json({ message: 'Too many deliveries at once; Moneybird retries this one later' });
		return { noWebhookResponse: true };
	}

	const item = eventItem(delivery, key);
	if (options.attachInvoice && external && invoice.id) {
		const path = `/${registration.administration}/external_sales_invoices/${invoice.id}.json`;
		try {
			item.invoice = (await lookup(context, moneybirdApi, path)).body as IDataObject;
		} catch (error) {
			releaseInProcess(registration.id, marks);
			throw asNodeError(context.getNode(), error);
		}
	}
	if (key) state.deliveries = withHandled(state.deliveries, key, now);
	state.signedDeliveries = withSigned(state.signedDeliveries, marks.digest, marks.signedAt, now);
	return { workflowData: [context.helpers.returnJsonArray([item])] };
}
