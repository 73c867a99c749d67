/**
 * A stable series id from a provider's service name: lower case, letters and digits of any
 * script kept ("가상 머신" stays readable), every other run of characters becomes "-".
 * "Amazon Elastic Compute Cloud - Compute" → "amazon-elastic-compute-cloud-compute".
 */
export function serviceSlug(serviceName: string): string {
  const slug = serviceName
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .slice(0, 200)
    .replace(/^-+|-+$/g, '');
  return slug.length > 0 ? slug : 'unnamed';
}
