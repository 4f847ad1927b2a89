import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, lint } from '../../../src/core/lint';
import { run, summary } from './lintTestHelpers';

const CONN = 'conn office\n\tleft=%defaultroute\n\tright=203.0.113.5\n\tauto=start\n';

describe('strongSwan ipsec.conf', () => {
  const cases: { name: string; text: string; expect: string[] }[] = [
    { name: 'a conn with DPD on is clean', text: `${CONN}\tdpddelay=30s\n\tdpdaction=restart\n`, expect: [] },
    { name: 'a started conn without dpdaction has DPD off', text: CONN, expect: ['info strongswan/dpd-disabled@1'] },
    { name: 'dpdaction inherited from conn %default counts', text: `conn %default\n\tdpdaction=restart\n${CONN}`, expect: [] },
    { name: 'dpdaction inherited through also= counts', text: `conn base\n\tdpdaction=clear\n${CONN}\talso=base\n`, expect: [] },
    { name: 'a conn with auto=ignore is a template and not checked', text: 'conn tmpl\n\tright=%any\n', expect: [] },
    { name: 'dpddelay=0 with IKEv2 sends nothing', text: `${CONN}\tdpdaction=restart\n\tdpddelay=0\n`, expect: ['info strongswan/dpd-disabled@6'] },
    { name: 'nat_traversal and keep_alive are dead options', text: `config setup\n\tnat_traversal=yes\n\tkeep_alive=20s\n${CONN}\tdpdaction=restart\n`, expect: ['warning strongswan/deprecated-option@2', 'warning strongswan/deprecated-option@3'] },
    { name: 'forceencaps=yes is noted', text: `${CONN}\tdpdaction=restart\n\tforceencaps=yes\n`, expect: ['info strongswan/forced-encapsulation@6'] },
    { name: 'a boolean accepts only yes/no', text: `${CONN}\tdpdaction=restart\n\tmobike=true\n`, expect: ['error strongswan/invalid-value@6'] },
    { name: 'dpdtimeout has no effect with IKEv2', text: `${CONN}\tdpdaction=restart\n\tdpdtimeout=120s\n`, expect: ['info strongswan/ikev1-only-option@6'] },
    { name: 'an unindented parameter is a syntax error', text: `${CONN}dpdaction=restart\n`, expect: ['info strongswan/dpd-disabled@1', 'error strongswan/syntax-error@5'] },
    { name: 'an unknown keyword is reported with a guess', text: `${CONN}\tdpdaction=restart\n\tdpdelay=30s\n`, expect: ['warning strongswan/unknown-keyword@6'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(summary(run('strongswan', c.text, undefined, 'ipsec.conf')), c.expect));

  it('the DPD fix adds dpddelay and dpdaction under the conn line', () => {
    const [f] = run('strongswan', CONN, undefined, 'ipsec.conf');
    assert.equal(applyEdits(CONN, f?.fix?.edits ?? []), 'conn office\n\tdpddelay=30s\n\tdpdaction=restart\n\tleft=%defaultroute\n\tright=203.0.113.5\n\tauto=start\n');
  });
  it('a diagnosis that found a NAT raises DPD-off to a warning and says why', () => {
    const [f] = run('strongswan', CONN, { bindingLifetimeSec: 30 }, 'ipsec.conf');
    assert.equal(f?.severity, 'warning');
    assert.match(f?.message ?? '', /~30 s/);
  });
});

describe('strongSwan swanctl.conf', () => {
  const SW = 'connections {\n    rw {\n        version = 2\n        dpd_delay = 30s\n        children {\n            net {\n                dpd_action = restart\n            }\n        }\n    }\n}\n';
  it('a connection with dpd_delay is clean', () => assert.deepEqual(run('strongswan', SW, undefined, 'swanctl.conf'), []));
  it('a connection without dpd_delay has DPD off, and the fix adds it', () => {
    const text = SW.replace('        dpd_delay = 30s\n', '');
    const [f] = run('strongswan', text, undefined, 'swanctl.conf');
    assert.equal(f?.ruleId, 'strongswan/dpd-disabled');
    assert.equal(applyEdits(text, f?.fix?.edits ?? []), SW.replace('        version = 2\n        dpd_delay = 30s\n', '        dpd_delay = 30s\n        version = 2\n'));
  });
  it('encap = yes is noted and a bad boolean is an error', () => {
    assert.deepEqual(summary(run('strongswan', SW.replace('version = 2', 'encap = yes\n        mobike = sure'), undefined, 'swanctl.conf')), ['info strongswan/forced-encapsulation@3', 'error strongswan/invalid-value@4']);
  });
  const REF = 'connections {\n  nat-t {\n    remote_addrs = 198.51.100.1\n    dpd_delay = 30s\n    encap = yes\n  }\n  alice : connections.nat-t {\n    remote_addrs = 198.51.100.2\n  }\n}\n';
  it('a section reference ("alice : connections.nat-t {") is valid, and the template\'s settings are inherited', () => {
    // No syntax error, no "}" closing nothing, no unknown keywords, and alice has DPD through nat-t.
    assert.deepEqual(summary(run('strongswan', REF, undefined, 'swanctl.conf')), ['info strongswan/forced-encapsulation@5']);
  });
  it('references may name nested sections and several sections', () => {
    const text = 'connections {\n  a {\n    dpd_delay = 30s\n    children {\n      be {\n        dpd_action = restart\n      }\n      ef : connections.a.children.be {\n        dpd_action = bogus\n      }\n    }\n  }\n  b : connections.a, connections.c {\n  }\n}\n';
    assert.deepEqual(summary(run('strongswan', text, undefined, 'swanctl.conf')), ['error strongswan/invalid-value@9']);
  });
  it('a connection inheriting DPD off still gets the finding, on its own name', () => {
    const text = REF.replace('    dpd_delay = 30s\n', '');
    assert.deepEqual(summary(run('strongswan', text, undefined, 'swanctl.conf')).filter((x) => x.includes('dpd')), ['info strongswan/dpd-disabled@2', 'info strongswan/dpd-disabled@6']);
  });
  it('settings on the "{" line and unbalanced braces are syntax errors', () => {
    assert.deepEqual(summary(run('strongswan', 'connections {\n    rw { local_addrs = 192.0.2.1\n', undefined, 'swanctl.conf')).filter((s) => s.includes('syntax')), ['error strongswan/syntax-error@1', 'error strongswan/syntax-error@2', 'error strongswan/syntax-error@2']);
  });
});

describe('strongSwan ipsec.conf keywords, sections and values as the 5.9.8 starter reads them', () => {
  const cases: { name: string; text: string; expect: string[] }[] = [
    { name: 'a setup keyword in a conn: the conn is ignored', text: `${CONN}\tdpdaction=restart\n\tcharondebug="ike 1"\n`, expect: ['error strongswan/wrong-section@6'] },
    { name: 'a conn keyword in config setup: fatal', text: `config setup\n\tauto=add\n${CONN}\tdpdaction=restart\n`, expect: ['error strongswan/wrong-section@2'] },
    { name: 'auto=ondemand is libreswan\'s', text: `${CONN.replace('auto=start', 'auto=ondemand')}\tdpdaction=restart\n`, expect: ['error strongswan/invalid-value@4'] },
    { name: 'only the last value of a key counts', text: `${CONN}\tdpdaction=restart\n\tauto=bogus\n\tauto=add\n`, expect: [] },
    { name: 'keywords are case-sensitive', text: `${CONN}\tdpdaction=restart\n\tLEFT=192.0.2.1\n`, expect: ['warning strongswan/unknown-keyword@6'] },
    { name: 'an x- line with a value is just unknown', text: `${CONN}\tdpdaction=restart\n\tx-note=hi\n`, expect: ['warning strongswan/unknown-keyword@6'] },
    { name: 'a bare x- line stops the starter', text: `${CONN}\tdpdaction=restart\n\tx-note\n`, expect: ['error strongswan/syntax-error@6'] },
    { name: 'a ca section with its keywords is fine', text: `ca corp\n\tcacert=ca.pem\n\tcrluri=http://crl.example/c.crl\n\tauto=add\n${CONN}\tdpdaction=restart\n`, expect: [] },
    { name: 'a byte-order mark is a syntax error', text: `\uFEFF${CONN}\tdpdaction=restart\n`, expect: ['error strongswan/syntax-error@1'] },
    { name: 'CRLF makes an enum value invalid', text: `${CONN}\tdpdaction=restart\n`.replace(/\n/g, '\r\n'), expect: ['error strongswan/invalid-value@4', 'error strongswan/invalid-value@5'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(summary(run('strongswan', c.text, undefined, 'ipsec.conf')), c.expect));
});

describe('libreswan keywords by release', () => {
  const LS = 'conn office\n\tleft=%defaultroute\n\tright=203.0.113.5\n\tauto=start\n\tdpddelay=30\n';
  const cases: { name: string; text: string; version?: string; expect: string[] }[] = [
    { name: 'an unknown keyword is an error with a guess', text: `${LS}\tdpddelayy=30\n`, expect: ['error libreswan/unknown-keyword@6'] },
    { name: 'plutorestartoncrash, ike-frag and initial_contact are refused', text: `config setup\n\tplutorestartoncrash=yes\n${LS}\tike-frag=yes\n\tinitial_contact=yes\n`, expect: ['error libreswan/removed-option@2', 'error libreswan/removed-option@8', 'error libreswan/removed-option@9'] },
    { name: 'x- and X_ comment lines are ignored', text: `${LS}\tx-owner=me\n\tX_ticket=1\n\tx-bare\n`, expect: [] },
    { name: 'a bare x- line was a syntax error before 5.1', text: `${LS}\tx-bare\n`, version: '4.10', expect: ['error libreswan/syntax-error@6'] },
    { name: 'keywords compare case-insensitively', text: `${LS}\tIKEv2=insist\n\tLeftID=@a\n`, expect: [] },
    { name: 'left-subnet= is read as leftsubnet= since 5.3', text: `${LS}\tleft-subnet=10.0.0.0/8\n`, expect: [] },
    { name: '…but not by 4.10', text: `${LS}\tleft-subnet=10.0.0.0/8\n`, version: '4.10', expect: ['error libreswan/unknown-keyword@6'] },
    { name: 'a 5.x keyword is unknown to 4.10', text: `${LS}\tsession-resumption=yes\n`, version: '4.10', expect: ['error libreswan/unknown-keyword@6'] },
    { name: 'forceencaps was ignored by 4.x', text: `${LS}\tforceencaps=yes\n`, version: '4.10', expect: ['warning libreswan/obsolete-option@6'] },
    { name: 'a setup keyword in a conn passed before 5.0', text: `${LS}\tuniqueids=yes\n`, version: '4.10', expect: [] },
    { name: '…and is refused since', text: `${LS}\tuniqueids=yes\n`, expect: ['error libreswan/wrong-section@6'] },
    { name: 'a conn keyword in config setup is refused', text: `config setup\n\tdpddelay=30\n${LS}`, expect: ['error libreswan/wrong-section@2'] },
    { name: 'keyexchange=ikev2 needs 5.0', text: `${LS}\tkeyexchange=ikev2\n`, version: '4.10', expect: ['error libreswan/invalid-value@6'] },
    { name: 'also= in conn %default is refused by 5.x', text: `conn %default\n\talso=office\n${LS}`, expect: ['error libreswan/wrong-section@2'] },
    { name: 'a ca section is strongSwan\'s', text: `ca x\n\tcacert=a.pem\n${LS}`, expect: ['error libreswan/syntax-error@1'] },
    { name: 'CRLF line endings are refused', text: LS.replace(/\n/g, '\r\n'), expect: ['error libreswan/carriage-return@1'] },
    { name: 'plutostderrlog and virtual_private are obsolete since 5.3', text: `config setup\n\tplutostderrlog=/x\n\tvirtual_private=%v4:10.0.0.0/8\n${LS}`, expect: ['warning libreswan/obsolete-option@2', 'warning libreswan/obsolete-option@3'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const findings = lint(c.text, c.version ? { language: 'libreswan', fileName: 'ipsec.conf', libreswanVersion: c.version } : { language: 'libreswan', fileName: 'ipsec.conf' });
      assert.deepEqual(summary(findings), c.expect);
    });
  }
  it('an underscore spelling gets the hyphenated keyword as a sure fix', () => {
    const text = `${LS}\tsha2_truncbug=yes\n\tsend_vendorid=yes\n`;
    const findings = lint(text, { language: 'libreswan', fileName: 'ipsec.conf' });
    assert.deepEqual(findings.map((f) => f.fix?.title), ['Change to sha2-truncbug', 'Change to send-vendorid']);
    assert.ok(findings.every((f) => f.fix?.preferred));
  });
});

describe('libreswan ipsec.conf', () => {
  const LS = 'conn office\n\tleft=%defaultroute\n\tright=203.0.113.5\n\tauto=start\n\tdpddelay=30\n';
  const cases: { name: string; text: string; expect: string[] }[] = [
    { name: 'a conn with dpddelay is clean', text: LS, expect: [] },
    { name: 'nat_traversal is removed', text: `config setup\n\tnat_traversal=yes\n${LS}`, expect: ['error libreswan/removed-option@2'] },
    { name: 'nat-traversal never existed', text: `config setup\n\tnat-traversal=yes\n${LS}`, expect: ['error libreswan/removed-option@2'] },
    { name: 'forceencaps is removed in 5.0', text: `${LS}\tforceencaps=yes\n`, expect: ['error libreswan/removed-option@6'] },
    { name: 'dpdaction is obsolete and ignored', text: `${LS}\tdpdaction=restart\n`, expect: ['warning libreswan/obsolete-option@6'] },
    { name: 'keep-alive belongs in config setup', text: `${LS}\tkeep-alive=20\n`, expect: ['error libreswan/wrong-section@6'] },
    { name: 'keep-alive above a day is ignored', text: `config setup\n\tkeep-alive=100000\n${LS}`, expect: ['warning libreswan/invalid-value@2'] },
    { name: 'a conn without dpddelay has liveness off', text: LS.replace('\tdpddelay=30\n', ''), expect: ['info libreswan/dpd-disabled@1'] },
    { name: 'encapsulation=yes is noted', text: `${LS}\tencapsulation=yes\n`, expect: ['info libreswan/forced-encapsulation@6'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(summary(run('libreswan', c.text, undefined, 'ipsec.conf')), c.expect));

  it('forceencaps=yes is replaced by encapsulation=yes', () => {
    const text = `${LS}\tforceencaps=yes\n`;
    const [f] = run('libreswan', text, undefined, 'ipsec.conf');
    assert.equal(applyEdits(text, f?.fix?.edits ?? []), `${LS}\tencapsulation=yes\n`);
  });
});
