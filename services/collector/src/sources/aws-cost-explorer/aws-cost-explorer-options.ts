import { z } from 'zod';
import { retryPolicyOptionsSchema } from '../shared/retry';

export const costExplorerMetrics = ['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost', 'NetAmortizedCost', 'BlendedCost'] as const;

/** One account to collect from (AWS_CE_ACCOUNTS); an unknown key, e.g. a typo of an optional one, is refused rather than ignored. */
export const awsAccountSchema = z
  .object({
  accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN'),
  /** The project name its costs are filed under (default: the account id). */
  project: z.string().min(1).optional(),
  externalId: z.string().min(2).max(1224).optional(),
  })
  .strict();

/**
 * Settings of the AWS Cost Explorer source. The collector's config maps its env onto this;
 * the source validates again so a bad value fails at construction, naming the setting.
 */
export const awsCostExplorerSourceOptionsSchema = z.object({
  accounts: z
    .array(awsAccountSchema)
    .min(1)
    .refine((accounts) => new Set(accounts.map((a) => a.roleArn)).size === accounts.length, 'each roleArn must appear once'),
  metric: z.enum(costExplorerMetrics).default('UnblendedCost'),
  /**
   * Also group by LINKED_ACCOUNT (for a payer / management account role): each member
   * account's cost then becomes its own domain, exactly as if collected through its own role.
   */
  groupByLinkedAccount: z.boolean().default(false),
  /** Project names of member accounts seen through LINKED_ACCOUNT that are not in `accounts`. */
  linkedAccountProjects: z.record(z.string(), z.string().min(1)).default({}),
  /** Cost Explorer lives in us-east-1. */
  region: z.string().min(1).default('us-east-1'),
  stsEndpoint: z.url().optional(),
  costExplorerEndpoint: z.url().optional(),
  roleSessionName: z
    .string()
    .regex(/^[\w+=,.@-]{2,64}$/)
    .default('costwatch-collector'),
  sessionDurationSeconds: z.number().int().min(900).max(43_200).default(3600),
  /** Assumed-role credentials are renewed this long before they expire. */
  refreshMarginSeconds: z.number().int().min(0).default(300),
  /** Accounts collected at once: Cost Explorer's rate limit is per payer, keep this small. */
  concurrency: z.number().int().min(1).max(16).default(2),
  retry: retryPolicyOptionsSchema.default({}),
  maxPages: z.number().int().min(1).default(1000),
});

export type AwsCostExplorerSourceOptions = z.input<typeof awsCostExplorerSourceOptionsSchema>;
export type AwsCostExplorerSourceSettings = z.output<typeof awsCostExplorerSourceOptionsSchema>;
export type AwsAccount = AwsCostExplorerSourceSettings['accounts'][number];
export type CostExplorerMetric = (typeof costExplorerMetrics)[number];
