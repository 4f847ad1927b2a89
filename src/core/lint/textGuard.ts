// A linter for hand-written configs should not try to parse a binary or a 10 MB blob: it says so
// once and stops, so neither the CLI nor the editor drowns in findings.

/** Real configs are a few KB; an OpenVPN file with every certificate inline stays well under this. */
export const MAX_LINT_BYTES = 1024 * 1024;

export type TextVerdict = { ok: true } | { ok: false; ruleId: 'general/not-a-text-file' | 'general/file-too-large'; message: string };

/** Looks at a bounded prefix: NUL bytes or many control characters mean binary. */
export function checkText(text: string, byteLength = text.length): TextVerdict {
  if (byteLength > MAX_LINT_BYTES) {
    return { ok: false, ruleId: 'general/file-too-large', message: `This file is ${Math.round(byteLength / 1024)} KiB; VPN configs are small, so it was not linted (limit ${MAX_LINT_BYTES / 1024} KiB).` };
  }
  const sample = text.slice(0, 8192);
  let control = 0;
  let nulOdd = 0;
  let nulEven = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) {
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
    }
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11) || c === 0xfffd) control++;
  }
  // Notepad's "Unicode" (UTF-16) read as UTF-8: a NUL after (or before) every ASCII character.
  if (Math.max(nulOdd, nulEven) > sample.length / 4) {
    return { ok: false, ruleId: 'general/not-a-text-file', message: 'This file looks like UTF-16 text, which WireGuard, OpenVPN and IPsec tools do not read; save it as UTF-8. It was not linted.' };
  }
  if (nulOdd + nulEven > 0) return binary();
  if (sample.length > 0 && control / sample.length > 0.1) return binary();
  return { ok: true };
}

function binary(): TextVerdict {
  return { ok: false, ruleId: 'general/not-a-text-file', message: 'This is not a text file (it contains NUL or many control bytes); it was not linted.' };
}
