import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { KANTATA_ID } from '../Kantata/kantataApi';
import { searchInvoices, searchProjects } from '../Kantata/listSearch';
import { invoiceLocator, projectLocator } from '../Kantata/locator';
import { authenticationParameter } from '../shared/auth';
import { asNodeError } from '../shared/errors';
import { isEmpty, toId } from '../shared/validation';
import { followFeed, latestPayment, paymentLister, updatesOnly } from './paymentFeed';
import type { Filters } from './paymentFeed';
import type { Watermark } from './watermark';

/** What the node keeps between polls in the workflow's static data (see watermark.ts). */
interface TriggerState {
	created?: Watermark;
	updated?: Watermark;
}

export class KantataOxTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kantata OX Trigger',
		name: 'kantataOxTrigger',
		icon: { light: 'file:../KantataOx/kantataOx.svg', dark: 'file:../KantataOx/kantataOx.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"] === "paymentRecordedOrUpdated" ? "New and updated external payments" : "New external payments"}}',
		// n8n's node panel shows one Kantata OX entry for both nodes, with the trigger's description: it names both.
		description: 'List, record and delete external payments in Kantata OX, or start a workflow when one is recorded',
		defaults: { name: 'Kantata OX Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'kantataOxApi', required: true, displayOptions: { show: { authentication: ['accessToken'] } } },
			{ name: 'kantataOxOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
		],
		properties: [
			authenticationParameter,
			// Shown as "Trigger On": n8n's node panel lists each option as a trigger by its `action`, not "On new Kantata OX event".
			{
				displayName: 'Trigger On',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'External Payment Recorded',
						value: 'paymentRecorded',
						action: 'On external payment recorded',
						description: 'One item per payment recorded since the last poll, oldest first',
					},
					{
						name: 'External Payment Recorded or Updated',
						value: 'paymentRecordedOrUpdated',
						action: 'On external payment recorded or updated',
						description:
							'Also one item per payment changed since the last poll, once per change, after the new ones. Updates count from when this is chosen.',
					},
				],
				default: 'paymentRecorded',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						...invoiceLocator(),
						description: 'Only payments applied to this invoice',
					},
					{
						...projectLocator(),
						description: 'Only payments recorded in this project',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchProjects, searchInvoices } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			return await pollPayments(this);
		} catch (error) {
			throw asNodeError(this.getNode(), error);
		}
	}
}

async function pollPayments(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const filters = readFilters(context);
	const list = paymentLister(context);

	if (context.getMode() === 'manual') {
		// A test run shows the latest payment, so its fields can be mapped; the watermark stays where it is.
		const latest = await latestPayment(list, 'created_at', filters);
		return latest ? [context.helpers.returnJsonArray([latest])] : null;
	}

	const state = context.getWorkflowStaticData('node') as TriggerState;
	const alsoUpdated = context.getNodeParameter('event', 'paymentRecorded') === 'paymentRecordedOrUpdated';
	const created = await followFeed(list, 'created_at', state.created, filters);
	const updated = alsoUpdated ? await followFeed(list, 'updated_at', state.updated, filters) : undefined;

	// The watermarks move only once every request was answered: after a failed poll the next asks again.
	state.created = created.mark;
	if (updated) state.updated = updated.mark;
	else delete state.updated;

	const payments = [...created.fresh, ...updatesOnly(updated?.fresh ?? [], created.fresh)];
	return payments.length ? [context.helpers.returnJsonArray(payments)] : null;
}

function readFilters(context: IPollFunctions): Filters {
	const filters: Filters = {};
	const wanted = [
		['project', 'Project', 'workspace_id'],
		['invoice', 'Invoice', 'invoice_id'],
	] as const;
	for (const [name, label, query] of wanted) {
		const value = context.getNodeParameter(`filters.${name}`, '', { extractValue: true });
		if (isEmpty(value)) continue;
		try {
			filters[query] = toId(value, KANTATA_ID);
		} catch (error) {
			throw new NodeOperationError(context.getNode(), `Invalid ${label} filter: ${(error as Error).message}`);
		}
	}
	return filters;
}
