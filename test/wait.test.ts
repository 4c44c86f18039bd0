import type { INode } from 'n8n-workflow';

import { waitUnlessCancelled } from '../nodes/shared/wait';

const node = { name: 'Kantata OX' } as INode;

describe('waitUnlessCancelled', () => {
	it('waits the time asked when nothing cancels', async () => {
		const started = Date.now();
		await waitUnlessCancelled({ getNode: () => node, getExecutionCancelSignal: () => undefined }, 300);
		expect(Date.now() - started).toBeGreaterThanOrEqual(295);
	});

	it('ends a long wait when the execution is cancelled, with an error saying so', async () => {
		const controller = new AbortController();
		const waiting = waitUnlessCancelled({ getNode: () => node, getExecutionCancelSignal: () => controller.signal }, 600_000);
		controller.abort();
		await expect(waiting).rejects.toThrow('The execution was cancelled while waiting');
	});
});
