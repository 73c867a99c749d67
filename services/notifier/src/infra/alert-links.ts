import type { Anomaly } from '@costwatch/contracts';

export interface LinkSettings {
  dashboardUrl?: string;
  runbookUrl?: string;
}

export interface AlertLinks {
  dashboard?: string;
  runbook?: string;
}

/**
 * The dashboard link opens the series: Grafana template variables `var-domain`,
 * `var-project` and `var-service` are added to the configured URL. The runbook is as given.
 */
export function alertLinks(anomaly: Anomaly, settings: LinkSettings): AlertLinks {
  const links: AlertLinks = {};
  if (settings.dashboardUrl) {
    const url = new URL(settings.dashboardUrl);
    url.searchParams.set('var-domain', anomaly.series.domainId);
    url.searchParams.set('var-project', anomaly.series.projectId);
    url.searchParams.set('var-service', anomaly.series.serviceId);
    links.dashboard = url.toString();
  }
  if (settings.runbookUrl) links.runbook = settings.runbookUrl;
  return links;
}
