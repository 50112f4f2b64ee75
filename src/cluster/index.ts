// The cluster live source (issue 5 step 7): kubeconfig via client-node, our own REST over https.
export { ClusterClient, ClusterError, loadKubeConfig, type KubeConfigOptions } from './client.ts';
export { discover, type ApiResource, type Discovery } from './discovery.ts';
export { clusterKindInfo, dryRunObjects, loadClusterLive, PRUNE_KINDS, type ClusterLive, type ClusterLiveOptions, type DryRunObjectsOptions } from './live.ts';
export { defaultCacheDir, kindInfoFromOpenApi, OpenApiCache, type OpenApiDocument, type OpenApiIndex } from './openapi.ts';
export { ClusterSchemas, openApiPath, schemasNote, type ClusterSchemaUsage } from './schemas.ts';
export { planFromCluster, startClusterLive, SERVER_DRY_RUN_POLICIES, type ClusterPlan, type ClusterPlanOptions, type ServerDryRunPolicy } from './plan.ts';
