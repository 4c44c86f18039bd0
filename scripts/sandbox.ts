/**
 * `npm run sandbox`: local servers that behave like the Kantata OX and Moneybird APIs (the same code the tests
 * use, with their seeded projects, invoices and administrations), on fixed ports, until Ctrl-C. Prints the
 * credential values that point n8n at them.
 */
import '../test/harness/setupEnv';
import { createKantataApi, DEFAULT_TOKEN as KANTATA_TOKEN } from '../sandbox/kantata';
import { createMoneybirdApi, DEFAULT_TOKEN as MONEYBIRD_TOKEN } from '../sandbox/moneybird';
import { seedExampleData } from './sandboxExamples';
import { devPorts, requireFreePorts } from './ports';
import { describePickers, pickerEntries } from './sandboxPickers';

/**
 * Starts both fake APIs on 127.0.0.1 (by default on `--kantata-port` and `--moneybird-port`, 4101 and 4102);
 * tests pass port 0 for free ports. A port in use is named, before anything starts.
 */
export async function startSandbox(ports: { kantata: number; moneybird: number } = devPorts()) {
	await requireFreePorts({ 'the Kantata OX sandbox, --kantata-port': ports.kantata, 'the Moneybird sandbox, --moneybird-port': ports.moneybird });
	const kantata = createKantataApi();
	kantata.state.seedPayments(25);
	await kantata.server.start(ports.kantata);
	const moneybird = createMoneybirdApi();
	await moneybird.server.start(ports.moneybird);
	return {
		kantata,
		moneybird,
		credentials: {
			kantataOxApi: { accessToken: KANTATA_TOKEN, baseUrl: kantata.server.url },
			moneybirdApi: { accessToken: MONEYBIRD_TOKEN, baseUrl: moneybird.server.url },
		},
		async stop() {
			await kantata.server.stop();
			await moneybird.server.stop();
		},
	};
}

/** The credential values, and every entry the pickers show for them (asked of the nodes' own picker methods). */
export async function describeSandbox(sandbox: Awaited<ReturnType<typeof startSandbox>>): Promise<string> {
	const { kantataOxApi, moneybirdApi } = sandbox.credentials;
	return [
		'Sandbox APIs are running (Ctrl-C stops them). Their credentials in n8n:',
		'',
		`  Kantata OX API   Access Token: ${kantataOxApi.accessToken}`,
		`                   Base URL:     ${kantataOxApi.baseUrl}`,
		`  Moneybird API    API Token:    ${moneybirdApi.accessToken}`,
		`                   Base URL:     ${moneybirdApi.baseUrl}`,
		'',
		...(await pickerEntries(sandbox.credentials).then(describePickers, (error: Error) => [
			`(The pickers' entries are listed once the package is built, npm run build: ${error.message.split('\n')[0]})`,
		])),
		'',
		`Kantata OX also holds ${sandbox.kantata.state.countPayments()} external payments.`,
	].join('\n');
}

if (require.main === module) {
	startSandbox().then(
		(sandbox) => {
			// What the sandbox copies of the examples need (examples/sandbox/).
			seedExampleData(sandbox, process.env.GENERIC_TIMEZONE);
			void describeSandbox(sandbox).then((text) => console.log(text));
			process.on('SIGINT', () => void sandbox.stop().then(() => process.exit(0)));
		},
		(error: Error) => {
			console.error(`npm run sandbox: ${error.message}`);
			process.exit(1);
		},
	);
}
