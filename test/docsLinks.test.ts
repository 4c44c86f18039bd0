import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The READMEs and docs/ link to each other and to the repository's files. A link that points at nothing (a file
 * moved, a heading renamed) fails here, naming the link: every relative link `[text](target)` must name an
 * existing file or folder, resolved from the Markdown file's folder, and a `#anchor` must be a heading's GitHub
 * slug in the file it points into. Links to other sites (http, https, mailto, …) and links inside fenced code
 * blocks or inline code are not checked. The package READMEs are for the people who install a package: they
 * must stay 150–200 lines and reach `## Install` within their first 40 lines.
 */

const root = path.resolve(__dirname, '..');

const relative = (file: string): string => path.relative(root, file).split(path.sep).join('/');

function markdownFilesUnder(folder: string): string[] {
	if (!existsSync(folder)) return [];
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) return markdownFilesUnder(full);
		return entry.name.endsWith('.md') ? [full] : [];
	});
}

const packagesFolder = path.join(root, 'packages');
const packageReadmes = existsSync(packagesFolder)
	? readdirSync(packagesFolder, { withFileTypes: true })
			.filter((entry) => entry.isDirectory())
			.map((entry) => path.join(packagesFolder, entry.name, 'README.md'))
			.filter((file) => existsSync(file))
	: [];

const markdownFiles = [path.join(root, 'README.md'), ...packageReadmes, ...markdownFilesUnder(path.join(root, 'docs'))];

interface Line {
	number: number;
	text: string;
}

/** The file's lines outside fenced code blocks (``` or ~~~), with their line numbers. */
function proseLines(markdown: string): Line[] {
	const lines: Line[] = [];
	let fence: string | undefined;
	markdown.split('\n').forEach((text, index) => {
		const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(text);
		if (fence) {
			if (opening && opening[1][0] === fence[0] && opening[1].length >= fence.length && text.trim() === opening[1]) fence = undefined;
			return;
		}
		if (opening) {
			fence = opening[1];
			return;
		}
		lines.push({ number: index + 1, text });
	});
	return lines;
}

/** A heading's text as GitHub renders it: links as their text, no emphasis marks or backticks. */
function headingText(raw: string): string {
	return raw
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.replace(/[`*]/g, '')
		.replace(/(^|\s)_+([^_]+?)_+(?=\s|$)/g, '$1$2')
		.trim();
}

/** GitHub's anchor for a heading (github-slugger): lower case, punctuation and symbols dropped, spaces as hyphens. */
function slug(text: string): string {
	return headingText(text)
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

const anchorCache = new Map<string, Set<string>>();

/** Every anchor a Markdown file has: its headings' slugs (repeats get -1, -2, …) and explicit HTML ids. */
function anchorsOf(file: string): Set<string> {
	let anchors = anchorCache.get(file);
	if (anchors) return anchors;
	anchors = new Set();
	const seen = new Map<string, number>();
	for (const { text } of proseLines(readFileSync(file, 'utf8'))) {
		const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
		if (heading) {
			const base = slug(heading[1]);
			const count = seen.get(base) ?? 0;
			seen.set(base, count + 1);
			anchors.add(count === 0 ? base : `${base}-${count}`);
		}
		for (const html of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(html[1]);
	}
	anchorCache.set(file, anchors);
	return anchors;
}

interface Link {
	line: number;
	text: string;
	target: string;
}

/** The links of a file outside code: inline `[text](target)` (images too) and reference definitions `[text]: target`. */
function linksOf(markdown: string): Link[] {
	const links: Link[] = [];
	for (const { number, text } of proseLines(markdown)) {
		// Inline code is shown as it is, never as a link.
		const prose = text.replace(/(`+)[\s\S]*?\1/g, (code) => ' '.repeat(code.length));
		for (const match of prose.matchAll(/!?\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) {
			links.push({ line: number, text: match[1], target: match[2] });
		}
		const definition = /^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(prose);
		if (definition) links.push({ line: number, text: definition[1], target: definition[2] });
	}
	return links;
}

/** What is wrong with each link of `file` that points at nothing, one line per link. */
function brokenLinks(file: string): string[] {
	const broken: string[] = [];
	for (const link of linksOf(readFileSync(file, 'utf8'))) {
		const shown = `line ${link.line}: [${link.text}](${link.target})`;
		if (link.target === '') {
			broken.push(`${shown}: the link has no target`);
			continue;
		}
		// Another site (https:, mailto:, …): not checked here.
		if (/^[a-z][a-z0-9+.-]*:/i.test(link.target) || link.target.startsWith('//')) continue;
		const hash = link.target.indexOf('#');
		const pathPart = hash === -1 ? link.target : link.target.slice(0, hash);
		const anchor = hash === -1 ? undefined : link.target.slice(hash + 1);
		let target = file;
		if (pathPart !== '') {
			let decoded: string;
			try {
				decoded = decodeURIComponent(pathPart);
			} catch {
				broken.push(`${shown}: the path is not valid URL encoding`);
				continue;
			}
			target = decoded.startsWith('/') ? path.join(root, decoded) : path.resolve(path.dirname(file), decoded);
			if (!existsSync(target)) {
				broken.push(`${shown}: ${relative(target)} does not exist`);
				continue;
			}
		}
		if (anchor === undefined) continue;
		if (anchor === '') {
			broken.push(`${shown}: the anchor is empty`);
			continue;
		}
		// Anchors into source files (#L10) are GitHub's line links; only Markdown headings are checked.
		if (statSync(target).isDirectory() || !target.endsWith('.md')) continue;
		if (!anchorsOf(target).has(decodeURIComponent(anchor).toLowerCase())) {
			broken.push(`${shown}: ${relative(target)} has no heading with the anchor #${anchor}`);
		}
	}
	return broken;
}

describe('Markdown links', () => {
	it('finds the READMEs and docs/', () => {
		const found = markdownFiles.map(relative);
		expect(found).toEqual(
			expect.arrayContaining(['README.md', 'packages/kantata-ox/README.md', 'packages/moneybird/README.md', 'docs/README.md']),
		);
	});

	it.each(markdownFiles.map(relative))('%s: every relative link points at a file, folder or heading', (file) => {
		const broken = brokenLinks(path.join(root, file));
		if (broken.length > 0) throw new Error(`${file} has ${broken.length} broken link(s):\n${broken.join('\n')}`);
	});

	it('reads GitHub anchors as GitHub makes them', () => {
		expect(slug('Both directions: Kantata OX ⇄ Moneybird')).toBe('both-directions-kantata-ox--moneybird');
		expect(slug("n8n's newest releases")).toBe('n8ns-newest-releases');
		expect(slug('In n8n\'s engine (`npm run bench`)')).toBe('in-n8ns-engine-npm-run-bench');
		expect(slug('[Install](#install) the package_name')).toBe('install-the-package_name');
		expect(linksOf('```\n[in code](nowhere.md)\n```\n`[inline](nowhere.md)` [real](x.md)').map((link) => link.target)).toEqual(['x.md']);
	});
});

describe('package READMEs', () => {
	it.each(packageReadmes.map(relative))('%s is 150–200 lines and reaches "## Install" within its first 40 lines', (file) => {
		const lines = readFileSync(path.join(root, file), 'utf8').replace(/\n$/, '').split('\n');
		const problems: string[] = [];
		if (lines.length < 150 || lines.length > 200) problems.push(`it is ${lines.length} lines long, not 150–200`);
		const install = lines.findIndex((line) => /^## Install\s*$/.test(line));
		if (install === -1) problems.push('it has no "## Install" heading');
		else if (install >= 40) problems.push(`"## Install" is on line ${install + 1}, not within the first 40`);
		if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
	});
});
