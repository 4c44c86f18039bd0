import type { INodeProperties } from 'n8n-workflow';

import { toRecords } from '../../../Kantata/envelope';
import { KANTATA_ID, runKantataListRequest } from '../../../Kantata/kantataApi';
import { deletedRecord } from '../../../shared/deletedRecord';
import { paymentKeyRequest, runKantataCreate } from './alreadyRecorded';
import { createFields, createRequest } from './create';
import { getAllFields, getAllRequest } from './getAll';
import { getOrDeleteFields, paymentUrlRequest } from './getOrDelete';

/**
 * External Payment's operations. Each sets `paginate`, so its request goes through the node's runner (see
 * shared/routingAdapter.ts), and builds its request in one preSend from its checked parameters.
 */
export const externalPaymentOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['externalPayment'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an external payment',
				description: 'Record a payment made outside Kantata OX, for an invoice or an amount',
				routing: {
					request: { method: 'POST', url: '/external_payments.json' },
					send: { paginate: true, preSend: [createRequest, paymentKeyRequest] },
					operations: { pagination: runKantataCreate },
					output: { postReceive: [toRecords] },
				},
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete an external payment',
				routing: {
					request: { method: 'DELETE' },
					send: { paginate: true, preSend: [paymentUrlRequest] },
					output: { postReceive: [deletedRecord('paymentId', KANTATA_ID)] },
				},
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an external payment',
				routing: {
					request: { method: 'GET' },
					send: { paginate: true, preSend: [paymentUrlRequest] },
					output: { postReceive: [toRecords] },
				},
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many external payments',
				routing: {
					request: { method: 'GET', url: '/external_payments.json' },
					send: { paginate: true, preSend: [getAllRequest] },
					operations: { pagination: runKantataListRequest },
					output: { postReceive: [toRecords] },
				},
			},
		],
		default: 'getAll',
	},
];

export const externalPaymentFields: INodeProperties[] = [...getOrDeleteFields, ...createFields, ...getAllFields];
