import type { IExecuteSingleFunctions, INodeExecutionData, PostReceiveAction } from 'n8n-workflow';

import { toId } from './validation';
import type { IdRules } from './validation';

/** postReceive for a delete: the API answers 204 with no body, so the item says what was deleted. */
export function deletedRecord(parameter: string, rules: IdRules): PostReceiveAction {
	return async function (this: IExecuteSingleFunctions): Promise<INodeExecutionData[]> {
		const id = toId(this.getNodeParameter(parameter, undefined, { extractValue: true }), rules);
		return [{ json: { id, deleted: true } }];
	};
}
