import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { searchInvoices, searchProjects } from '../Kantata/listSearch';
import { authenticationParameter } from '../shared/auth';
import { jsonApiRequestDefaults, requestOptionsParameter } from '../shared/commonParameters';
import { externalPaymentFields, externalPaymentOperations, externalPaymentToolDescriptions } from './resources/externalPayment';

export class KantataOx implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kantata OX',
		name: 'kantataOx',
		icon: { light: 'file:kantataOx.svg', dark: 'file:kantataOx.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'List, record and delete external payments in Kantata OX',
		defaults: { name: 'Kantata OX' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'kantataOxApi', required: true, displayOptions: { show: { authentication: ['accessToken'] } } },
			{ name: 'kantataOxOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
		],
		requestDefaults: jsonApiRequestDefaults,
		properties: [
			authenticationParameter,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'External Payment', value: 'externalPayment' }],
				default: 'externalPayment',
			},
			...externalPaymentOperations,
			...externalPaymentToolDescriptions,
			...externalPaymentFields,
			requestOptionsParameter(),
		],
	};

	methods = { listSearch: { searchProjects, searchInvoices } };
}
