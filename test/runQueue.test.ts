import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { arrive, settle, waitForTurn } from '../nodes/shared/runQueue';

/** The run queue alone, driven as the request runner drives it, with a fake item context per item. */

/** One run's items: the contexts RoutingNode would give them, sharing one execute-data object. */
function runOf(count: number, parallel = 1) {
	const executeData = { data: { main: [Array.from({ length: count }, () => ({ json: {} }))] } };
	const node = { type: 'n8n-nodes-kantata-ox.kantataOx', executeOnce: false };
	const parameters: Record<string, unknown> = { 'requestOptions.requestsInParallel': parallel };
	return (itemIndex: number) =>
		({
			getExecuteData: () => executeData,
			getNode: () => node,
			getNodeParameter: (name: string, fallback: unknown) => parameters[name] ?? fallback,
			continueOnFail: () => false,
			getItemIndex: () => itemIndex,
		}) as unknown as IExecuteSingleFunctions;
}

/**
 * Every item of a run queued, in the order given, as the request runner queues them (each awaits its turn, then
 * settles). Resolves with the order in which they got their turn, and the process's CPU time from when every item
 * was waiting until the last settled: the picking of every next item but the first.
 */
async function runItems(order: number[], parallel = 1): Promise<{ started: number[]; drainingMs: number }> {
	const contextOf = runOf(order.length, parallel);
	const started: number[] = [];
	const turns = order.map(async (itemIndex) => {
		const queue = arrive(contextOf(itemIndex));
		await waitForTurn(queue, itemIndex);
		started.push(itemIndex);
		settle(queue, itemIndex, undefined, true);
	});
	// Every item is waiting now: none resumes before this synchronous code is done.
	const draining = process.cpuUsage();
	await Promise.all(turns);
	const { user, system } = process.cpuUsage(draining);
	return { started, drainingMs: (user + system) / 1000 };
}

describe('the run queue', () => {
	it('starts items in input order, whatever order they queued in', async () => {
		expect((await runItems([3, 0, 4, 1, 2])).started).toEqual([0, 1, 2, 3, 4]);
		expect((await runItems([5, 2, 7, 0, 6, 1, 3, 4], 3)).started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
	});

	it('an item that queues after later ones started still goes next', async () => {
		const contextOf = runOf(4);
		const started: number[] = [];
		const queue = arrive(contextOf(0));
		for (const itemIndex of [1, 2, 3]) arrive(contextOf(itemIndex));
		const turn = async (itemIndex: number, settleItem: boolean) => {
			await waitForTurn(queue, itemIndex);
			started.push(itemIndex);
			if (settleItem) settle(queue, itemIndex, undefined, true);
		};
		// Items 2 and 3 wait; 2 starts once the queue opens and holds it, then 0 and 1 queue late.
		const later = [turn(2, false), turn(3, true)];
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect(started).toEqual([2]);
		const earlier = [turn(1, true), turn(0, true)];
		settle(queue, 2, undefined, true);
		await Promise.all([...later, ...earlier]);
		expect(started).toEqual([2, 0, 1, 3]);
	});

	it('picks the next of 100,000 waiting items in constant time: under 1 s of CPU for them all', async () => {
		const count = 100_000;
		const { started, drainingMs } = await runItems(Array.from({ length: count }, (_, i) => i));
		expect(started).toHaveLength(count);
		expect(started.every((itemIndex, i) => itemIndex === i)).toBe(true);
		// Scanning the waiting items for the lowest index took about 30 s of CPU for 20,000 items (growing with the
		// square); picking in constant time takes about 0.3 s for 100,000, GC included, on a loaded 2-core machine.
		expect(drainingMs).toBeLessThan(1000);
	});
});
