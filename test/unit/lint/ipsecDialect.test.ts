// Which reader an ipsec.conf is for: strongSwan or libreswan. Measured on the corpus files named
// ok-real-… (whole configs of the usual kinds, each accepted by its tool in the lab), every one
// renamed plainly /etc/ipsec.conf so the name says nothing; the README quotes the figures.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectLanguage, explainIpsecDialect, guessIpsecDialect } from '../../../src/core/lint';

const CORPUS_ROOT = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'lint');

function realConfigs(): { dialect: 'strongswan' | 'libreswan'; name: string; text: string }[] {
  const out: { dialect: 'strongswan' | 'libreswan'; name: string; text: string }[] = [];
  for (const [dialect, dir] of [['libreswan', 'libreswan'], ['strongswan', 'strongswan/ipsec']] as const) {
    for (const name of readdirSync(join(CORPUS_ROOT, dir)).filter((f) => f.includes('-real-'))) {
      out.push({ dialect, name: `${dir}/${name}`, text: readFileSync(join(CORPUS_ROOT, dir, name), 'utf8') });
    }
  }
  return out;
}

describe('ipsec.conf dialect', () => {
  it('is right for at least 99 % of whole configs of both dialects named plainly ipsec.conf', () => {
    const files = realConfigs();
    assert.ok(files.filter((f) => f.dialect === 'libreswan').length >= 10 && files.filter((f) => f.dialect === 'strongswan').length >= 10);
    const wrong = files.filter((f) => detectLanguage('/etc/ipsec.conf', f.text) !== f.dialect);
    assert.ok((files.length - wrong.length) / files.length >= 0.99, `wrong: ${wrong.map((f) => f.name).join(', ')}`);
  });
  const cases: { name: string; text: string; expect: 'strongswan' | 'libreswan'; because: RegExp }[] = [
    { name: 'libreswan 5 writes keyexchange, leftauth, fragmentation: shared, so they decide nothing', text: 'conn a\n\tkeyexchange=ikev2\n\tleftauth=secret\n\tfragmentation=yes\n\tleftsendcert=always\n\tauto=ondemand\n', expect: 'libreswan', because: /auto=ondemand/ },
    { name: 'keyingtries is both dialects\' keyword', text: 'conn a\n\tkeyingtries=%forever\n\tleftfirewall=yes\n', expect: 'strongswan', because: /leftfirewall/ },
    { name: 'a ca section is strongSwan\'s', text: 'ca x\n\tcacert=a.pem\nconn a\n\tleft=%any\n', expect: 'strongswan', because: /"ca" sections/ },
    { name: 'x- comments are libreswan\'s', text: 'conn a\n\tx-note=hello\n\tleft=%any\n', expect: 'libreswan', because: /x- comment/ },
    { name: 'a strongSwan proposal ends in "!"', text: 'conn a\n\tike=aes256-sha256-modp2048!\n', expect: 'strongswan', because: /"!"/ },
    { name: 'a libreswan proposal has ";" before the DH group', text: 'conn a\n\tike=aes128-sha1;modp2048\n', expect: 'libreswan', because: /";"/ },
    { name: 'Debian strongSwan\'s include', text: 'config setup\n\ninclude /var/lib/strongswan/ipsec.conf.inc\n', expect: 'strongswan', because: /includes strongSwan/ },
    { name: 'nothing separates: strongSwan, and it says so', text: 'conn a\n\tleft=%defaultroute\n\tright=192.0.2.1\n\tauthby=secret\n\tauto=start\n', expect: 'strongswan', because: /assumed: nothing in the file/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const guess = guessIpsecDialect(c.text);
      assert.equal(guess.dialect, c.expect);
      assert.match(guess.reason, c.because);
    });
  }
  it('a folder decides before the content, and the reason says so', () => {
    const libre = 'conn a\n\tikev2=insist\n';
    assert.equal(detectLanguage('/etc/strongswan/ipsec.conf', libre), 'strongswan');
    assert.match(explainIpsecDialect('/etc/strongswan/ipsec.conf', libre, 'strongswan') ?? '', /strongswan or swanctl folder/);
    assert.equal(detectLanguage('/etc/ipsec.conf', libre), 'libreswan');
  });
  it('a dialect chosen against the content says what the content suggests', () => {
    assert.match(explainIpsecDialect('/etc/ipsec.conf', 'conn a\n\tikev2=insist\n', 'strongswan') ?? '', /as chosen for this file.*points to libreswan/);
    assert.equal(explainIpsecDialect('/etc/swanctl/swanctl.conf', 'connections {\n}\n', 'strongswan'), undefined);
  });
});
