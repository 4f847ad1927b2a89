// One line under each report section's heading: what it tells you and why it matters for a VPN.
// The webview renders it; the host (src/vscode/reportPanel.ts) checks at compile time that every
// section id core/report/reportSections can produce has a line here. It lives beside
// src/protocol.ts, outside src/vscode and src/core, because the browser bundle imports it: no
// imports, so no Node module can reach the webview through it (eslint.config.mjs).
export const SECTION_EXPLANATIONS = {
  recommendations: 'What to change, most important first.',
  changes: 'What is different from the check before this one.',
  summary: 'What kind of NAT sits between you and the internet, and what that means for VPN and peer-to-peer traffic.',
  nat: 'How your NAT picks public ports (mapping) and which packets it lets back in (filtering), measured as in RFC 5780.',
  notes: 'Why a behaviour could not be decided, or how it was decided.',
  cgnat: 'Whether your provider puts a second NAT in front of yours (carrier-grade NAT), which rules out port forwarding.',
  'port-mapping': 'Whether your router lets programs open ports for themselves (UPnP IGD, NAT-PMP, PCP).',
  lifetime: 'How long your NAT remembers an idle UDP flow: keepalives must come more often than this.',
  'path-mtu': 'The largest packet that reaches the internet whole: a tunnel must fit inside it, or large transfers hang.',
  probes: 'Whether the VPN servers you named answer from here.',
  network: 'The interface, gateway and candidate addresses the tests went through; a VPN carrying the default route changes every answer.',
  p2p: 'Whether you and a peer on another network can connect directly, predicted from both NATs and, after a live test, proven by an authenticated round trip.',
  servers: 'The STUN servers asked, how fast they answered and whether they can run the RFC 5780 tests.',
  history: 'Your recent checks, newest first; select one to see it.',
} as const;

export function sectionExplanation(id: string): string {
  return (SECTION_EXPLANATIONS as Record<string, string | undefined>)[id]
    ?? 'Details measured by this diagnosis.';
}
