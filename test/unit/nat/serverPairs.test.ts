// Never guess: every combination of which of an RFC 5780 server's four address/port pairs answers,
// against NATs whose behaviour is known. The verdict is either the truth or `unknown` — never a
// wrong known behaviour — and it is the truth wherever the answers that remain prove it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decideFiltering } from '../../../src/core/nat/filteringBehavior';
import { decideMapping } from '../../../src/core/nat/mappingBehavior';
import { refutation } from '../../../src/core/nat/natDiscovery';
import type { FilteringBehavior, MappingBehavior } from '../../../src/core/report/types';
import type { BindingOutcome } from '../../../src/core/stun/bindingTransaction';
import type { StunAddress } from '../../../src/core/stun/stunAttributes';

// P primary IP+port, A primary IP + alternate port, B alternate IP + primary port, C alternate IP+port.
type Pair = 'P' | 'A' | 'B' | 'C';
const ADDRESS: Record<Pair, { address: string; port: number }> = {
  P: { address: '203.0.113.10', port: 3478 },
  A: { address: '203.0.113.10', port: 3479 },
  B: { address: '203.0.113.11', port: 3478 },
  C: { address: '203.0.113.11', port: 3479 },
};
const LOCAL_PORT = 50000;

const answer = (from: Pair, mapped: StunAddress): BindingOutcome => ({
  kind: 'answer',
  value: { kind: 'success', transactionId: Buffer.alloc(12), xorMappedAddress: mapped },
  from: { ...ADDRESS[from], family: 'IPv4' },
  rttMs: 1,
  transmission: 0,
  ambiguous: false,
});
const silence: BindingOutcome = { kind: 'silence', waitedMs: 100, ignored: [] };

interface Nat {
  filtering: Exclude<FilteringBehavior, 'unknown'>;
  mapping: 'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent';
}

/** The public mapping a NAT gives our socket towards `to`. */
function mappedTowards(nat: Nat, to: Pair): StunAddress {
  const port =
    nat.mapping === 'endpoint-independent' ? 40000 : nat.mapping === 'address-dependent' ? (to === 'B' || to === 'C' ? 40001 : 40000) : { P: 40000, A: 40003, B: 40001, C: 40002 }[to];
  return { address: '198.51.100.7', port, family: 'IPv4' };
}

/** What the engine would decide, given which pairs answer and what the NAT does. */
function run(alive: ReadonlySet<Pair>, nat: Nat): { filtering: FilteringBehavior; mapping: MappingBehavior } {
  // Filtering tests on a fresh socket that has sent only to P: test II's answer comes from C, test
  // III's from A, and the NAT lets each in only as its filtering allows.
  const testII = alive.has('C') && nat.filtering === 'endpoint-independent' ? answer('C', mappedTowards(nat, 'P')) : silence;
  const testIII = alive.has('A') && nat.filtering !== 'address-and-port-dependent' ? answer('A', mappedTowards(nat, 'P')) : silence;
  const decided = decideFiltering(testII, testIII);
  const filtering = { ...decided, mappedPort: 40000, localPort: LOCAL_PORT, rttMs: 1 };
  // Mapping tests (and the alternate-port check when the verdict rests on test III's silence) from
  // the socket that ran test I: answers to our own requests always get through.
  const mapping = decideMapping(
    mappedTowards(nat, 'P'),
    alive.has('B') ? mappedTowards(nat, 'B') : null,
    alive.has('C') ? mappedTowards(nat, 'C') : null,
    LOCAL_PORT,
  );
  if (decided.filtering === 'address-and-port-dependent') mapping.alive.alternatePort = alive.has('A');
  const refuted = refutation(filtering, mapping);
  return { filtering: refuted === null ? decided.filtering : 'unknown', mapping: mapping.mapping };
}

const PAIRS: Pair[] = ['A', 'B', 'C'];
const combinations: Array<Set<Pair>> = [];
for (let bits = 0; bits < 8; bits++) combinations.push(new Set<Pair>(['P', ...PAIRS.filter((_, i) => (bits & (1 << i)) !== 0)]));

const FILTERINGS: Nat['filtering'][] = ['endpoint-independent', 'address-dependent', 'address-and-port-dependent'];
const MAPPINGS: Nat['mapping'][] = ['endpoint-independent', 'address-dependent', 'address-and-port-dependent'];

/** When the answers that remain prove a behaviour (RFC 5780 §4.3, §4.4 with the pairs that answer). */
function filteringProvable(alive: ReadonlySet<Pair>, f: Nat['filtering']): boolean {
  if (f === 'endpoint-independent') return alive.has('C');
  return alive.has('C') && alive.has('A');
}
function mappingProvable(alive: ReadonlySet<Pair>, m: Nat['mapping']): boolean {
  if (m === 'endpoint-independent') return alive.has('B') || alive.has('C');
  return alive.has('B') && alive.has('C');
}

describe('every combination of silent server address/port pairs (P always answers: it ran test I)', () => {
  for (const alive of combinations) {
    const silent = ['A', 'B', 'C'].filter((p) => !alive.has(p as Pair));
    for (const f of FILTERINGS) {
      for (const m of MAPPINGS) {
        it(`silent ${silent.length === 0 ? 'none' : silent.join('+')}, NAT ${m} mapping / ${f} filtering`, () => {
          const verdict = run(alive, { filtering: f, mapping: m });
          assert.ok(verdict.filtering === f || verdict.filtering === 'unknown', `filtering said ${verdict.filtering}`);
          assert.ok(verdict.mapping === m || verdict.mapping === 'unknown', `mapping said ${verdict.mapping}`);
          if (filteringProvable(alive, f)) assert.equal(verdict.filtering, f);
          if (mappingProvable(alive, m)) assert.equal(verdict.mapping, m);
        });
      }
    }
  }

  it('the case that misled the engine: alternate port silent on both IPs, nothing filters → unknown', () => {
    const verdict = run(new Set<Pair>(['P', 'B']), { filtering: 'endpoint-independent', mapping: 'endpoint-independent' });
    assert.equal(verdict.filtering, 'unknown');
    assert.equal(verdict.mapping, 'endpoint-independent');
  });
});
