// Kubernetes label selectors: parsing with API-server validation, exact matching, and overlap.
export {
  everything,
  failedRequirements,
  formatLabels,
  formatRequirement,
  matchOutcome,
  nothing,
  parseLabelSelector,
  parseSelectorMap,
  requirementMatches,
  selectorFromMap,
  selectorOf,
  type Labels,
  type MatchOutcome,
  type Operator,
  type ParsedSelector,
  type Requirement,
  type Selector,
  type SelectorError,
} from './selector.ts';
export { selectorsOverlap, type Overlap } from './overlap.ts';
