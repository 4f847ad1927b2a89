// A Report read back from a file someone saved (`diagnose --json`, Export Report as JSON…). The
// file is untrusted input: it is checked field by field against docs/report-schema.md before
// anything reads it, and a bad one gets one sentence saying what is wrong, never an exception.
// Fields added after a report was written are optional here, so older reports (no `connectivity`,
// no `pathMtu`, no `bindingLifetime.established`) still read.
import { REPORT_SCHEMA_VERSION, type Report } from './types';

const NAT_TYPES = ['open-internet', 'full-cone', 'restricted-cone', 'port-restricted-cone', 'symmetric', 'symmetric-udp-firewall', 'udp-blocked', 'unknown'];
const MAPPINGS = ['none', 'endpoint-independent', 'address-dependent', 'address-and-port-dependent', 'unknown'];
const FILTERINGS = ['endpoint-independent', 'address-dependent', 'address-and-port-dependent', 'unknown'];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumberOrNull = (v: unknown): boolean => v === null || isNumber(v);

/** The first problem with a lifetime bracket `{ seconds, lowerSec, upperSec }`, or undefined. */
function bracketProblem(v: unknown, name: string): string | undefined {
  if (!isObject(v)) return `${name} is not an object or null`;
  if (!isNumberOrNull(v.seconds) || !isNumber(v.lowerSec) || !isNumber(v.upperSec)) return `${name} needs numbers seconds (or null), lowerSec and upperSec`;
  return undefined;
}

/** The first way `v` is not a Report this version can read, or undefined. */
function reportProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'it is not a JSON object';
  if (v.schemaVersion !== REPORT_SCHEMA_VERSION) return `schemaVersion is ${JSON.stringify(v.schemaVersion) ?? 'missing'}, not ${REPORT_SCHEMA_VERSION}`;
  if (!isObject(v.tool) || v.tool.name !== 'nat-doctor') return 'tool.name is not "nat-doctor"';
  const nat = v.nat;
  if (!isObject(nat)) return 'nat is missing';
  if (nat.udp !== 'ok' && nat.udp !== 'blocked') return 'nat.udp is not "ok" or "blocked"';
  if (!NAT_TYPES.includes(nat.type as string)) return `nat.type ${JSON.stringify(nat.type)} is not a NAT type`;
  if (!MAPPINGS.includes(nat.mapping as string)) return `nat.mapping ${JSON.stringify(nat.mapping)} is not a mapping behaviour`;
  if (!FILTERINGS.includes(nat.filtering as string)) return `nat.filtering ${JSON.stringify(nat.filtering)} is not a filtering behaviour`;
  if (!Array.isArray(v.servers) || !v.servers.every((s) => isObject(s) && typeof s.server === 'string' && typeof s.address === 'string')) {
    return 'servers is not a list of { server, address }';
  }
  if (v.publicAddress !== null && !(isObject(v.publicAddress) && typeof v.publicAddress.address === 'string' && isNumber(v.publicAddress.port))) {
    return 'publicAddress is not { address, port } or null';
  }
  if (!isObject(v.cgnat) || !isObject(v.portMapping) || !Array.isArray(v.probes) || !Array.isArray(v.recommendations)) {
    return 'cgnat, portMapping, probes or recommendations is missing';
  }
  const lifetime = v.bindingLifetime;
  if (lifetime !== null) {
    const problem = bracketProblem(lifetime, 'bindingLifetime');
    if (problem) return problem;
    const established = (lifetime as Json).established;
    if (established !== undefined && established !== null) {
      const inner = bracketProblem(established, 'bindingLifetime.established');
      if (inner) return inner;
    }
  }
  const path = v.pathMtu;
  if (path !== undefined && path !== null) {
    if (!isObject(path) || typeof path.target !== 'string' || !isNumberOrNull(path.bytes) || !(path.blackHole === null || typeof path.blackHole === 'boolean')) {
      return 'pathMtu is not { target, bytes, blackHole, detail } or null';
    }
  }
  return undefined;
}

/**
 * Parses the text of a saved report. The error says what is wrong in words a user can act on
 * ("not JSON", "schemaVersion is 2, not 1", "nat.type … is not a NAT type").
 */
export function parseSavedReport(text: string): { report: Report } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // Not the parser's message: it quotes the text, and a file given by mistake may hold a key.
    return { error: 'not JSON (expected the output of `nat-doctor diagnose --json`)' };
  }
  const problem = reportProblem(value);
  return problem ? { error: `not a nat-doctor report: ${problem}` } : { report: value as Report };
}
