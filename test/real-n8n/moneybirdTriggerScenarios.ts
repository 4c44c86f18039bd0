/**
 * The Moneybird Trigger active in a real `n8n start` (issue 13): it registers its webhook with the sandbox
 * Moneybird API on activation (the sandbox checks that n8n's production URL answers 200), receives the sandbox's
 * signed deliveries through n8n's webhook endpoint and starts the workflow once per payment; a redelivery of a
 * push starts nothing more, nor does a captured delivery posted again with a new Idempotency-Key or none (issue 27),
 * and a forged delivery is refused and starts nothing.
 */
import { randomUUID } from 'node:crypto';

import type { N8nMajor } from '../../scripts/n8nLocal';
import { freePort, startN8n } from '../../scripts/n8nLocal';
import { SANDBOX_CREDENTIALS } from '../../scripts/n8nImports';
import { DEFAULT_TOKEN, MONEYBIRD_SEED, signDelivery } from '../../sandbox/moneybird';
import { activate, realN8nFixture, waitFor, watchProcess } from './realN8n';
import { outputOf } from './storedRuns';
import { byId, workflow } from './workflowBuilders';
import type { WorkflowNode } from './workflowBuilders';
import { nodeType } from '../harness/packages';

const ADM = MONEYBIRD_SEED.administrations.main;
const NAME = 'Moneybird payment';

function moneybirdTrigger(webhookId: string): WorkflowNode {
	return {
		id: randomUUID(),
		name: NAME,
		type: nodeType('moneybirdTrigger'),
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: 'accessToken', administration: byId(ADM), events: ['payment_registered'], options: {} },
		credentials: { moneybirdApi: SANDBOX_CREDENTIALS.moneybirdApi },
		webhookId,
	};
}

export function moneybirdTriggerScenarios(major: N8nMajor): void {
	const { workflow: register, real } = realN8nFixture(major);
	const webhookId = randomUUID();
	const id = register('mbtrigger', () => workflow('mbtrigger', [], moneybirdTrigger(webhookId)));

	describe(`n8n ${major}.x: the Moneybird Trigger active in \`n8n start\``, () => {
		it('starts the workflow once per payment delivered; a redelivery, a replay under a new key and a forged delivery start nothing', async () => {
			const { n8n, userFolder, sandbox } = real();
			const webhooks = sandbox.moneybird.state.webhooks;
			webhooks.retryDelaysMs = Array.from({ length: 10 }, () => 1000);
			const port = await freePort();
			const url = `http://127.0.0.1:${port}/webhook/${webhookId}/webhook`;
			await activate(n8n, userFolder, id);
			let first = '';
			let second = '';
			const running = watchProcess(await startN8n(n8n, userFolder, { port, stdio: 'pipe', env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } }));
			try {
				await waitFor('the webhook registration', () => webhooks.webhooks.length === 1, 240_000, running.output);
				expect(webhooks.webhooks[0]).toMatchObject({ url, enabled_events: ['payment_registered'], last_http_status: 200 });

				const pay = async (price: string, invoice: string) => {
					const response = await fetch(`${sandbox.moneybird.server.url}/${ADM}/external_sales_invoices/${invoice}/payments.json`, {
						method: 'POST',
						headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, 'content-type': 'application/json' },
						body: JSON.stringify({ payment: { payment_date: '2025-03-01', price } }),
					});
					expect(response.status).toBe(201);
					return ((await response.json()) as { id: string }).id;
				};
				first = await pay('21.00', MONEYBIRD_SEED.invoices.open121);
				second = await pay('10.50', MONEYBIRD_SEED.invoices.open60);
				await webhooks.idle();
				expect(webhooks.pushes.map((push) => push.attempts)).toEqual([[200], [200]]);

				expect(await webhooks.redeliver(webhooks.pushes[0])).toBe(200);
				// A captured delivery posted again exactly as signed, under a new Idempotency-Key and under none.
				expect(await webhooks.replay(webhooks.pushes[0], randomUUID())).toBe(200);
				expect(await webhooks.replay(webhooks.pushes[1], undefined)).toBe(200);
				const forgedBody = JSON.stringify({
					administration_id: ADM,
					webhook_id: webhooks.webhooks[0].id,
					action: 'payment_registered',
					entity_type: 'Payment',
					entity: { id: '458026357039999999', invoice_type: 'ExternalSalesInvoice', invoice_id: MONEYBIRD_SEED.invoices.open121 },
				});
				const forged = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'moneybird-signature': signDelivery('0'.repeat(64), Math.floor(Date.now() / 1000), forgedBody) },
					body: forgedBody,
				});
				expect(forged.status).toBe(401);

				await waitFor('two stored executions', () => real().executions(id).length >= 2, 60_000, running.output);
				// Time for a third, which must not come.
				await new Promise((resolve) => setTimeout(resolve, 3000));
			} finally {
				await running.stop();
			}
			expect(running.output()).not.toMatch(/ENOTFOUND|EAI_AGAIN/);
			const executions = real().executions(id);
			expect(executions.map((e) => [e.mode, e.status])).toEqual([
				['webhook', 'success'],
				['webhook', 'success'],
			]);
			const payments = executions.map((e) => outputOf(e, NAME)[0].json.payment as { id: string });
			expect(payments.map((payment) => payment.id).sort()).toEqual([first, second].sort());
		});
	});
}
