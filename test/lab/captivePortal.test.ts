// Captive portals: a router that redirects every plain-HTTP request to its own login page (nftables
// redirect of port 80, as hotel and airport gateways do), answering with a page or with an HTTP
// redirect; the same network without a portal, where the check URL answers "success"; and the
// check turned off, when nothing may be sent at all (counted by nftables).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/core/report/types';
import { assertCliBuilt, diagnoseIn } from './cliRunner';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { buildNatTopology, LAN, STUN_PRIMARY, type NatTopology } from './natTopology';
import { Lab, type Netns } from './netns';

const gate = labGate(['turnserver']);
const TEST_TIMEOUT_MS = 40_000;
const STUN = `${STUN_PRIMARY}:3478`;
const CHECK_HOST = '203.0.113.80';
const CHECK_URL = `http://${CHECK_HOST}/success.txt`;
const PORTAL_PORT = 8080;

/** A small HTTP server in `ns`: `mode` says what every request gets. */
async function startHttp(ns: Netns, address: string, port: number, mode: 'success' | 'login-page' | 'redirect'): Promise<void> {
  const handler =
    mode === 'success'
      ? `res.writeHead(200,{'content-type':'text/plain'});res.end('success\\n')`
      : mode === 'login-page'
        ? `res.writeHead(200,{'content-type':'text/html'});res.end('<html><body><form>Log in to Hotel Wi-Fi</form></body></html>')`
        : `res.writeHead(302,{location:'http://portal.lab.example/login?session=secret-token'});res.end()`;
  const proc = ns.spawn(process.execPath, ['-e', `require('http').createServer((req,res)=>{${handler}}).listen(${port},${JSON.stringify(address)},()=>console.log('listening'))`]);
  await proc.waitForOutput(/listening/, 10_000);
}

/** The router sends every port-80 connection from the LAN to its own portal, and counts them. */
async function interceptHttp(router: Netns): Promise<void> {
  await router.nft(
    'table ip portal {\n  chain pre {\n    type nat hook prerouting priority -110; policy accept;\n' +
      `    iifname "lan0" tcp dport 80 counter redirect to :${PORTAL_PORT}\n  }\n}\n`,
  );
}

/** Connections to port 80 the router saw from the LAN (the interception rule's counter). */
async function httpConnectionsSeen(router: Netns): Promise<number> {
  const run = await router.run('nft', ['list', 'table', 'ip', 'portal']);
  return Number(/counter packets (\d+)/.exec(run.stdout)?.[1] ?? 0);
}

function summary(report: Report): string {
  return JSON.stringify({ connectivity: report.connectivity, notes: report.nat.notes, recommendations: report.recommendations.map((r) => r.id) }, null, 1);
}

describe('captive portal check', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let portalPage: NatTopology;
  let portalRedirect: NatTopology;
  let noPortal: NatTopology;
  after(() => lab?.close());

  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    const owned = (lab = new Lab());
    [portalPage, portalRedirect, noPortal] = await Promise.all(
      [0, 1, 2].map(async () => {
        const t = await buildNatTopology(owned, { behavior: 'port-restricted-cone' });
        await startCoturn(t.publicNs, { addresses: t.serverAddresses });
        await t.addPublicAddress(CHECK_HOST);
        await startHttp(t.publicNs, CHECK_HOST, 80, 'success');
        return t;
      }),
    ) as [NatTopology, NatTopology, NatTopology];
    await Promise.all([
      startHttp(portalPage.router, LAN.router, PORTAL_PORT, 'login-page').then(() => interceptHttp(portalPage.router)),
      startHttp(portalRedirect.router, LAN.router, PORTAL_PORT, 'redirect').then(() => interceptHttp(portalRedirect.router)),
      interceptHttp(noPortal.router).then(() => noPortal.router.nft('table ip portal {}\ndelete table ip portal\n')),
    ]);
  });

  test('a login page in place of the check URL is a captive portal, with advice to log in first', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { report } = await diagnoseIn(portalPage.client, [STUN], { extraArgs: ['--captive-portal', CHECK_URL] });
    const why = summary(report);
    assert.equal(report.connectivity?.captivePortal, true, why);
    assert.ok(report.recommendations.some((r) => r.id === 'captive-portal'), why);
    assert.match((report.nat.notes ?? []).join('\n'), /captive portal check: 203\.0\.113\.80 answered with something else/, why);
  });

  test('an HTTP redirect is a captive portal too, and the redirect target is named by host only', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { report, run } = await diagnoseIn(portalRedirect.client, [STUN], { extraArgs: ['--captive-portal', CHECK_URL] });
    const why = summary(report);
    assert.equal(report.connectivity?.captivePortal, true, why);
    assert.match((report.nat.notes ?? []).join('\n'), /redirect \(HTTP 302\) to portal\.lab\.example/, why);
    assert.ok(!run.stdout.includes('secret-token'), 'the portal URL (with its session token) leaked into the report');
  });

  test('the check URL answering "success" is no portal', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { report } = await diagnoseIn(noPortal.client, [STUN], { extraArgs: ['--captive-portal', CHECK_URL] });
    const why = summary(report);
    assert.equal(report.connectivity?.captivePortal, false, why);
    assert.ok(!report.recommendations.some((r) => r.id === 'captive-portal'), why);
  });

  test('with the check turned off nothing is sent and the field is null', { timeout: TEST_TIMEOUT_MS }, async () => {
    const before = await httpConnectionsSeen(portalPage.router);
    const { report } = await diagnoseIn(portalPage.client, [STUN], { extraArgs: ['--no-captive-portal'] });
    assert.equal(report.connectivity?.captivePortal, null, summary(report));
    assert.equal(await httpConnectionsSeen(portalPage.router), before, 'a port-80 connection left the client');
  });
});
