/**
 * The pinned AWS SDK supports Node 20; its Node-version notice is about releases after
 * January 2027 and, printed on every CLI run and service start, hides what they say. An
 * operator who sets the variable keeps their choice.
 */
export function quietSdkNotices(env: NodeJS.ProcessEnv = process.env): void {
  env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
}
