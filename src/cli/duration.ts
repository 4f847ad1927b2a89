// Durations as Prometheus and systemd users write them: `30s`, `5m`, `1h`, `1h30m`.

/** Milliseconds, or undefined when `text` is not a duration of whole hours, minutes and seconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '') return undefined;
  const [, h, m, s] = match;
  return Number(h ?? 0) * 3_600_000 + Number(m ?? 0) * 60_000 + Number(s ?? 0) * 1_000;
}
