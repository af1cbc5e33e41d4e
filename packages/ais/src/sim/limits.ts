// The largest fleet the simulator runs (the usage text names it, so it lives apart from the simulator).
export const MAX_FLEET = 100_000;
