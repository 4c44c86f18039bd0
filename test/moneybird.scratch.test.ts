import { moneybirdFixture, createParameters, byId, errorText, SEED } from './moneybird.fixture';
const fx = moneybirdFixture();
test('scratch', async () => {
	require('/tmp/dbg.js');
	fx.api().server.injectFaults((r) => r.method === 'POST', { kind: 'resetAfterHandling' });
	const r5 = await fx.run(createParameters());
	console.log(errorText(r5.error), JSON.stringify(r5.items), fx.api().server.requests.map((r) => r.method + ' ' + r.path));
	const r6 = await fx.run(createParameters({ invoice: byId(SEED.invoices.usd) }));
	console.log(errorText(r6.error));
	fx.api().server.injectFaults((r) => r.method === 'POST', { kind: 'status', status: 500, rawBody: 'Retry later', headers: { 'content-type': 'text/plain' } });
	const r7 = await fx.run(createParameters());
	console.log(errorText(r7.error));
});
