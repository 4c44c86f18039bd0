import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { selectedEngine } from './harness/engines';
import { failingItem1, runContract, threeItems } from './harness/routingContract';

/**
 * How RoutingNode passes on an item's rejection, and where it puts it with Continue On Fail: what errors.ts
 * shapes the package's errors for (see routingNodeContract.test.ts for the rest of the contract).
 */

describe(`RoutingNode contract: rejections (engine ${selectedEngine().name})`, () => {
	describe('rejections', () => {
		test('a rejection that is not the engine’s NodeApiError is re-wrapped as one, keeping message and description, httpCode "none"', async () => {
			const rejection = Object.assign(new Error('The row was refused'), { description: 'Why it was refused' });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect(run.thrown).toBeInstanceOf(NodeApiError);
			expect(run.thrown).not.toBe(rejection);
			expect(run.thrown).toMatchObject({
				message: 'The row was refused',
				description: 'Why it was refused',
				httpCode: 'none',
				context: { itemIndex: 1, runIndex: 0 },
			});
			expect(run.error?.message).toBe('The row was refused');
		});

		test('an axios-shaped rejection is re-wrapped with httpCode from error.response.status', async () => {
			const rejection = Object.assign(new Error('Teapot'), { isAxiosError: true, response: { status: 418 }, description: 'Short and stout' });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect(run.thrown).toBeInstanceOf(NodeApiError);
			expect(run.thrown).toMatchObject({ message: 'Teapot', description: 'Short and stout', httpCode: '418' });
		});

		test('a status on a rejection that is not axios-shaped does not become the httpCode', async () => {
			const rejection = Object.assign(new Error('Refused'), { response: { status: 422 } });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect(run.thrown).toMatchObject({ message: 'Refused', httpCode: 'none' });
		});

		test('an engine-class NodeOperationError is re-wrapped as a NodeApiError too (only NodeApiError passes through)', async () => {
			const rejection = new NodeOperationError({ name: 'Node' } as never, 'Invalid row in item 1', { description: 'nothing was sent' });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect(run.thrown).toBeInstanceOf(NodeApiError);
			expect(run.thrown).toMatchObject({ message: 'Invalid row in item 1', description: 'nothing was sent', httpCode: 'none' });
		});

		test('an engine-class NodeApiError passes through unchanged, told its item and run index', async () => {
			const rejection = new NodeApiError({ name: 'Node' } as never, { message: 'Too many requests' }, {
				message: 'The API refused',
				description: 'In its own words',
				httpCode: '503',
			});
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect(run.thrown).toBe(rejection);
			expect(rejection).toMatchObject({
				message: 'The API refused',
				description: 'In its own words',
				httpCode: '503',
				context: { itemIndex: 1, runIndex: 0 },
			});
		});

		test('a rejection with statusCode 429 has its message replaced by the engine’s batching hint', async () => {
			// The package must not throw errors carrying statusCode 429 if its own message is to reach the user.
			const rejection = Object.assign(new Error('Rate limited: waited 300 s'), { statusCode: 429 });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection) });
			expect((run.thrown as Error).message).toMatch(/batching/);
		});
	});

	describe('Continue On Fail', () => {
		test('a rejection becomes { json: {}, error } for that item, in its place, the other items’ output kept', async () => {
			const rejection = Object.assign(new Error('The row was refused'), { description: 'Why' });
			const run = await runContract({ items: threeItems, paginator: failingItem1(rejection), continueOnFail: true });
			expect(run.error).toBeUndefined();
			expect(run.thrown).toBeUndefined();
			const [output] = run.returned ?? [];
			expect(output).toHaveLength(3);
			expect(output[0].json).toEqual({ ranFor: 0 });
			expect(output[1]).toEqual({ json: {}, error: rejection });
			expect(output[1].error).toBe(rejection);
			expect(output[2].json).toEqual({ ranFor: 2 });
		});

		test('WorkflowExecute then shows the error item as { error: message } in its place', async () => {
			const run = await runContract({ items: threeItems, paginator: failingItem1(new Error('refused')), continueOnFail: true });
			expect(run.items.map((item) => item.json)).toEqual([{ ranFor: 0 }, { error: 'refused' }, { ranFor: 2 }]);
		});

		test('the error item gets paired to its input by WorkflowExecute when there is one output item per input', async () => {
			const run = await runContract({ items: threeItems, paginator: failingItem1(new Error('refused')), continueOnFail: true });
			expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		});
	});
});
