import { DEFAULT_TOKEN, kantataErrorBody } from '../sandbox/kantata';
import { ids, kantataTriggerFixture, range } from './fixtures';
import { poller } from './harness/poll';

// The Kantata OX Trigger when a poll fails: what it reports, and that no payment is lost or emitted twice.
const { kantata, at, listing, trigger, pay } = kantataTriggerFixture();

describe('Kantata OX Trigger: errors', () => {
	type NodeError = Error & { description?: string; httpCode?: string };
	const pollError = async (node: { poll: () => Promise<unknown> }): Promise<NodeError> =>
		await node.poll().then(
			() => {
				throw new Error('the poll was expected to fail');
			},
			(thrown: unknown) => thrown as NodeError,
		);

	it('401: an error in Kantata words, the watermark kept, the next poll emits what was missed', async () => {
		const node = await trigger();
		await node.poll();
		const before = node.staticData();
		at(1);
		pay(2);
		const refused = {
			kind: 'status' as const,
			status: 401,
			body: kantataErrorBody({ type: 'oauth', message: 'Invalid OAuth 2 Request' }),
		};
		// n8n-core sends a request refused with 401 once more (after its pre-authentication step).
		kantata.server.injectFaults(listing, refused, refused);

		const error = await pollError(node);

		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Kantata OX rejected the credential: Invalid OAuth 2 Request');
		expect(error?.httpCode).toBe('401');
		expect(JSON.stringify(error)).not.toContain(DEFAULT_TOKEN);
		expect(node.staticData()).toEqual(before);
		expect(ids(await node.poll())).toEqual(['1', '2']);
	});

	it('503 on a later page: nothing emitted, nothing moved; the next poll emits every page once', async () => {
		const node = await trigger();
		await node.poll();
		at(1);
		pay(300);
		const before = node.staticData();
		kantata.server.injectFaults((request) => listing(request) && request.query.page === '2', {
			kind: 'status',
			status: 503,
			body: kantataErrorBody({ type: 'system', message: 'Down for maintenance' }),
		});

		await expect(node.poll()).rejects.toThrow('Kantata OX answered 503: Down for maintenance');
		expect(node.staticData()).toEqual(before);

		expect(ids(await node.poll())).toEqual(range(1, 300));
		expect(await node.poll()).toBeNull();
	});

	it('a failed update request moves neither watermark', async () => {
		const node = await trigger({ event: 'paymentRecordedOrUpdated' });
		await node.poll();
		at(1);
		pay(1);
		const before = node.staticData();
		kantata.server.injectFaults((request) => listing(request) && request.query.order === 'updated_at:asc', {
			kind: 'status',
			status: 503,
			body: kantataErrorBody({ type: 'system', message: 'Down for maintenance' }),
		});
		await expect(node.poll()).rejects.toThrow('Kantata OX answered 503');
		expect(node.staticData()).toEqual(before);
		expect(ids(await node.poll())).toEqual(['1']);
	});

	it('a revoked token: the API refusal, without the token', async () => {
		const node = await poller({
			type: 'kantataOxTrigger',
			parameters: {},
			credentials: { kantataOxApi: { accessToken: 'revoked-token-123', baseUrl: kantata.server.url } },
		});
		const error = await pollError(node);
		expect(error?.message).toBe('Kantata OX rejected the credential: Invalid OAuth 2 Request');
		expect(error?.description).toBe('Check the access token in the credential, or reconnect the OAuth2 credential.');
		expect(JSON.stringify(error)).not.toContain('revoked-token-123');
		expect(node.staticData()).toEqual({});
	});

	it('a base URL that is not https: refused, the token not sent', async () => {
		const node = await poller({
			type: 'kantataOxTrigger',
			parameters: {},
			credentials: { kantataOxApi: { accessToken: DEFAULT_TOKEN, baseUrl: 'http://example.com/api/v1' } },
		});
		await expect(node.poll()).rejects.toThrow("The Kantata OX credential's Base URL must start with https:// (http:// only for localhost)");
		expect(kantata.server.requests).toHaveLength(0);
	});
});
