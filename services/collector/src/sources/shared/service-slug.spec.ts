import { serviceSlug } from './service-slug';

describe('serviceSlug', () => {
  it.each([
    ['Amazon Elastic Compute Cloud - Compute', 'amazon-elastic-compute-cloud-compute'],
    ['AWS Support (Business)', 'aws-support-business'],
    ['  EC2 -- Other  ', 'ec2-other'],
    ['가상 머신', '가상-머신'],
    ['Ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
    ['***', 'unnamed'],
  ])('%s → %s', (name, slug) => {
    expect(serviceSlug(name)).toBe(slug);
  });

  it('never ends in a dash after truncation', () => {
    expect(serviceSlug(`${'a'.repeat(199)} b`)).toBe('a'.repeat(199));
  });
});
