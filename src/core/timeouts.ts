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

/** Pair test: how long the checks run once this side starts; the offerer starts when the answer is in. */
export const OFFER_TIMEOUT_MS = 15_000;
/** Pair test: the answerer starts at once and must also cover the time its peer takes to paste the answer. */
export const ANSWER_TIMEOUT_MS = 60_000;
