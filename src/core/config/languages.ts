// The VPN config languages: the ids package.json contributes (contributes.languages), which the
// linter, the probes' config reader and the editor features all key on.

export type LanguageId = 'wireguard' | 'openvpn' | 'strongswan' | 'libreswan';

export const LANGUAGE_IDS: readonly LanguageId[] = ['wireguard', 'openvpn', 'strongswan', 'libreswan'];
