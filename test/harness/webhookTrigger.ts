import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, WebhookContext } from 'n8n-core';
import { NodeHelpers } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, IWebhookData, IWebhookDescription, IWebhookResponseData } from 'n8n-workflow';

import { prepare } from './engine';
import type { RunOptions } from './engine';

/**
 * A webhook trigger as an n8n instance runs it, over HTTP on 127.0.0.1:
 * - `activate()` / `deactivate()` as ActiveWorkflowManager does: the production URL answers from then on, and the
 *   node's `checkExists`, then `create` if it said false (n8n-core HookContext, mode `trigger`); `delete` on the way out;
 * - `listen()` as the editor's "Listen for test event" (TestWebhooks): the test URL, a workflow with fresh static data,
 *   `checkExists`/`create` in mode `manual`; the first delivery that starts the workflow ends the listening (`delete`);
 * - each request to a URL that answers runs the node's `webhook()` in n8n-core's WebhookContext and is answered as
 *   n8n's webhook helpers answer it: by the node itself (`noWebhookResponse`), 200 "Workflow was started" when it
 *   returns items (recorded in `starts`), 200 with its `webhookResponse` otherwise, 500 when it throws.
 * Static data lives on the Workflow, as an active workflow's does between requests.
 */

export interface Start {
	mode: 'trigger' | 'manual';
	items: INodeExecutionData[];
}

export interface Answer {
	url: string;
	status: number;
	body: unknown;
}

type Mode = 'trigger' | 'manual';

const WEBHOOK_ID = '5b1f1a3e-6c1e-4c36-9a55-3c2f0b7a9d10';

export async function webhookTrigger(options: Omit<RunOptions, 'items'>) {
	const server = http.createServer((req, res) => void onRequest(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const instance = async () => {
		const prepared = await prepare(options);
		prepared.node.webhookId = WEBHOOK_ID;
		prepared.additionalData.webhookBaseUrl = `${base}/webhook`;
		prepared.additionalData.webhookTestBaseUrl = `${base}/webhook-test`;
		return prepared;
	};
	const production = await instance();
	let test: Awaited<ReturnType<typeof instance>> | undefined;
	const listening = new Set<Mode>();
	const starts: Start[] = [];
	const answers: Answer[] = [];
	const errors: Error[] = [];
	const pending = new Set<Promise<void>>();

	const of = (mode: Mode) => (mode === 'trigger' ? production : test!);
	const nodeType = () => production.workflow.nodeTypes.getByNameAndVersion(production.node.type, production.node.typeVersion);
	const webhookData = (mode: Mode): IWebhookData => {
		const { workflow, node, additionalData } = of(mode);
		return {
			httpMethod: 'POST',
			node: node.name,
			path: NodeHelpers.getNodeWebhookPath(workflow.id, node, 'webhook'),
			webhookDescription: nodeType().description.webhooks![0] as IWebhookDescription,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
			isTest: mode === 'manual',
		};
	};

	async function hook(method: 'checkExists' | 'create' | 'delete', mode: Mode): Promise<boolean | undefined> {
		const { workflow, node, additionalData } = of(mode);
		const activation = mode === 'manual' ? 'manual' : 'activate';
		const context = new HookContext(workflow, node, additionalData, mode, activation, webhookData(mode));
		return await nodeType().webhookMethods!.default![method]!.call(context);
	}

	async function register(mode: Mode): Promise<void> {
		listening.add(mode);
		try {
			if (!(await hook('checkExists', mode))) await hook('create', mode);
		} catch (error) {
			listening.delete(mode);
			throw error;
		}
	}

	async function onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		const url = req.url ?? '/';
		const mode: Mode | undefined = url.startsWith('/webhook-test/') ? 'manual' : url.startsWith('/webhook/') ? 'trigger' : undefined;
		const answer = (status: number, body: unknown) => {
			answers.push({ url, status, body });
			if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (!mode || !listening.has(mode) || req.method !== 'POST') return answer(404, { message: 'The requested webhook is not registered.' });
		const { workflow, node, additionalData } = of(mode);
		const contentType = String(req.headers['content-type'] ?? '').split(';')[0];
		let body: unknown = {};
		if (contentType === 'application/json' && rawBody.length) {
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				return answer(422, { message: 'Failed to parse request body' });
			}
		}
		const request = { method: req.method, url, headers: req.headers, rawBody, body, query: {}, params: {}, contentType };
		let written: { status: number; body?: unknown } | undefined;
		const response = {
			status(code: number) {
				written = { status: code };
				return response;
			},
			json(data: unknown) {
				answer(written?.status ?? 200, data);
			},
			send(data: unknown) {
				answer(written?.status ?? 200, data);
			},
			end() {
				answer(written?.status ?? 200, undefined);
			},
		};
		const context = new WebhookContext(workflow, node, { ...additionalData, httpRequest: request, httpResponse: response } as never, mode, webhookData(mode), [], null);
		let result: IWebhookResponseData;
		try {
			result = await nodeType().webhook!.call(context);
		} catch (error) {
			errors.push(error as Error);
			return answer(500, { message: 'Workflow Webhook Error: Workflow could not be started!' });
		}
		if (result.noWebhookResponse) {
			if (!res.writableEnded) answer(500, { message: 'the node promised its own answer and gave none' });
			return;
		}
		if (!result.workflowData) return answer(200, (result.webhookResponse as IDataObject | undefined) ?? { message: 'Webhook call received' });
		starts.push({ mode, items: result.workflowData[0] });
		answer(200, { message: 'Workflow was started' });
		if (mode === 'manual') {
			// As TestWebhooks does once the answer is out: the listening ends and the test webhook is removed.
			listening.delete('manual');
			const removal = hook('delete', 'manual').then(
				() => undefined,
				(error: Error) => void errors.push(error),
			);
			pending.add(removal);
			void removal.then(() => pending.delete(removal));
		}
	}

	return {
		/** The workflow and node n8n holds while the workflow is active. */
		production,
		credentials: production.credentials,
		starts,
		answers,
		/** Errors the node's webhook() threw (n8n answers 500 and records a failed execution), or its test-mode delete. */
		errors,
		productionUrl: () => `${base}/webhook/${WEBHOOK_ID}/webhook`,
		testUrl: () => `${base}/webhook-test/${WEBHOOK_ID}/webhook`,
		activate: async () => await register('trigger'),
		async deactivate(): Promise<void> {
			listening.delete('trigger');
			await hook('delete', 'trigger');
		},
		/** "Listen for test event": a workflow with fresh static data, as the editor's test run has. */
		async listen(): Promise<void> {
			test = await instance();
			await register('manual');
		},
		/** Whether the test URL still answers (it stops after the first event that starts the workflow). */
		isListening: (mode: Mode) => listening.has(mode),
		checkExists: async (mode: Mode = 'trigger') => await hook('checkExists', mode),
		/** What the trigger keeps between requests (`getWorkflowStaticData('node')`), as plain data. */
		staticData(mode: Mode = 'trigger'): IDataObject {
			const { workflow, node } = of(mode);
			return JSON.parse(JSON.stringify(workflow.staticData[`node:${node.name}`] ?? {})) as IDataObject;
		},
		/** Resolves when what n8n does after an answer (removing a test webhook) is done. */
		idle: async () => {
			await Promise.all(pending);
		},
		async close(): Promise<void> {
			await Promise.all(pending);
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
