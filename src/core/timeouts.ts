// Deadlines of a diagnosis, in their own module so the VS Code host can read them without
// loading the engine bundle.

/** A full diagnosis. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** The status bar's quick check. */
export const QUICK_TIMEOUT_MS = 5_000;
/** Longest idle time the binding-lifetime measurement tries (seconds). */
export const DEFAULT_MAX_LIFETIME_SEC = 300;
/** With the lifetime measurement: its longest trial, the fine search and the other tests. */
export const LIFETIME_TIMEOUT_MS = (DEFAULT_MAX_LIFETIME_SEC * 2 + 30) * 1000;
