// Hover text for the NAT and liveness keywords of strongSwan and libreswan (our own words, from
// ipsec.conf(5), swanctl.conf(5) and libreswan's ipsec.conf(5)).

export interface IpsecKeywordDoc {
  summary: string;
  defaultText?: string;
  manSection: string;
  snippet?: string;
}

export const STRONGSWAN_DOCS: Readonly<Record<string, IpsecKeywordDoc>> = {
  dpdaction: { summary: 'What to do when the peer stops answering: none (DPD off), clear, hold or restart. Any value but none turns DPD on.', defaultText: 'none', manSection: 'ipsec.conf(5) CONN SECTIONS', snippet: 'dpdaction=${1|restart,clear,hold,none|}' },
  dpddelay: { summary: 'How often to check the peer when nothing was received. With IKEv2, 0 sends no checks.', defaultText: '30s', manSection: 'ipsec.conf(5) CONN SECTIONS', snippet: 'dpddelay=${1:30s}' },
  dpdtimeout: { summary: 'IKEv1 only: declare the peer dead after this long. IKEv2 uses the retransmission timeout.', defaultText: '150s', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  forceencaps: { summary: 'Wrap ESP in UDP 4500 even without NAT by faking NAT detection; helps when a firewall drops ESP.', defaultText: 'no', manSection: 'ipsec.conf(5) CONN SECTIONS', snippet: 'forceencaps=${1|yes,no|}' },
  keyexchange: { summary: 'IKE version: ike (IKEv2 as initiator), ikev1 or ikev2.', defaultText: 'ike', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  mobike: { summary: 'IKEv2 MOBIKE: move the SA when an address changes (roaming, NAT rebinding).', defaultText: 'yes', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  keyingtries: { summary: 'How many attempts to negotiate a connection; %forever never gives up.', defaultText: '3', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  closeaction: { summary: 'What to do when the peer closes the CHILD_SA: none, clear, hold or restart.', defaultText: 'none', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  auto: { summary: 'What the starter does with the conn: ignore, add (wait for the peer), route (on traffic) or start.', defaultText: 'ignore', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  nat_traversal: { summary: 'Deprecated and ignored since strongSwan 5: NAT traversal is always on.', manSection: 'ipsec.conf(5) CONFIG SECTIONS' },
  keep_alive: { summary: 'Deprecated and ignored: the NAT-T keepalive interval is charon.keep_alive in strongswan.conf (default 20s).', manSection: 'ipsec.conf(5) CONFIG SECTIONS' },
  fragmentation: { summary: 'IKE fragmentation: yes, accept, force or no. Helps when large IKE packets are dropped.', defaultText: 'yes', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  encap: { summary: 'swanctl: force UDP encapsulation of ESP by faking NAT detection payloads.', defaultText: 'no', manSection: 'swanctl.conf(5) connections.<conn>.encap', snippet: 'encap = ${1|yes,no|}' },
  dpd_delay: { summary: 'swanctl: liveness check interval when nothing was received; 0 turns DPD off.', defaultText: '0s', manSection: 'swanctl.conf(5) connections.<conn>.dpd_delay', snippet: 'dpd_delay = ${1:30s}' },
  dpd_timeout: { summary: 'swanctl, IKEv1 only: declare the peer dead after this long.', defaultText: '0s', manSection: 'swanctl.conf(5) connections.<conn>.dpd_timeout' },
  dpd_action: { summary: 'swanctl CHILD_SA: clear, trap or restart when DPD finds the peer dead.', defaultText: 'clear', manSection: 'swanctl.conf(5) connections.<conn>.children.<child>.dpd_action', snippet: 'dpd_action = ${1|restart,trap,clear|}' },
};

export const LIBRESWAN_DOCS: Readonly<Record<string, IpsecKeywordDoc>> = {
  encapsulation: { summary: 'yes forces ESP-in-UDP 4500 even without NAT; no ignores NAT detection; auto follows it.', defaultText: 'auto', manSection: 'ipsec.conf(5) CONN SECTIONS', snippet: 'encapsulation=${1|auto,yes,no|}' },
  'nat-keepalive': { summary: 'Send one-byte NAT-T keepalives so the NAT mapping stays open.', defaultText: 'yes', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  'keep-alive': { summary: 'config setup: seconds between NAT-T keepalives (1 s to 1 day).', defaultText: '20', manSection: 'ipsec.conf(5) CONFIG SECTIONS', snippet: 'keep-alive=${1:20}' },
  dpddelay: { summary: 'Seconds between liveness checks (IKEv1 DPD / IKEv2 liveness); 0 turns them off.', defaultText: '0 (off)', manSection: 'ipsec.conf(5) CONN SECTIONS', snippet: 'dpddelay=${1:30}' },
  dpdtimeout: { summary: 'IKEv1 only: seconds without answer before the peer is declared dead.', defaultText: '0', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  dpdaction: { summary: 'Obsolete since libreswan 5.0 and ignored.', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  forceencaps: { summary: 'Removed in libreswan 5.0; use encapsulation=yes.', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  'nat-ikev1-method': { summary: 'IKEv1 NAT-T payload style: drafts, rfc, both or none.', defaultText: 'both', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  'retransmit-timeout': { summary: 'Give up on an exchange after this long.', defaultText: '60s', manSection: 'ipsec.conf(5) CONN SECTIONS' },
  auto: { summary: 'What to do at start: ignore, add, ondemand (route) or start.', defaultText: 'ignore', manSection: 'ipsec.conf(5) CONN SECTIONS' },
};
