import { moneybirdRateLimit } from '../sandbox/moneybird';
import type { RemainingForm } from '../sandbox/moneybird/rateLimit';
import { createAlone, moneybirdFixture } from './fixtures';

/**
 * Pacing before the 429: Moneybird's answers say how many requests are left, in the documented form
 * (`RateLimit-Remaining`) or the form a public client measured on the live API (`RateLimit-Remaining` counting
 * seconds, the requests in `RateLimit-RequestsRemaining`). Read either way, a batch over the limit pauses at the
 * end of each window and is never turned away.
 */
const fx = moneybirdFixture();

const LIMIT = 4;
const ROWS = 9;

describe.each(['requests', 'seconds'] as RemainingForm[])('RateLimit-Remaining counting %s', (remaining) => {
	it(`${ROWS} creates under a limit of ${LIMIT} a second: ${ROWS} requests, no 429, each window's requests within the limit`, async () => {
		fx.api().server.rateLimit = moneybirdRateLimit(LIMIT, 1000, { remaining });
		const items = Array.from({ length: ROWS }, (_, i) => ({ amount: `${i + 1}.00` }));

		const result = await fx.run(createAlone({ amount: '={{ $json.amount }}' }), { items });

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(ROWS);
		expect(fx.api().server.rateLimited).toBe(0);
		expect(fx.api().server.requests).toHaveLength(ROWS);
		const perWindow = new Map<number, number>();
		for (const r of fx.api().server.requests) perWindow.set(Math.floor(r.receivedAt / 1000), (perWindow.get(Math.floor(r.receivedAt / 1000)) ?? 0) + 1);
		expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(LIMIT);
	});
});
