/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- dev-only code, never shipped (README, Releasing) */
/**
 * `npm run sandbox`: local servers that behave like the Kantata OX and Moneybird APIs (the same code the tests
 * use, with their seeded projects, invoices and administrations), on fixed ports, until Ctrl-C. Prints the
 * credential values that point n8n at them.
 */
import '../test/harness/setupEnv';
import { createKantataApi, DEFAULT_TOKEN as KANTATA_TOKEN } from '../sandbox/kantata';
import { createMoneybirdApi, DEFAULT_TOKEN as MONEYBIRD_TOKEN, MONEYBIRD_SEED } from '../sandbox/moneybird';

export const SANDBOX_PORTS = {
	kantata: Number(process.env.SANDBOX_KANTATA_PORT ?? 4101),
	moneybird: Number(process.env.SANDBOX_MONEYBIRD_PORT ?? 4102),
};

/** Starts both fake APIs on 127.0.0.1; tests pass port 0 for free ports. */
export async function startSandbox(ports: { kantata: number; moneybird: number } = SANDBOX_PORTS) {
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

export function describeSandbox(sandbox: Awaited<ReturnType<typeof startSandbox>>): string {
	const { kantataOxApi, moneybirdApi } = sandbox.credentials;
	return [
		'Sandbox APIs are running (Ctrl-C stops them). In n8n, create these credentials:',
		'',
		`  Kantata OX API   Access Token: ${kantataOxApi.accessToken}`,
		`                   Base URL:     ${kantataOxApi.baseUrl}`,
		`  Moneybird API    API Token:    ${moneybirdApi.accessToken}`,
		`                   Base URL:     ${moneybirdApi.baseUrl}`,
		'',
		'Seeded data:',
		'  Kantata OX: projects 101 "Website relaunch", 102 "Mobile app", 103 "Website maintenance";',
		'              invoices 1001 (pending), 1002 (draft), 1003 (paid) in project 101; 25 payments.',
		`  Moneybird:  administration ${MONEYBIRD_SEED.administrations.main} "Parkietje B.V."; open invoices WS-1001`,
		`              (${MONEYBIRD_SEED.invoices.open121}, EUR 121.00) and WS-1002 (${MONEYBIRD_SEED.invoices.open60}, EUR 60.50).`,
	].join('\n');
}

if (require.main === module) {
	void startSandbox().then((sandbox) => {
		console.log(describeSandbox(sandbox));
		process.on('SIGINT', () => void sandbox.stop().then(() => process.exit(0)));
	});
}
