import type { INodeProperties, INodeType } from 'n8n-workflow';

import { loadPackages } from './harness/engine';

/** What the editor puts in when a user adds an option: what it is added for. */
describe('options added in the editor', () => {
	it.each(['kantataOx', 'moneybird'])('%s: Skip If Already Recorded is on when added (it is only ever added to be on)', async (name) => {
		const { description } = (await loadPackages()).nodeTypes[name].type as INodeType;
		const createOptions = description.properties.find(
			(property) => property.name === 'options' && property.displayOptions?.show?.operation?.includes('create'),
		);
		const skip = (createOptions?.options as INodeProperties[] | undefined)?.find((option) => option.name === 'skipIfAlreadyRecorded');
		expect(skip?.default).toBe(true);
	});
});
