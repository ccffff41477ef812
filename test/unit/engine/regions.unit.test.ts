import * as assert from 'node:assert/strict';
import * as pc from 'purecloud-platform-client-v2';
import { isGenesysError } from '../../../src/genesys/errors';
import { findRegion, listRegions, resolveConnectionTarget } from '../../../src/genesys/regions';

describe('engine / regions', () => {
  it('lists every SDK environment with a human label', () => {
    const regions = listRegions();
    assert.equal(regions.length, Object.keys(pc.PureCloudRegionHosts).length);
    assert.deepEqual(findRegion('us_east_1'), { key: 'us_east_1', host: 'mypurecloud.com', label: 'Americas (US East)' });
    assert.equal(findRegion('mypurecloud.ie')?.label, 'EMEA (Dublin)');
    assert.equal(findRegion('https://api.mypurecloud.de/')?.key, 'eu_central_1');
    assert.equal(findRegion('eu-west-2')?.host, 'euw2.pure.cloud');
    for (const r of regions) {
      assert.notEqual(r.label, r.key, `label missing for ${r.key}`);
    }
  });

  it('rejects an unknown region with a config error listing the valid ones', () => {
    assert.throws(
      () => resolveConnectionTarget({ id: 'x', name: 'Prod', kind: 'region', region: 'mars_north_1', clientId: 'abc' }),
      (err: unknown) => isGenesysError(err, 'config') && /Unknown Genesys Cloud region 'mars_north_1'/.test(err.message) && /EMEA \(Dublin\)/.test(err.message),
    );
  });

  it('turns a sandbox URL into an SDK gateway', () => {
    const t = resolveConnectionTarget({ id: 's', name: 'Sandbox', kind: 'sandbox', sandboxUrl: 'http://127.0.0.1:8787/', clientId: 'c' });
    assert.deepEqual(t, { kind: 'sandbox', url: 'http://127.0.0.1:8787', gateway: { host: '127.0.0.1', port: 8787, protocol: 'http' } });
    assert.throws(() => resolveConnectionTarget({ id: 's', name: 'S', kind: 'sandbox', sandboxUrl: 'not a url', clientId: 'c' }), /not a valid URL/);
  });
});
