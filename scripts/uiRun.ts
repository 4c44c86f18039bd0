/**
 * The browser test's driver (scripts/uiTest.ts): its checks with their screenshots, the editor's REST API, and the
 * editor actions the checks use (execute a workflow, open a picker, test a credential).
 */
import path from 'node:path';

import type { Page } from 'playwright-core';

import { storedExecutions } from '../test/real-n8n/storedRuns';
import type { StoredExecution } from '../test/real-n8n/storedRuns';
import type { DevEditor } from './devEditor';

/** Throws, naming `what`, unless `actual` and `expected` are the same JSON. */
export const equal = (actual: unknown, expected: unknown, what: string) => {
	if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
};

export interface Check {
	name: string;
	ok: boolean;
	detail: string;
}

export class UiRun {
	checks: Check[] = [];
	shot = 0;

	constructor(
		readonly page: Page,
		readonly dev: DevEditor,
		readonly folder: string,
	) {}

	async screenshot(name: string): Promise<void> {
		const file = path.join(this.folder, `${String(++this.shot).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
		await this.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
	}

	async check(name: string, body: () => Promise<string>): Promise<void> {
		const started = Date.now();
		try {
			const detail = await body();
			this.checks.push({ name, ok: true, detail });
			console.log(`  ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
		} catch (error) {
			const detail = (error as Error).message.split('\n').slice(0, 6).join('\n      ');
			this.checks.push({ name, ok: false, detail });
			console.log(`  ✗ ${name}: ${detail}`);
		}
		await this.screenshot(name);
	}

	async rest<T>(method: 'GET' | 'POST' | 'PATCH', route: string, data?: unknown): Promise<T> {
		const response = await this.page.request.fetch(`${this.dev.url}/rest${route}`, { method, data });
		if (!response.ok()) throw new Error(`${method} /rest${route}: ${response.status()} ${await response.text()}`);
		const body = (await response.json()) as { data?: T };
		return (body.data ?? body) as T;
	}

	executions(workflowId: string): StoredExecution[] {
		return storedExecutions(this.dev.n8n, this.dev.userFolder, workflowId);
	}

	/**
	 * Opens a workflow and clicks the editor's Execute Workflow button; resolves to the finished execution.
	 * `meanwhile` runs after the click (for a trigger that listens: what makes the event happen).
	 */
	async execute(workflowId: string, meanwhile?: () => Promise<void>): Promise<StoredExecution> {
		const before = this.executions(workflowId).length;
		await this.page.goto(`${this.dev.url}/workflow/${workflowId}`);
		const button = this.page.locator('[data-test-id="execute-workflow-button"]').first();
		await button.waitFor({ timeout: 60_000 });
		await button.click();
		await meanwhile?.();
		const deadline = Date.now() + 120_000;
		while (Date.now() < deadline) {
			const runs = this.executions(workflowId);
			const latest = runs[runs.length - 1];
			if (runs.length > before && latest && !['new', 'running', 'waiting'].includes(latest.status)) {
				// The editor shows the run's data once it has it; the screenshot should too.
				await this.page.waitForTimeout(1500);
				return latest;
			}
			await this.page.waitForTimeout(1000);
		}
		throw new Error(`no finished execution of ${workflowId} within 120 s of clicking Execute Workflow`);
	}

	/**
	 * Switches a workflow on or off as a user does in its editor: n8n 1.x's Active toggle; n8n 2.x's Publish, and
	 * Unpublish in the version menu. Closes n8n's "activated"/"published" notice.
	 */
	async switchWorkflow(workflowId: string, on: boolean): Promise<void> {
		const page = this.page;
		await page.goto(`${this.dev.url}/workflow/${workflowId}`);
		await page.locator('[data-test-id="execute-workflow-button"]').first().waitFor({ timeout: 60_000 });
		if (this.dev.n8n.major === 1) {
			await page.locator('[data-test-id="workflow-activate-switch"]').first().click();
		} else if (on) {
			await page.locator('[data-test-id="workflow-open-publish-modal-button"]').click();
			await page.locator('[data-test-id="workflow-publish-button"]').click();
		} else {
			await page.locator('[data-test-id="version-menu-button"]').click();
			await page.locator('[data-test-id="version-menu-item-unpublish"]').click();
			// Asked to confirm on some releases.
			const confirm = page.locator('.el-message-box, [role="dialog"]').getByRole('button', { name: /unpublish/i }).last();
			if (await confirm.waitFor({ timeout: 3000 }).then(() => true, () => false)) await confirm.click();
		}
		if (on) {
			const notice = page.locator('[data-test-id="activation-modal"]');
			if (await notice.waitFor({ timeout: 15_000 }).then(() => true, () => false)) await notice.getByRole('button').last().click();
		}
		const deadline = Date.now() + 30_000;
		while ((await this.isActive(workflowId)) !== on) {
			if (Date.now() > deadline) throw new Error(`${workflowId} still ${on ? 'off' : 'on'} 30 s after switching it ${on ? 'on' : 'off'} in the editor`);
			await page.waitForTimeout(500);
		}
	}

	/** Whether n8n runs the workflow's triggers (1.x: `active`; 2.x: a published version). */
	async isActive(workflowId: string): Promise<boolean> {
		const workflow = await this.rest<{ active?: boolean; activeVersionId?: string | null }>('GET', `/workflows/${workflowId}`);
		return this.dev.n8n.major === 1 ? workflow.active === true : Boolean(workflow.activeVersionId ?? workflow.active);
	}

	/** Waits for the workflow's `count`th stored execution to finish; returns it. */
	async finishedExecution(workflowId: string, count: number, timeoutMs: number): Promise<StoredExecution> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const run = this.executions(workflowId)[count - 1];
			if (run && !['new', 'running', 'waiting'].includes(run.status)) return run;
			if (Date.now() > deadline) throw new Error(`${workflowId}: execution ${count} not finished within ${timeoutMs / 1000} s`);
			await this.page.waitForTimeout(1000);
		}
	}

	/** Opens a node's panel (by the workflow/node route) and clicks into a resource locator; returns the page text. */
	async openPicker(workflowId: string, nodeId: string, parameter: string, expected: string[]): Promise<string> {
		await this.page.goto(`${this.dev.url}/workflow/${workflowId}/${nodeId}`);
		const locator = this.page.locator(`[data-test-id="resource-locator-${parameter}"]`).first();
		await locator.waitFor({ timeout: 60_000 });
		await locator.locator('input:not([data-test-id="rlc-search"])').nth(1).click();
		for (const name of expected) await this.page.getByText(name, { exact: true }).first().waitFor({ timeout: 30_000 });
		return await this.page.locator('body').innerText();
	}

	/** Opens a credential's modal in the editor, which tests a saved credential on opening; waits for one of the texts. */
	async testCredentialInEditor(id: string, texts: string[]): Promise<string> {
		await this.page.goto(`${this.dev.url}/home/credentials/${id}`);
		// A failed test shows "Couldn't connect with these settings" and the message behind "More details".
		const details = this.page.getByText('More details').first();
		await this.page.getByText(/Connection tested successfully|Couldn.t connect with these settings/).first().waitFor({ timeout: 30_000 });
		if (await details.isVisible()) await details.click();
		return await Promise.any(texts.map(async (text) => (await this.page.getByText(text).first().waitFor({ timeout: 30_000 }), text)));
	}
}

