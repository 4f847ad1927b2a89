// RFC 5780 behaviours → the RFC 3489 names people know (the `nat.type` contract, docs/report-schema.md).
import type { ClassicNatType, FilteringBehavior, MappingBehavior } from '../report/types';

export interface BehaviorVerdict {
  udp: 'ok' | 'blocked';
  mapping: MappingBehavior;
  filtering: FilteringBehavior;
  /**
   * The mapping was seen to change with the destination, but the test could not tell ADM from
   * APDM (e.g. only one server, or its alternate port did not answer). Either way it is symmetric.
   */
  mappingVariesByDestination?: boolean;
}

export function classicNatType(v: BehaviorVerdict): ClassicNatType {
  if (v.udp === 'blocked') return 'udp-blocked';
  if (v.mapping === 'address-dependent' || v.mapping === 'address-and-port-dependent') return 'symmetric';
  if (v.mapping === 'unknown') return v.mappingVariesByDestination ? 'symmetric' : 'unknown';
  if (v.filtering === 'unknown') return 'unknown';
  if (v.mapping === 'none') return v.filtering === 'endpoint-independent' ? 'open-internet' : 'symmetric-udp-firewall';
  // Endpoint-independent mapping: the cone types differ only in filtering.
  switch (v.filtering) {
    case 'endpoint-independent':
      return 'full-cone';
    case 'address-dependent':
      return 'restricted-cone';
    case 'address-and-port-dependent':
      return 'port-restricted-cone';
  }
}
