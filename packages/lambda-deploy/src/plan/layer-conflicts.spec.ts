import { describe, expect, it } from 'vitest';
import { findLayerConflicts } from './layer-conflicts';

describe('findLayerConflicts: what a function\'s layer stack ships twice or over the runtime', () => {
  it('names each package shipped by several layers, with the layers, their versions and the package versions', () => {
    const conflicts = findLayerConflicts([
      { layer: 'common-deps', version: '1.1.0', packages: [{ name: 'yaml', version: '6.0.2' }, { name: 'attr', version: '23.1.0' }] },
      { layer: 'vectora-core', version: '1.4.2', packages: [{ name: 'vectora' }] },
      { layer: 'legacy-deps', version: '0.3.0', packages: [{ name: 'yaml', version: '5.4.1' }, { name: 'attr' }] },
    ], 'python3.12');
    expect(conflicts.map((c) => [c.kind, c.package, c.message])).toEqual([
      ['duplicate', 'attr', 'package attr is shipped by 2 layers: common-deps 1.1.0 (attr 23.1.0), legacy-deps 0.3.0 (attr, version unknown); the function gets a file-by-file mix, the last layer\'s files winning'],
      ['duplicate', 'yaml', 'package yaml is shipped by 2 layers: common-deps 1.1.0 (yaml 6.0.2), legacy-deps 0.3.0 (yaml 5.4.1); the function gets a file-by-file mix, the last layer\'s files winning'],
    ]);
  });

  it('warns for each layer shipping boto3, botocore or s3transfer, which replace the runtime\'s own', () => {
    const conflicts = findLayerConflicts([
      { layer: 'AWSSDKPandas-Python312', version: '14', packages: [{ name: 'botocore', version: '1.43.107' }, { name: 'pandas' }] },
      { layer: 'old-deps', version: '2.0.0', packages: [{ name: 'botocore', version: '1.13.50' }, { name: 'boto3', version: '1.10.0' }] },
    ], 'python3.12');
    expect(conflicts.map((c) => c.message)).toEqual([
      'package botocore is shipped by 2 layers: AWSSDKPandas-Python312 14 (botocore 1.43.107), old-deps 2.0.0 (botocore 1.13.50); the function gets a file-by-file mix, the last layer\'s files winning',
      'layer old-deps 2.0.0 (boto3 1.10.0) shadows the boto3 that python3.12 provides',
      'layer AWSSDKPandas-Python312 14 (botocore 1.43.107) shadows the botocore that python3.12 provides',
      'layer old-deps 2.0.0 (botocore 1.13.50) shadows the botocore that python3.12 provides',
    ]);
  });

  it('says nothing of a layer whose content is unknown, nor of distinct packages', () => {
    expect(findLayerConflicts([
      { layer: 'vendor', version: '7' },
      { layer: 'core', version: '1.0.0', packages: [{ name: 'core' }] },
      { layer: 'deps', version: '1.0.0', packages: [{ name: 'yaml', version: '6.0.2' }] },
    ], 'python3.12')).toEqual([]);
  });
});
