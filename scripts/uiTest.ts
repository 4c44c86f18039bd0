/**
 * `npm run test:ui [-- --n8n=2]`: the editor a newcomer meets, in a real browser. Starts what `npm run dev` starts
 * (devEditor.ts) on free ports, headless, and drives Debian's Chromium (installed with apt when missing) with
 * playwright-core: runs the tour twice (the second run: every item alreadyRecorded), opens each picker in list
 * mode and checks its entries against what the nodes' picker methods give (what the dev banner prints), tests the
 * sandbox credentials and a non-https one, and runs each imported sandbox example; then opens every example at
 * 1440×900 (uiLayout.ts) and switches each trigger example on and off in the editor (uiTriggers.ts). Screenshots go
 * to test-results/ui/n8n-<major>/. Ends with "N passed, N failed" and exit code 0 only when all passed.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { outputOf } from '../test/real-n8n/storedRuns';
import { cleanNpmEnv } from './communityInstall';
import { startDevEditor } from './devEditor';
import type { DevEditor } from './devEditor';
import { SANDBOX_CREDENTIALS } from './n8nImports';
import { equal, UiRun } from './uiRun';
import type { Check } from './uiRun';
import { freePort, majorsFromArgs } from './n8nLocal';
import { checkCredentials } from './uiCredentials';
import { checkExampleLayouts } from './uiLayout';
import { kantataTriggerSwitchedOn, moneybirdTriggerSwitchedOn } from './uiTriggers';
import { pickerEntries } from './sandboxPickers';
import type { PickerEntries } from './sandboxPickers';
import { KANTATA_INVOICED_REFERENCE, SANDBOX_WORKFLOWS, TRIGGER_EXAMPLE_INVOICE } from './sandboxExamples';
import { nodeType, PROJECT_ROOT } from '../test/harness/packages';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const MONEYBIRD_ENTRY_DESCRIPTION =
	'Record, list and delete payments on external sales invoices in Moneybird and read the invoices, or start a workflow when a payment is registered or an invoice changes state';

function ensureChromium(): void {
	if (existsSync(CHROMIUM)) return;
	console.log('Installing Debian chromium (apt-get install -y chromium)…');
	let result = spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit' });
	if (result.status !== 0) {
		spawnSync('apt-get', ['update'], { stdio: 'inherit' });
		result = spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit' });
	}
	if (result.status !== 0 || !existsSync(CHROMIUM)) throw new Error(`apt-get install chromium failed; ${CHROMIUM} is needed`);
}

async function waitForEditor(url: string, timeoutMs = 600_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		try {
			if ((await fetch(`${url}/healthz`)).ok && (await fetch(`${url}/rest/settings`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error(`n8n did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/** A workflow the test creates (not one dev imports): one node of each kind with every picker in list mode. */
function pickerWorkflow() {
	const node = (id: string, name: string, type: string, parameters: Record<string, unknown>, credentials: Record<string, unknown>, x: number) => ({
		id,
		name,
		type: nodeType(type),
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials,
	});
	const list = (value = '') => ({ __rl: true, mode: 'list', value });
	return {
		name: 'UI test: pickers',
		active: false,
		nodes: [
			node('ui-kantata', 'Kantata OX', 'kantataOx', { authentication: 'accessToken', resource: 'externalPayment', operation: 'create', project: list('101'), recordFor: 'invoice', invoice: list() }, { kantataOxApi: SANDBOX_CREDENTIALS.kantataOxApi }, 0),
			node('ui-moneybird', 'Moneybird', 'moneybird', { authentication: 'accessToken', resource: 'externalSalesInvoicePayment', operation: 'create', administration: list('458026356994787289'), invoice: list() }, { moneybirdApi: SANDBOX_CREDENTIALS.moneybirdApi }, 300),
			node('ui-moneybird-tool', 'Record a payment on an external sales invoice in Moneybird', 'moneybirdTool', { authentication: 'accessToken', resource: 'externalSalesInvoicePayment', operation: 'create' }, { moneybirdApi: SANDBOX_CREDENTIALS.moneybirdApi }, 600),
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

async function uiTest(dev: DevEditor, folder: string): Promise<Check[]> {
	ensureChromium();
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
	try {
		const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
		const page = await context.newPage();
		page.setDefaultTimeout(60_000);
		const ui = new UiRun(page, dev, folder);

		await ui.check('owner account set up, editor opens', async () => {
			await ui.rest('POST', '/owner/setup', { email: 'newcomer@example.com', firstName: 'New', lastName: 'Comer', password: 'Sandbox-Passw0rd' });
			await page.goto(`${dev.url}/home/workflows`);
			for (const { file } of SANDBOX_WORKFLOWS) {
				const { name } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'examples', 'sandbox', file), 'utf8')) as { name: string };
				await page.getByText(name, { exact: true }).first().waitFor({ timeout: 60_000 });
			}
			return `${SANDBOX_WORKFLOWS.length} sandbox workflows listed`;
		});
		await ui.check('the tour is listed first', async () => {
			const names = SANDBOX_WORKFLOWS.map(({ file }) => (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'examples', 'sandbox', file), 'utf8')) as { name: string }).name);
			const tops = await Promise.all(names.map(async (name) => (await page.getByText(name, { exact: true }).first().boundingBox())?.y ?? Infinity));
			const first = names[tops.indexOf(Math.min(...tops))];
			equal(first, names[0], 'first in the list');
			return first;
		});

		// n8n shows one entry for a node and its trigger, with the trigger's description (see the trigger nodes).
		// Its triggers are named by what starts them, not n8n's fallback "On new <node> event".
		const panelEntries = [
			{
				search: 'Kantata',
				name: 'Kantata OX',
				description: 'List, record and delete external payments in Kantata OX, or start a workflow when one is recorded',
				triggers: ['On external payment recorded', 'On external payment recorded or updated'],
				create: 'Record an external payment',
			},
			{
				search: 'Moneybird',
				name: 'Moneybird',
				description: MONEYBIRD_ENTRY_DESCRIPTION,
				triggers: ['On payment registered', 'On external invoice paid'],
				create: 'Record a payment on an external sales invoice',
			},
		];
		for (const entry of panelEntries) {
			const check = `node panel: the ${entry.name} entry's description names both of its nodes; its triggers say what starts them; its Create, added, is named "${entry.create}"`;
			await ui.check(check, async () => {
				await page.goto(`${dev.url}/workflow/${SANDBOX_WORKFLOWS[0].id}`);
				await page.locator('[data-test-id="execute-workflow-button"]').first().waitFor();
				// Tab on the canvas opens the node panel (n8n 1.x; 2.x has a + button for it too).
				await page.mouse.click(300, 250);
				await page.keyboard.press('Tab');
				const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
				if (!(await search.waitFor({ timeout: 5000 }).then(() => true, () => false))) {
					await page.locator('[data-test-id="node-creator-plus-button"]').first().click();
					await search.waitFor();
				}
				await search.fill(entry.search);
				await page.getByText(entry.name, { exact: true }).first().click();
				await page.getByText(entry.description).first().waitFor({ timeout: 30_000 });
				await page.getByText(/^Starts the workflow when/).first().waitFor({ timeout: 1000 }).then(
					() => Promise.reject(new Error("a trigger's own description is shown for the entry")),
					() => undefined,
				);
				// The entry lists its actions open and its triggers folded (1.123, 2.40).
				const firstTrigger = page.getByText(entry.triggers[0], { exact: true }).first();
				if (!(await firstTrigger.isVisible())) await page.getByText(/^Triggers\s*\(\d+\)/).first().click();
				for (const trigger of entry.triggers) await page.getByText(trigger, { exact: true }).first().waitFor({ timeout: 10_000 });
				await page.getByText(/^On new .* event$/).first().waitFor({ timeout: 1000 }).then(
					() => Promise.reject(new Error('a trigger is listed as "On new … event"')),
					() => undefined,
				);
				// n8n names a node added from the panel by its operation's action (makeNodeName): so it stays short.
				await page.getByText(entry.create, { exact: true }).first().click();
				const added = page.locator(`[data-test-id="canvas-node"][data-node-name="${entry.create}"]`).first();
				await added.waitFor({ state: 'attached', timeout: 30_000 });
				// The tour stays as it was: n8n 2.x saves a workflow by itself, and a node left there covers its note. The
				// added node opens in its panel, selected: close the panel, then delete the node.
				await page.keyboard.press('Escape');
				await page.keyboard.press('Delete');
				if (!(await added.waitFor({ state: 'detached', timeout: 5000 }).then(() => true, () => false))) {
					await page.keyboard.press('ControlOrMeta+z');
					await added.waitFor({ state: 'detached', timeout: 10_000 });
				}
				return `${entry.description}; ${entry.triggers.join(', ')}; added as "${entry.create}"`;
			});
		}

		const tour = SANDBOX_WORKFLOWS[0].id;
		await ui.check('tour, first run: both bank rows recorded in Moneybird', async () => {
			const before = dev.sandbox.moneybird.state.paymentCount();
			const run = await ui.execute(tour);
			equal(run.status, 'success', 'status');
			equal(outputOf(run, 'Record payment in Moneybird').map((item) => item.json.alreadyRecorded), [false, false], 'alreadyRecorded');
			equal(dev.sandbox.moneybird.state.paymentCount() - before, 2, 'payments recorded');
			equal(outputOf(run, 'Latest Kantata OX payments').length, 5, 'Kantata OX payments listed');
			return 'alreadyRecorded [false,false], 5 Kantata OX payments listed';
		});
		await ui.check('tour, second run: nothing recorded twice, all alreadyRecorded: true', async () => {
			const before = dev.sandbox.moneybird.state.paymentCount();
			const run = await ui.execute(tour);
			equal(run.status, 'success', 'status');
			equal(outputOf(run, 'Record payment in Moneybird').map((item) => item.json.alreadyRecorded), [true, true], 'alreadyRecorded');
			equal(dev.sandbox.moneybird.state.paymentCount() - before, 0, 'payments recorded');
			return 'alreadyRecorded [true,true]';
		});

		const created = await ui.rest<{ id: string }>('POST', '/workflows', pickerWorkflow()).catch((error: Error) => error);
		// What the nodes' picker methods give now (the dev banner prints it at start; the tour has paid two invoices since).
		const pickerCheck = async (nodeId: string, parameter: string, entries: (pickers: PickerEntries) => Array<{ name: string }>, label: string) =>
			await ui.check(`picker ${label} lists what the dev banner lists`, async () => {
				if (created instanceof Error) throw created;
				const names = entries(await pickerEntries(dev.sandbox.credentials)).map((entry) => entry.name);
				await ui.openPicker(created.id, nodeId, parameter, names);
				return names.join(' | ');
			});
		await pickerCheck('ui-kantata', 'project', (pickers) => pickers.projects, 'Kantata OX Project');
		await pickerCheck('ui-kantata', 'invoice', (pickers) => pickers.kantataInvoices['101'], 'Kantata OX Invoice (project 101)');
		await pickerCheck('ui-moneybird', 'administration', (pickers) => pickers.administrations, 'Moneybird Administration');
		await pickerCheck('ui-moneybird',
			'invoice',
			(pickers) => pickers.moneybird['458026356994787289'].invoices,
			'Moneybird External Sales Invoice (Parkietje B.V.)',
		);

		await ui.check("the Moneybird Tool's Tool Description field says what a repeated call does", async () => {
			if (created instanceof Error) throw created;
			await page.goto(`${dev.url}/workflow/${created.id}/ui-moneybird-tool`);
			await page.getByText('Tool Description', { exact: true }).first().waitFor({ timeout: 60_000 });
			const values = await page.locator('textarea').evaluateAll((areas) => areas.map((area) => (area as unknown as { value: string }).value));
			const told = values.find((value) => value.startsWith('Record a payment on an external sales invoice in Moneybird. A repeated call'));
			if (!told?.endsWith('pass a different transaction identifier.')) throw new Error(`no such Tool Description among ${JSON.stringify(values)}`);
			return told;
		});

		await checkCredentials(ui);

		await ui.check('sandbox example "sheet to Moneybird" runs as is: 2 rows recorded, the bad one listed in the email text', async () => {
			const run = await ui.execute('sandboxSheetMb');
			equal(outputOf(run, 'Record payment in Moneybird').map((item) => item.json.alreadyRecorded ?? 'error'), [false, false, 'error'], 'recorded');
			const [email] = outputOf(run, 'Email the accountant (shown, not sent)');
			equal(email?.json.subject, '1 bank payment(s) not recorded in Moneybird', 'email subject');
			return String(email.json.subject);
		});
		await ui.check('sandbox example "Kantata OX trigger to Moneybird" runs as is: the newest payment recorded on WS-1005', async () => {
			const run = await ui.execute('sandboxKxToMb');
			const recorded = outputOf(run, 'Record in Moneybird').map((item) => [item.json.invoice_id, item.json.price, item.json.alreadyRecorded]);
			equal(recorded, [[TRIGGER_EXAMPLE_INVOICE, '60.0', false]], 'recorded');
			return JSON.stringify(recorded);
		});
		await ui.check("sandbox example \"daily summary\" runs as is: yesterday's 2 payments, the email text shown", async () => {
			const run = await ui.execute('sandboxSummary');
			const [email] = outputOf(run, 'Email the summary (shown, not sent)');
			if (!/^Kantata OX payments on \S+: 2$/.test(String(email?.json.subject))) throw new Error(`subject: ${String(email?.json.subject)}`);
			return String(email.json.subject);
		});
		await ui.check('sandbox example "Moneybird payments to Kantata OX" runs as is: listening, the payment completing KX 101/1001 is recorded in Kantata OX invoice 1001', async () => {
			const moneybird = dev.sandbox.moneybird;
			const invoice = moneybird.state.invoices.find((candidate) => candidate.reference === KANTATA_INVOICED_REFERENCE);
			if (!invoice) throw new Error(`the sandbox has no invoice ${KANTATA_INVOICED_REFERENCE}`);
			const run = await ui.execute('sandboxMbToKx', async () => {
				// Listening registers a test webhook with the sandbox Moneybird; then the payment is recorded there.
				const deadline = Date.now() + 60_000;
				while (moneybird.state.webhooks.webhooks.length === 0 && Date.now() < deadline) await page.waitForTimeout(500);
				const paid = await fetch(`${moneybird.server.url}/${invoice.administrationId}/external_sales_invoices/${invoice.id}/payments.json`, {
					method: 'POST',
					headers: { Authorization: `Bearer ${dev.sandbox.credentials.moneybirdApi.accessToken}`, 'Content-Type': 'application/json' },
					body: JSON.stringify({ payment: { payment_date: '2026-12-01', price: '1250.00' } }),
				});
				equal(paid.status, 201, 'Moneybird payment');
			});
			const recorded = outputOf(run, 'Record in Kantata OX').map((item) => [item.json.invoice_id, item.json.amount_in_cents]);
			equal(recorded, [['1001', 125000]], 'recorded in Kantata OX');
			return JSON.stringify(recorded);
		});

		await checkExampleLayouts(ui);
		await ui.check('sandbox example "Moneybird payments to Kantata OX" switched on in the editor: one execution per payment, no webhook left once off', async () => await moneybirdTriggerSwitchedOn(ui, 'sandboxMbToKx'));
		await ui.check('sandbox example "Kantata OX payments to Moneybird" switched on in the editor: one execution per new payment, at the next poll', async () => await kantataTriggerSwitchedOn(ui, 'sandboxKxToMb'));
		return ui.checks;
	} finally {
		await browser.close();
	}
}

async function main(): Promise<number> {
	const started = Date.now();
	const [major] = majorsFromArgs(process.argv.some((arg) => arg.startsWith('--n8n=')) ? process.argv : ['', '', '--n8n=1']);
	if (spawnSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit', env: cleanNpmEnv() }).status !== 0) return 1;
	const folder = path.join(PROJECT_ROOT, 'test-results', 'ui', `n8n-${major}`);
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(folder, { recursive: true });
	const log = createWriteStream(path.join(folder, 'n8n.log'));
	const port = await freePort();
	// Ports handed out by freePort, so that none of the three is also n8n's task broker's (n8nEnvironment).
	const sandboxPorts = { kantata: await freePort(), moneybird: await freePort() };
	const dev = await startDevEditor({ major, port, sandboxPorts, name: 'ui', stdio: 'pipe' });
	dev.editor.stdout?.pipe(log);
	dev.editor.stderr?.pipe(log);
	let checks: Check[] = [];
	try {
		console.log(`n8n ${dev.n8n.version} starting at ${dev.url} (log: ${path.relative(PROJECT_ROOT, log.path as string)})…`);
		// n8n that exits at start (a port taken, say) says why in its log; no use waiting the full timeout for it.
		const exited = new Promise<never>((_, reject) =>
			dev.editor.once('exit', (code) => reject(new Error(`n8n exited (code ${code}) before its editor answered; see ${path.relative(PROJECT_ROOT, log.path as string)}`))),
		);
		// Handled here too: n8n exits when stopped at the end, after the race is over.
		exited.catch(() => undefined);
		await Promise.race([waitForEditor(dev.url), exited]);
		console.log(`Editor up after ${((Date.now() - started) / 1000).toFixed(0)} s; checks:`);
		checks = await uiTest(dev, folder);
	} catch (error) {
		checks.push({ name: 'browser test ran to its end', ok: false, detail: (error as Error).stack ?? String(error) });
		console.log(`  ✗ ${(error as Error).stack ?? String(error)}`);
	} finally {
		await dev.stop();
	}
	const failed = checks.filter((check) => !check.ok).length;
	console.log(`\nBrowser test on n8n ${dev.n8n.version}: ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in ${path.relative(PROJECT_ROOT, folder)}/`);
	console.log(`${checks.length - failed} passed, ${failed} failed`);
	return failed === 0 && checks.length > 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
