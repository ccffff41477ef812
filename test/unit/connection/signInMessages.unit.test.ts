import * as assert from 'node:assert/strict';
import { classifyHttpResponse, classifyNetworkCode } from '../../../src/genesys/errors';
import { connectedMessage, describeSignInFailure, missingPermissionWarning } from '../../../src/vscode/connection/signInMessages';

const region = { name: 'Acme', region: 'mypurecloud.ie', clientId: '0a1b2c3d-1234-5678-9abc-0123456789ab' };
const sandbox = { name: 'Local', sandboxUrl: 'http://127.0.0.1:8787', clientId: 'sandbox-client' };

describe('sign-in messages', () => {
  it('says who we are connected as: the OAuth client name, else its ID', () => {
    assert.equal(connectedMessage({ orgId: 'o', orgName: 'Acme', clientName: 'Exporter' }, 'id-1'), 'Connected to Acme as Exporter');
    assert.equal(connectedMessage({ orgId: 'o', orgName: 'Acme' }, 'id-1'), 'Connected to Acme as id-1');
  });

  it('names invalid_client for wrong credentials, with the one-region hint for real regions only', () => {
    const err = classifyHttpResponse(401, {}, { error: 'invalid_client', description: 'bad secret' }, 'login');
    const text = describeSignInFailure(err, region);
    assert.match(text, /^Could not sign in to "Acme": EMEA \(Dublin\) rejected the client ID or secret \(invalid_client\)/);
    assert.match(text, /one region only: check that the org lives in EMEA \(Dublin\) \(mypurecloud\.ie\)/);
    assert.doesNotMatch(describeSignInFailure(err, sandbox), /one region only/);
  });

  it('says which host cannot be reached, and what to check for a region or a sandbox', () => {
    assert.match(describeSignInFailure(classifyNetworkCode('ENOTFOUND', 'getaddrinfo ENOTFOUND'), region), /cannot reach api\.mypurecloud\.ie \(ENOTFOUND\)\. Check the region/);
    assert.match(describeSignInFailure(classifyNetworkCode('ECONNREFUSED', 'refused'), sandbox), /cannot reach http:\/\/127\.0\.0\.1:8787 \(ECONNREFUSED\)\. Is the sandbox running/);
  });

  it('names the missing permission', () => {
    const err = classifyHttpResponse(403, {}, { code: 'missing.any.permissions', message: 'Missing any of analytics:conversationDetail:view' }, 'checkConnection');
    assert.match(describeSignInFailure(err, region), /missing a permission: give its role 'analytics:conversationDetail:view'/);
    assert.match(missingPermissionWarning({ orgId: 'o', orgName: 'Acme' }, 'cid', ['analytics:conversationDetail:view']), /^Connected to Acme as cid, but the OAuth client is missing the permission 'analytics:conversationDetail:view'/);
  });

  it('reports timeouts, server faults and non-Genesys hosts precisely', () => {
    assert.match(describeSignInFailure(classifyHttpResponse(503, {}, {}, 'checkConnection'), region), /did not answer properly \(HTTP 503\)/);
    assert.match(describeSignInFailure(classifyHttpResponse(404, {}, {}, 'checkConnection'), sandbox), /does not look like a Genesys Cloud API/);
  });
});
