/**
 * What the editor shows of a workflow when it opens, at a laptop's size: each note's text fits its note, no node
 * covers a note, and every node with its name is on the canvas, clear of the Execute workflow button.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { PROJECT_ROOT } from '../test/harness/packages';
import { SANDBOX_WORKFLOWS } from './sandboxExamples';
import type { UiRun } from './uiRun';

const EXAMPLES_DIR = path.join(PROJECT_ROOT, 'examples');

export const LAPTOP = { width: 1440, height: 900 };

interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}

interface CanvasLayout {
	canvas: Box;
	execute: Box | null;
	nodes: Array<{ name: string; box: Box }>;
	notes: Array<{ text: string; box: Box; textHeight: number; shownHeight: number }>;
}

/** The little of the browser's DOM read here (the project's type checks have no DOM library). */
interface PageRect {
	x: number;
	y: number;
	width: number;
	height: number;
	left: number;
	top: number;
	right: number;
	bottom: number;
}
interface PageElement {
	getBoundingClientRect(): PageRect;
	querySelector(selector: string): PageElement | null;
	querySelectorAll(selector: string): ArrayLike<PageElement>;
	getAttribute(name: string): string | null;
	firstElementChild: PageElement | null;
	textContent: string | null;
	scrollHeight: number;
	clientHeight: number;
}

/**
 * The boxes as the browser lays them out. Written without named inner functions: the bundler would wrap them in a
 * helper the page does not have.
 */
async function canvasLayout(page: Page): Promise<CanvasLayout> {
	return await page.evaluate(() => {
		const { document } = globalThis as unknown as { document: PageElement };
		const canvas = document.querySelector('.vue-flow')!.getBoundingClientRect();
		const execute = document.querySelector('[data-test-id="execute-workflow-button"]')?.getBoundingClientRect();
		const layout: CanvasLayout = {
			canvas: { x: canvas.x, y: canvas.y, width: canvas.width, height: canvas.height },
			execute: execute ? { x: execute.x, y: execute.y, width: execute.width, height: execute.height } : null,
			nodes: [],
			notes: [],
		};
		for (const element of Array.from(document.querySelectorAll('.vue-flow__node'))) {
			const sticky = element.querySelector('[data-test-id="sticky"]');
			const parts = [element, ...Array.from(element.querySelectorAll('[class*="_description_"]'))].map((part) => part.getBoundingClientRect());
			if (sticky) {
				// The note's text lives in a wrapper that hides what does not fit.
				const wrapper = sticky.firstElementChild ?? sticky;
				const [note] = parts;
				layout.notes.push({
					text: (sticky.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40),
					box: { x: note.x, y: note.y, width: note.width, height: note.height },
					textHeight: wrapper.scrollHeight,
					shownHeight: wrapper.clientHeight,
				});
				continue;
			}
			// A node's name and subtitle sit below its square: they count as the node.
			const left = Math.min(...parts.map((part) => part.left));
			const top = Math.min(...parts.map((part) => part.top));
			layout.nodes.push({
				name: element.querySelector('[data-test-id="canvas-node"]')?.getAttribute('data-node-name') ?? '?',
				box: { x: left, y: top, width: Math.max(...parts.map((part) => part.right)) - left, height: Math.max(...parts.map((part) => part.bottom)) - top },
			});
		}
		return layout;
	});
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;

/** What is wrong with the workflow open in `page` as the editor first shows it (nothing: []). */
async function layoutProblems(page: Page): Promise<string[]> {
	const layout = await canvasLayout(page);
	const problems: string[] = [];
	if (layout.notes.length === 0) problems.push('no note shown');
	for (const note of layout.notes) {
		// A pixel or two of rounding is not a cut-off line.
		if (note.textHeight > note.shownHeight + 2) problems.push(`note "${note.text}…" cut off: its text needs ${note.textHeight} px, it shows ${note.shownHeight}`);
		for (const node of layout.nodes) if (overlaps(node.box, note.box)) problems.push(`node "${node.name}" covers note "${note.text}…"`);
	}
	for (const node of layout.nodes) {
		if (!inside(node.box, layout.canvas)) problems.push(`node "${node.name}" is not wholly on the canvas`);
		if (layout.execute && overlaps(node.box, layout.execute)) problems.push(`node "${node.name}" is behind the Execute workflow button`);
	}
	return problems;
}

/** Every example (the sandbox copies as dev imports them, and the originals as a user imports them), opened at 1440×900. */
export async function checkExampleLayouts(ui: UiRun): Promise<void> {
	const page = ui.page;
	const originals = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json'));
	const workflows: Array<{ label: string; id: () => Promise<string> }> = [
		...SANDBOX_WORKFLOWS.map(({ id, file }) => ({ label: `sandbox/${file}`, id: async () => id })),
		...originals.map((file) => ({
			label: file,
			id: async () => {
				const { name, nodes, connections, settings } = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Record<string, unknown>;
				return (await ui.rest<{ id: string }>('POST', '/workflows', { name, nodes, connections, settings, active: false })).id;
			},
		})),
	];
	const viewport = page.viewportSize();
	await page.setViewportSize(LAPTOP);
	try {
		for (const workflow of workflows) {
			await ui.check(`example ${workflow.label} at 1440×900: notes fit their text, no node covers a note or hides behind Execute workflow`, async () => {
				await page.goto(`${ui.dev.url}/workflow/${await workflow.id()}`);
				await page.locator('[data-test-id="execute-workflow-button"]').first().waitFor({ timeout: 60_000 });
				// The editor fits the workflow to the window once its nodes are drawn.
				await page.waitForTimeout(1500);
				const problems = await layoutProblems(page);
				if (problems.length > 0) throw new Error(problems.join('; '));
				return 'notes fit, nothing covered';
			});
		}
	} finally {
		if (viewport) await page.setViewportSize(viewport);
	}
}
