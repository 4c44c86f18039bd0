/**
 * `npm run scan`: n8n's verification scanner (@n8n/scan-community-package) on each package, through its exported
 * analysis, as its command line runs it on a published version: the source (the folder whose package.json has the
 * package's name, packages/<folder>: its package.json, nodes/ and credentials/, whose links it follows) and the
 * packed tarball (its compiled .js and package.json), with its own rules and inline `eslint-disable` comments
 * ignored. Its command line only scans published names, so this packs the working copy instead.
 *
 * Every finding fails, errors and warnings alike, except the two that wait on the maintainer's identity
 * (docs/releasing.md) while that field is still empty in the package's package.json: the author's email and the homepage, which comes
 * from the repository URL. `npm run release:check` refuses to publish while either is empty.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import type { ESLint, Linter } from 'eslint';

import { packPackages } from './communityInstall';
import { pendingIdentityRules, readManifest } from './identity';
import { PACKAGES } from '../test/harness/packages';

interface Scanner {
	SOURCE_FILE_PATTERNS: string[];
	analyzePackage(dir: string, patterns: string[]): Promise<{ passed: boolean; message?: string; details?: string }>;
	buildScanConfig(): Promise<Linter.Config[]>;
}

const SCANNER = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
// The scanner's own ESLint and glob (the ones analyzePackage uses).
const scannerRequire = createRequire(SCANNER);
const { ESLint: ScannerESLint } = scannerRequire('eslint') as typeof import('eslint');
const glob = scannerRequire('fast-glob') as typeof import('fast-glob');

/** The scanner's verdict (analyzePackage) and every message of its rules, warnings included, on one file set. */
async function scan(scanner: Scanner, dir: string, patterns: string[]) {
	const verdict = await scanner.analyzePackage(dir, patterns);
	// Exactly analyzePackage's ESLint setup; it reports details only for errors, so warnings are read here.
	const eslint = new ScannerESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results: ESLint.LintResult[] = await eslint.lintFiles(files);
	return { verdict, files: files.length, results };
}

async function main(): Promise<number> {
	const scanner = (await import(SCANNER)) as Scanner;
	const work = mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
	try {
		const tarballs = packPackages(path.join(work, 'pack'), { build: false });
		let unexpected = 0;
		let pending = 0;
		for (const [index, pkg] of PACKAGES.entries()) {
			const waiting = pendingIdentityRules(readManifest(pkg.root));
			const unpacked = path.join(work, pkg.folder);
			mkdirSync(unpacked);
			const tar = spawnSync('tar', ['-xzf', tarballs[index], '-C', unpacked, '--strip-components=1'], { encoding: 'utf8' });
			if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);

			// The two legs of the scanner's analyzePackageByName: the attested source, then the published tarball.
			const legs = [
				{ name: 'source', dir: pkg.root, patterns: scanner.SOURCE_FILE_PATTERNS },
				{ name: 'tarball', dir: unpacked, patterns: ['**/*.js', 'package.json'] },
			];
			for (const leg of legs) {
				const { verdict, files, results } = await scan(scanner, leg.dir, leg.patterns);
				// A failure other than rule violations (the analysis itself broke) is never the identity fields.
				if (!verdict.passed && verdict.message !== 'ESLint violations found') unexpected++;
				const lines: string[] = [];
				for (const result of results) {
					for (const message of result.messages) {
						const identity = waiting.find((w) => w.ruleId === message.ruleId);
						const where = `${path.relative(leg.dir, result.filePath)}:${message.line}:${message.column}`;
						const level = message.severity === 2 ? 'error' : 'warning';
						if (identity) {
							pending++;
							lines.push(`  ${where} ${level} ${message.ruleId}: ${message.message} (waits on ${identity.field}, docs/releasing.md)`);
						} else {
							unexpected++;
							lines.push(`  ${where} ${level} ${message.ruleId ?? 'parse'}: ${message.message}`);
						}
					}
				}
				console.log(`Scanner, ${pkg.name} ${leg.name} (${files} files): analyzePackage ${verdict.passed ? 'passed' : `failed: ${verdict.message}`}`);
				for (const line of lines) console.log(line);
			}
		}
		console.log(
			unexpected === 0
				? `Scanner: no findings${pending ? `, except ${pending} waiting on the maintainer's identity (npm run release:check)` : ''}`
				: `Scanner: ${unexpected} finding(s) to fix`,
		);
		return unexpected === 0 ? 0 : 1;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
