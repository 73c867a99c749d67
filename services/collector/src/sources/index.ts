export { BillingSourceError, type BillingSourceErrorCode } from './shared/billing-source-error';
export { KakaoCloudBillingSource } from './kakaocloud/kakaocloud-billing.source';
export { kakaoCloudSourceOptionsSchema, type KakaoCloudSourceOptions } from './kakaocloud/kakaocloud-options';
export { AwsCostExplorerSource } from './aws-cost-explorer/aws-cost-explorer.source';
export { awsCostExplorerSourceOptionsSchema, costExplorerMetrics, type AwsCostExplorerSourceOptions } from './aws-cost-explorer/aws-cost-explorer-options';
export type { BaseCredentials } from './aws-cost-explorer/cost-explorer-client-pool';
export { FocusCsvSource, focusCsvSourceOptionsSchema, type FocusCsvSourceOptions } from './focus/focus-csv.source';
export { focusCostColumns, type FocusCostColumn } from './focus/focus-columns';
