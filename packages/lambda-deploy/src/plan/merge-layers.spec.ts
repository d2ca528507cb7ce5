import { describe, expect, it } from 'vitest';
import { describeLayerChanges, mergeLayers, type DeclaredLayer } from './merge-layers';

const arn = (name: string, version: number) => `arn:aws:lambda:us-east-1:123456789012:layer:${name}:${version}`;
const managed = new Map([
  ['vi-vectora-core-dev', 'vectora-core'],
  ['vi-common-deps-dev', 'common-deps'],
]);
const declared = (core: number | 'new', deps: number | 'new'): DeclaredLayer[] => [
  { project: 'vectora-core', layerName: 'vi-vectora-core-dev', target: core === 'new' ? { pending: true } : { arn: arn('vi-vectora-core-dev', core), version: core } },
  { project: 'common-deps', layerName: 'vi-common-deps-dev', target: deps === 'new' ? { pending: true } : { arn: arn('vi-common-deps-dev', deps), version: deps } },
];

describe('mergeLayers', () => {
  it('repoints managed layers in place and keeps an unmanaged layer at its index', () => {
    const current = [arn('vi-vectora-core-dev', 43), arn('datadog-extension', 7), arn('vi-common-deps-dev', 11)];
    const merged = mergeLayers(current, declared(49, 11), managed, 'all');
    expect(merged.slots).toEqual([arn('vi-vectora-core-dev', 49), arn('datadog-extension', 7), arn('vi-common-deps-dev', 11)]);
    expect(merged.changed).toBe(true);
    expect(describeLayerChanges(merged.changes)).toBe('vectora-core 43 -> 49, common-deps 11 (unchanged)');
  });

  it('reports no change when every layer is already on its target', () => {
    const current = [arn('vi-vectora-core-dev', 49), arn('vi-common-deps-dev', 11)];
    expect(mergeLayers(current, declared(49, 11), managed, 'all').changed).toBe(false);
  });

  it('puts managed layers back in declared order within their slots', () => {
    const current = [arn('vi-common-deps-dev', 11), arn('other', 1), arn('vi-vectora-core-dev', 43)];
    expect(mergeLayers(current, declared(49, 11), managed, 'all').slots).toEqual([arn('vi-vectora-core-dev', 49), arn('other', 1), arn('vi-common-deps-dev', 11)]);
  });

  it('appends declared layers the function lacks and drops managed ones it no longer declares', () => {
    const onlyCore = declared(49, 11).slice(0, 1);
    const merged = mergeLayers([arn('vi-common-deps-dev', 11)], onlyCore, managed, 'all');
    expect(merged.slots).toEqual([arn('vi-vectora-core-dev', 49)]);
    expect(describeLayerChanges(merged.changes)).toBe('common-deps 11 -> (removed), vectora-core +49');
  });

  it('in a cascade, touches only the cascading layer', () => {
    const current = [arn('vi-vectora-core-dev', 43), arn('vi-common-deps-dev', 9)];
    const merged = mergeLayers(current, declared(49, 11), managed, ['vectora-core']);
    expect(merged.slots).toEqual([arn('vi-vectora-core-dev', 49), arn('vi-common-deps-dev', 9)]);
    expect(describeLayerChanges(merged.changes)).toBe('vectora-core 43 -> 49');
  });

  it('leaves a pending slot for a layer a dry-run would publish', () => {
    const merged = mergeLayers([arn('vi-vectora-core-dev', 43), arn('vi-common-deps-dev', 11)], declared('new', 11), managed, 'all');
    expect(merged.slots[0]).toEqual({ pending: 'vectora-core', layerName: 'vi-vectora-core-dev' });
    expect(describeLayerChanges(merged.changes)).toBe('vectora-core 43 -> (new version), common-deps 11 (unchanged)');
  });

  it('collapses a duplicated managed layer into one slot', () => {
    const current = [arn('vi-vectora-core-dev', 40), arn('vi-vectora-core-dev', 43), arn('vi-common-deps-dev', 11)];
    expect(mergeLayers(current, declared(49, 11), managed, 'all').slots).toEqual([arn('vi-vectora-core-dev', 49), arn('vi-common-deps-dev', 11)]);
  });

  it('repoints a declared external layer in place, to its declared position and version', () => {
    const vendor = 'arn:aws:lambda:us-east-1:017000801446:layer:vendor';
    const external: DeclaredLayer = { project: vendor, layerName: 'vendor', target: { arn: `${vendor}:8`, version: 8 }, external: true };
    const withVendor = new Map([...managed, ['vendor', vendor]]);
    const current = [arn('vi-vectora-core-dev', 49), `${vendor}:7`, arn('other', 1), arn('vi-common-deps-dev', 11)];
    const merged = mergeLayers(current, [external, ...declared(49, 11)], withVendor, 'all');
    expect(merged.slots).toEqual([`${vendor}:8`, arn('vi-vectora-core-dev', 49), arn('other', 1), arn('vi-common-deps-dev', 11)]);
    expect(describeLayerChanges(merged.changes)).toBe('vendor 7 -> 8, vectora-core 49 (unchanged), common-deps 11 (unchanged)');
    // A cascade of a managed layer leaves the external entry as it is.
    expect(mergeLayers(current, [external, ...declared(50, 11)], withVendor, ['vectora-core']).slots).toEqual([arn('vi-vectora-core-dev', 50), `${vendor}:7`, arn('other', 1), arn('vi-common-deps-dev', 11)]);
  });
});
