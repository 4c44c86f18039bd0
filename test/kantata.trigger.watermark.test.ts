import { advance, queryAfter } from '../nodes/KantataOxTrigger/watermark';

describe('the boundary rule (watermark.ts)', () => {
	const payment = (id: string, created_at: string) => ({ id, created_at });

	it('asks from one second before the watermark', () => {
		expect(queryAfter({ at: '2025-03-01T10:00:00Z', ids: ['1'] })).toBe('2025-03-01T09:59:59Z');
		expect(queryAfter({ ids: [] })).toBeUndefined();
	});

	it('reads timestamps with offsets and fractions by their second in UTC', () => {
		const mark = { at: '2025-03-01T10:00:00Z', ids: ['1'] };
		const { fresh, mark: next } = advance(
			mark,
			[payment('1', '2025-03-01T05:00:00-05:00'), payment('2', '2025-03-01T10:00:00.750Z'), payment('3', '2025-03-01T11:00:01+01:00')],
			'created_at',
		);
		expect(fresh.map((p) => p.id)).toEqual(['2', '3']);
		expect(next).toEqual({ at: '2025-03-01T10:00:01Z', ids: ['3'] });
	});

	it('never moves back, and drops what is older than the watermark', () => {
		const mark = { at: '2025-03-01T10:00:00Z', ids: ['5'] };
		const { fresh, mark: next } = advance(mark, [payment('4', '2025-03-01T09:59:59Z')], 'created_at');
		expect(fresh).toEqual([]);
		expect(next).toEqual(mark);
	});

	it('refuses a timestamp it cannot read', () => {
		expect(() => advance({ ids: [] }, [payment('1', 'yesterday')], 'created_at')).toThrow(
			'Kantata OX gave created_at of payment 1 as "yesterday", which is not a timestamp',
		);
	});
});
