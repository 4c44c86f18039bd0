/** Medians and ranges for benchmark rounds. */
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A ratio's median with its range over the rounds, e.g. `1.05 (1.04–1.07 in 5 rounds)`. */
export const ratioOf = (ratios: number[]) =>
	`${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} in ${ratios.length} rounds)`;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Per-round ratios a[i] / b[i]. */
export const ratios = (a: number[], b: number[]) => a.map((value, round) => value / b[round]);
