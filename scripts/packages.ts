/**
 * Each package folder under packages/ is an n8n node package of its own (what n8n's verification builds, lints
 * and scans): its package.json and README, and its sources as links into the repository's nodes/ and credentials/.
 * Which sources: what its nodes and credentials import, followed by TypeScript, and the icons and codex files
 * beside its nodes, so the shared code goes into each package and no file of the other service does.
 *
 * `npm run build` runs this file: it makes the links again (new files linked, stale links removed) and compiles
 * each package into its own dist/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

import ts from 'typescript';

import { PACKAGES, PROJECT_ROOT } from '../test/harness/packages';
import type { RepositoryPackage } from '../test/harness/packages';

/** The folders a package's sources are linked in. */
const SOURCE_FOLDERS = ['nodes', 'credentials'];

interface PackageManifest {
	name: string;
	version: string;
	n8n: { nodes: string[]; credentials: string[] };
}

function manifestOf(pkg: RepositoryPackage): PackageManifest {
	return JSON.parse(readFileSync(path.join(pkg.root, 'package.json'), 'utf8')) as PackageManifest;
}

/** The repository files a package ships the compiled form of, relative to the repository (sorted). */
export function packageSources(pkg: RepositoryPackage): string[] {
	const { n8n } = manifestOf(pkg);
	// `dist/nodes/X/X.node.js` is built from `nodes/X/X.node.ts`.
	const entries = [...n8n.nodes, ...n8n.credentials].map((file) => path.join(PROJECT_ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.ts')));
	const { config } = ts.readConfigFile(path.join(PROJECT_ROOT, 'tsconfig.json'), (file) => ts.sys.readFile(file));
	const { options } = ts.parseJsonConfigFileContent(config, ts.sys, PROJECT_ROOT);
	const program = ts.createProgram(entries, { ...options, noEmit: true });
	const sources = program
		.getSourceFiles()
		.map((file) => path.relative(PROJECT_ROOT, file.fileName))
		.filter((file) => !file.startsWith('..') && !file.includes('node_modules') && !file.endsWith('.d.ts'));
	// Each node's icons and codex (`X.node.json`) sit beside it; the credentials point at the node's icons.
	const nodeFolders = n8n.nodes.map((file) => path.dirname(file.replace(/^dist\//, '')));
	const assets = nodeFolders.flatMap((folder) =>
		readdirSync(path.join(PROJECT_ROOT, folder))
			.filter((name) => /\.(svg|png)$|\.node\.json$/.test(name))
			.map((name) => path.join(folder, name)),
	);
	return [...new Set([...sources, ...assets])].sort();
}

/** The links under a package folder's nodes/ and credentials/ (paths relative to the package folder, sorted). */
export function linkedSources(pkg: RepositoryPackage): string[] {
	const walk = (folder: string): string[] =>
		existsSync(path.join(pkg.root, folder))
			? readdirSync(path.join(pkg.root, folder), { withFileTypes: true }).flatMap((entry) =>
					entry.isDirectory() ? walk(path.join(folder, entry.name)) : [path.join(folder, entry.name)],
				)
			: [];
	return SOURCE_FOLDERS.flatMap(walk).sort();
}

/** Makes a package folder's links match its sources: each a relative link to the repository's file. */
export function linkPackage(pkg: RepositoryPackage): { added: string[]; removed: string[] } {
	const wanted = packageSources(pkg);
	const removed = linkedSources(pkg).filter((file) => !wanted.includes(file));
	for (const file of removed) rmSync(path.join(pkg.root, file));
	const added: string[] = [];
	for (const file of wanted) {
		const link = path.join(pkg.root, file);
		const target = path.relative(path.dirname(link), path.join(PROJECT_ROOT, file));
		if (lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink() && readlinkSync(link) === target) continue;
		rmSync(link, { force: true });
		mkdirSync(path.dirname(link), { recursive: true });
		symlinkSync(target, link);
		added.push(file);
	}
	// Folders a removed link leaves empty go too.
	for (const folder of SOURCE_FOLDERS) removeEmptyFolders(path.join(pkg.root, folder));
	return { added, removed };
}

function removeEmptyFolders(folder: string): void {
	if (!existsSync(folder) || !lstatSync(folder).isDirectory()) return;
	for (const entry of readdirSync(folder)) removeEmptyFolders(path.join(folder, entry));
	if (readdirSync(folder).length === 0) rmSync(folder, { recursive: true });
}

/** Links each package's sources and compiles them into its dist/ (the icons follow: gulpfile.js). */
function build(): number {
	for (const pkg of PACKAGES) {
		const { added, removed } = linkPackage(pkg);
		for (const file of added) console.log(`packages/${pkg.folder}/${file}: linked`);
		for (const file of removed) console.log(`packages/${pkg.folder}/${file}: removed (${pkg.name} no longer uses it)`);
		rmSync(path.join(pkg.root, 'dist'), { recursive: true, force: true });
		const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', pkg.root], { stdio: 'inherit' });
		if (tsc.status !== 0) return 1;
	}
	return 0;
}

if (require.main === module) process.exit(build());
