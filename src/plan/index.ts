// The planner's public API (issue 5): pure computePlan over desired manifests and a live state,
// renderers, the saved-plan format, and the offline live sources. The cluster live source is in
// src/cluster.
export { computeApplySetId, APPLYSET_PART_OF, PRUNE_ANNOTATION, type ApplySetParent } from './applyset.ts';
export { computePlan, DEFAULT_FIELD_MANAGER, listKeysFor } from './compute.ts';
export { objectKey } from './identity.ts';
export { loadLiveFromGitRef, loadLiveSnapshot, liveObjectsOfText } from './live.ts';
export { WAVE_ANNOTATION } from './order.ts';
export { renderPlan, planToJson, summaryLine, type PlanFormat, type RenderOptions } from './render/index.ts';
export { desiredHash, loadPlan, savePlan, SavedPlanError, stalePlanProblems, toSavedPlan, type FreshnessInput, type SavedChange, type SavedPlan } from './saved.ts';
export type * from './types.ts';
