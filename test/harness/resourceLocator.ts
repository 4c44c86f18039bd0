/** A resource locator value by ID, as the editor stores one: tests, demo, benchmarks and built workflows use it. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });
