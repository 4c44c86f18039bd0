/**
 * `tsx scripts/n8nInstall.ts [--n8n=1,2]`: installs each major's n8n into the cache and migrates its template user
 * folder, timing both (nothing happens for what is already cached). Tests and smoke do this on demand as well;
 * `npm run test:n8n` runs this first so that no install happens inside a test's time limit.
 */
import { ensureN8n, majorsFromArgs, migratedTemplate } from './n8nLocal';

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

async function main() {
	for (const major of majorsFromArgs()) {
		const started = Date.now();
		const n8n = ensureN8n(major);
		const installed = Date.now();
		await migratedTemplate(n8n);
		console.log(`n8n ${n8n.version} ready: install ${seconds(installed - started)}, template ${seconds(Date.now() - installed)}`);
	}
}

void main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
