/// <reference types="mocha" />
// Runs only in an untrusted (restricted-mode) workspace, which codeServer.test.ts opens with a
// .vscode/settings.json naming its own STUN server: NAT Doctor must not contact it unless the user
// picks it. The wrapper passes both servers' addresses through the environment and checks on its
// side that the workspace's server received nothing.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Report } from '../../../src/core/report/types';
import type { NatDoctorApi } from '../../../src/vscode/context';

suite('NAT Doctor in an untrusted workspace', function () {
  let api: NatDoctorApi;
  const userServer = process.env.NAT_DOCTOR_TEST_USER_STUN ?? '';
  const workspaceServer = process.env.NAT_DOCTOR_TEST_WORKSPACE_STUN ?? '';

  suiteSetup(async function () {
    if (vscode.workspace.isTrusted || !userServer || !workspaceServer) this.skip();
    const extension = vscode.extensions.getExtension<NatDoctorApi>('nat-doctor.nat-doctor');
    assert.ok(extension);
    api = await extension.activate();
  });

  test('STUN servers from workspace settings are not used; the user setting is', async () => {
    const report = await vscode.commands.executeCommand<Report | undefined>('natDoctor.quickCheck');
    assert.ok(report);
    assert.deepEqual(report.servers.map((s) => s.server), [userServer]);
    const read = api.settings();
    assert.deepEqual(read.settings.stunServers, [userServer]);
    // VS Code itself withholds restricted settings' workspace values in restricted mode (inspect()
    // does not return them); settingsModel's own check is the second line, unit-tested.
    assert.ok(read.ignoredWorkspaceSettings.every((i) => i.key === 'stunServers'));
  });
});
