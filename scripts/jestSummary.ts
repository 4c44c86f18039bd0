/**
 * `tsx scripts/jestSummary.ts "<title>" <jest --json output>`: what a jest run found, in Markdown, appended to
 * `$GITHUB_STEP_SUMMARY` (printed when that is unset), and each failed test as a GitHub annotation. The RoutingNode
 * contract tests (test/routingNodeContract*.test.ts) are named after the behaviours the package relies on, so
 * their failures are listed first, as the behaviours that changed. A missing or unreadable file means the run
 * stopped before jest reported (an install or start-up failure: the step's log says which). Always exits 0.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface AssertionResult {
	ancestorTitles: string[];
	title: string;
	status: string;
	failureMessages: string[];
}

interface TestFileResult {
	name: string;
	status: string;
	message: string;
	assertionResults: AssertionResult[];
}

interface JestResults {
	numPassedTests: number;
	numFailedTests: number;
	numPendingTests: number;
	numFailedTestSuites: number;
	testResults: TestFileResult[];
}

const [title = 'jest', file = ''] = process.argv.slice(2);

/** The first lines of a failure message (jest's expectation and what it got), without colour codes or stack. */
function firstLine(message: string): string {
	// eslint-disable-next-line no-control-regex -- ANSI colour codes
	const plain = message.replace(/\u001b\[[0-9;]*m/g, '');
	const lines = plain.split('\n').map((line) => line.trim());
	const meaningful = lines.filter((line) => line && !line.startsWith('●') && !line.startsWith('at '));
	return meaningful.slice(0, 3).join(' / ').slice(0, 300);
}

/** A GitHub error annotation (workflow-command escaping of its properties and message). */
function annotate(properties: Record<string, string>, message: string) {
	const escape = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
	const property = (text: string) => escape(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
	const list = Object.entries(properties).map(([key, value]) => `${key}=${property(value)}`);
	console.log(`::error ${list.join(',')}::${escape(message)}`);
}

function read(): JestResults | undefined {
	try {
		return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as JestResults) : undefined;
	} catch {
		return undefined;
	}
}

const lines = [`## ${title}`, ''];
const results = read();
if (!results) {
	lines.push(`**No test results**: the run stopped before jest reported (an install or start-up failure); see the step's log.`);
	annotate({ title }, 'no test results: the run stopped before jest reported');
} else {
	lines.push(`${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped.`);
	const contract: string[] = [];
	const other: string[] = [];
	for (const testFile of results.testResults) {
		const relative = path.relative(process.cwd(), testFile.name);
		const list = /routingNodeContract/.test(relative) ? contract : other;
		const failed = testFile.assertionResults.filter((test) => test.status === 'failed');
		for (const test of failed) {
			const name = [...test.ancestorTitles, test.title].join(' › ');
			const why = firstLine(test.failureMessages.join('\n'));
			list.push(`- **${name}** (\`${relative}\`)${why ? `: ${why}` : ''}`);
			annotate({ file: relative, title: name }, why || 'failed');
		}
		// A file that failed without a failed test did not run (it failed to load, or a hook threw).
		if (testFile.status === 'failed' && failed.length === 0) {
			list.push(`- **${relative} did not run**: ${firstLine(testFile.message)}`);
			annotate({ file: relative, title: 'did not run' }, firstLine(testFile.message));
		}
	}
	if (contract.length) lines.push('', '### RoutingNode behaviours that changed (test/routingNodeContract*.test.ts)', '', ...contract);
	if (other.length) lines.push('', '### Other failures', '', ...other);
}
const markdown = `${lines.join('\n')}\n\n`;
if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
else console.log(markdown);
