/**
 * `npm run check:standalone`: each package on its own, as a reviewer checks it out: its folder in a fresh clone of
 * the committed repository, with nothing installed but what its own package.json asks for (`npm install` there,
 * no install at the top), then its own `npm run build` (n8n-node build) and `n8n-node lint` (strict; findings that
 * wait on the maintainer's identity let through), and what `npm pack` would publish: its README, license,
 * package.json and dist/, nothing else.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { cleanNpmEnv } from './communityInstall';
import { lintPackage } from './packageLint';
import { PACKAGES, PROJECT_ROOT } from '../test/harness/packages';

function run(command: string, args: string[], cwd: string): { ok: boolean; stdout: string } {
	const result = spawnSync(command, args, { cwd, env: cleanNpmEnv(), encoding: 'utf8' });
	if (result.status !== 0) console.log(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
	return { ok: result.status === 0, stdout: result.stdout };
}

function main(): number {
	const clone = path.join(mkdtempSync(path.join(os.tmpdir(), 'n8n-standalone-')), 'repository');
	try {
		if (!run('git', ['clone', '--quiet', PROJECT_ROOT, clone], PROJECT_ROOT).ok) return 1;
		let failed = 0;
		for (const { folder, name } of PACKAGES) {
			const root = path.join(clone, 'packages', folder);
			const installed = run('npm', ['install', '--no-audit', '--no-fund'], root).ok;
			const built = installed && run('npm', ['run', 'build'], root).ok;
			const linted = built && lintPackage(root, name) === 0;
			const packed = built ? run('npm', ['pack', '--dry-run', '--json'], root) : { ok: false, stdout: '[]' };
			const files = packed.ok ? (JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((file) => file.path) : [];
			const extra = files.filter((file) => !/^(dist\/.+\.(js|json|svg)|package\.json|README\.md|LICENSE\.md)$/.test(file));
			const complete = ['package.json', 'README.md', 'LICENSE.md'].every((file) => files.includes(file)) && files.some((file) => file.startsWith('dist/nodes/'));
			const ok = installed && built && linted && complete && extra.length === 0;
			console.log(
				`${name} on its own (packages/${folder} of a fresh clone): npm install ${installed ? 'ok' : 'FAILED'}, n8n-node build ${built ? 'ok' : 'FAILED'}, ` +
					`n8n-node lint ${linted ? 'ok' : 'FAILED'}, npm pack ${files.length} files${complete ? '' : ' (README, license, package.json or dist missing)'}` +
					`${extra.length ? ` and ${extra.join(', ')} that should not ship` : ''}: ${ok ? 'passed' : 'FAILED'}.`,
			);
			if (!ok) failed++;
		}
		return failed === 0 ? 0 : 1;
	} finally {
		rmSync(path.dirname(clone), { recursive: true, force: true });
	}
}

process.exit(main());
