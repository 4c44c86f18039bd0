import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { keepsStaticData, SANDBOX_EXAMPLES_DIR, SANDBOX_WORKFLOWS } from '../scripts/sandboxExamples';

/**
 * n8n keeps a workflow's static data (a trigger's registered webhook and its secret, a poll's place) only for IDs
 * it accepts: at most 16 characters on n8n 1.x, 21 on 2.x. An example imported with a longer ID does nothing when
 * switched on, and leaves its webhook registered when switched off.
 */
const EXAMPLES = path.join(SANDBOX_EXAMPLES_DIR, '..');
const exampleFiles = [EXAMPLES, SANDBOX_EXAMPLES_DIR].flatMap((folder) =>
	readdirSync(folder)
		.filter((name) => name.endsWith('.json'))
		.map((name) => path.join(folder, name)),
);

describe('workflow IDs n8n keeps static data for', () => {
	it('the rule: letters and digits, at most 16', () => {
		expect(keepsStaticData('sandboxMbToKx')).toBe(true);
		expect(keepsStaticData('sandboxMoneybirdToKantata')).toBe(false);
		expect(keepsStaticData('a'.repeat(17))).toBe(false);
		expect(keepsStaticData('')).toBe(false);
	});

	it.each(SANDBOX_WORKFLOWS.map(({ id, file }) => [file, id]))('npm run dev imports %s as %s', (_file, id) => {
		expect(keepsStaticData(id)).toBe(true);
	});

	it.each(exampleFiles.map((file) => [path.relative(EXAMPLES, file), file]))('%s has no ID, or one n8n keeps', (_name, file) => {
		const { id } = JSON.parse(readFileSync(file, 'utf8')) as { id?: string };
		if (id !== undefined) expect(keepsStaticData(id)).toBe(true);
		expect(exampleFiles.length).toBeGreaterThanOrEqual(9);
	});
});
