import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../../src/core/lint';
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
  it('settings on the "{" line and unbalanced braces are syntax errors', () => {
    assert.deepEqual(summary(run('strongswan', 'connections {\n    rw { local_addrs = 192.0.2.1\n', undefined, 'swanctl.conf')).filter((s) => s.includes('syntax')), ['error strongswan/syntax-error@1', 'error strongswan/syntax-error@2', 'error strongswan/syntax-error@2']);
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
